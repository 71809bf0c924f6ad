/* Copy a read-only field to the clipboard: buttons with data-copy-target="<input id>" and data-copied (what the
   status then says, in the page's language). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-copy-target]") : null;
    if (!button) {
      return;
    }
    var field = document.getElementById(button.dataset.copyTarget);
    var status = document.getElementById(button.dataset.copyTarget + "-copied");
    if (!field) {
      return;
    }
    field.select();
    var done = function () {
      if (status) {
        status.textContent = button.dataset.copied || "";  // the page's word, in its language
      }
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {
        document.execCommand("copy");
        done();
      });
    } else {
      document.execCommand("copy");
      done();
    }
  });
})();
