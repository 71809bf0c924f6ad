// The static copy's search: the page's ?q= looked up in find/index.json, in the visitor's browser (in the copy of
// it find/index.js has set, when the page is opened from the disk, where fetch() reads no file).
(function () {
  "use strict";
  var results = document.getElementById("find-results");
  if (!results || !results.dataset.index) return;
  var query = (new URLSearchParams(window.location.search).get("q") || "").trim();
  if (query.length < 2) return;
  var words = query.toLowerCase().split(/\s+/);
  var base = results.dataset.index.replace(/index\.json$/, "");
  var entries = window.gmgSearchIndex
    ? Promise.resolve(window.gmgSearchIndex)
    : fetch(results.dataset.index).then(function (r) { return r.json(); });
  entries.then(function (entries) {
    var hits = entries.filter(function (e) {
      var text = (e.title + " " + e.summary + " " + e.text).toLowerCase();
      return words.every(function (w) { return text.indexOf(w) !== -1; });
    });
    var p = document.createElement("p");
    // The sentence is the page's, in its language: none, one or many results (data-none, data-one, data-many).
    var sentence = hits.length === 0 ? results.dataset.none : hits.length === 1 ? results.dataset.one : results.dataset.many;
    p.textContent = sentence.replace("{count}", hits.length).replace("{query}", query);
    var list = document.createElement("ol");
    list.className = "list-unstyled";
    hits.slice(0, 50).forEach(function (hit) {
      var item = document.createElement("li");
      item.className = "mb-2";
      var link = document.createElement("a");
      link.href = base + hit.url;
      link.textContent = hit.title;
      var kind = document.createElement("span");
      kind.className = "small text-body-secondary";
      kind.textContent = " " + hit.kind;
      item.appendChild(link);
      item.appendChild(kind);
      list.appendChild(item);
    });
    results.replaceChildren(p, list);
  });
})();
