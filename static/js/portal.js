/* The portal's small behaviours, loaded on every page (the Content-Security-Policy forbids inline scripts). */
(function () {
  "use strict";

  // htmx requests carry the CSRF token the page was rendered with.
  document.body.addEventListener("htmx:configRequest", function (event) {
    var token = document.body.dataset.csrf;
    if (token) {
      event.detail.headers["X-CSRFToken"] = token;
    }
  });

  // A form or button with data-confirm asks before it submits (removing an agenda item, an action point).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var question = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // Selects marked data-autosubmit submit their form when changed (the dashboard's date, list filters).
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-autosubmit]") && field.form) {
      field.form.requestSubmit();
    }
  });

  // The print button prints the page.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });
})();
