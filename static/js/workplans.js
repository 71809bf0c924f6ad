/* The work plan editor: a row's editor opened in place, and the keyboard focus kept where the person works. */
(function () {
  "use strict";
  var pendingFocus = null;

  // A plan's page draws one link into each row's editor (`data-in`: "row" opens it in the activity's own row,
  // "editor" in the editor's place of the output or stream the link is in). Followed with htmx, the editor opens in place; without JavaScript, or opened in a new tab,
  // the link leads to the editor's own page.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-in]");
    if (!link || !window.htmx || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    var row = link.dataset.in === "row";
    var target = row ? link.closest("tr") : link.closest("tbody, section").querySelector("[id$='-editor']");
    window.htmx.ajax("GET", link.href, { source: link, target: target, swap: row ? "outerHTML" : "innerHTML" });
  });

  // A form sent back with its errors (400) or with someone else's saved values (409) replaces itself in place;
  // htmx leaves error responses unswapped unless told.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if ((status === 400 || status === 409) && event.detail.xhr.getResponseHeader("HX-Retarget")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("form[data-move-key]");
    pendingFocus = form ? form.dataset.moveKey : null;
  });

  document.body.addEventListener("htmx:afterSettle", function () {
    if (!pendingFocus) {
      return;
    }
    var form = document.querySelector('form[data-move-key="' + pendingFocus + '"]');
    // Moved from its editor, which closed: the focus goes to the way into the moved row's editor.
    var moved = form ? form.querySelector("button") : document.querySelector("#" + pendingFocus.replace(/-(up|down)$/, "") + " .acts a");
    pendingFocus = null;
    if (moved) {
      moved.focus();
    }
  });

  // A form swapped in (edit, add, remove) takes the focus on its first field, so keyboard users land in it.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target || pendingFocus) {
      return;
    }
    var field = target.querySelector && target.querySelector("form input:not([type=hidden]), form textarea, form select, form button");
    if (field && target.querySelector("form:not([data-move-key])") && !target.contains(document.activeElement)) {
      field.focus();
    }
  });
})();
