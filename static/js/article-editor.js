// The article editor: "Insert" puts an image of the archive at the cursor, as Markdown the server checks.
(function () {
  "use strict";
  var button = document.querySelector("[data-insert-image]");
  var select = document.getElementById("insert-image");
  if (!button || !select) return;
  button.addEventListener("click", function () {
    var body = document.getElementById(select.dataset.insertInto);
    if (!body || !select.value) { select.focus(); return; }
    var text = "![describe the image](" + select.value + ")";
    var start = body.selectionStart || body.value.length;
    body.value = body.value.slice(0, start) + text + body.value.slice(body.selectionEnd || start);
    body.focus();
    body.setSelectionRange(start + 2, start + 20);
  });
})();
