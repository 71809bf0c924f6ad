/* The work plan editor: keep the keyboard focus on a move button after htmx swaps its list. */
(function () {
  "use strict";
  var pendingFocus = null;

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
    pendingFocus = null;
    if (form) {
      var button = form.querySelector("button");
      if (button) {
        button.focus();
      }
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
