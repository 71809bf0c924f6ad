/* Searchable multi-selects (Tom Select, vendored): the editor's lead agencies and partners.
   A <select multiple data-searchable> becomes a box to type in and pick from, keyboard first; without
   JavaScript it stays the plain multi-select, and the form posts the same values either way. */
(function () {
  "use strict";

  function enhance(root) {
    if (typeof window.TomSelect === "undefined" || !root || !root.querySelectorAll) {
      return;
    }
    root.querySelectorAll("select[multiple][data-searchable]").forEach(function (select) {
      if (select.tomselect) {
        return;
      }
      new window.TomSelect(select, {
        plugins: ["remove_button"],
        maxOptions: null,
        // The list narrows as each letter is typed, so Enter right after typing picks the match, not the first
        // agency of the unfiltered list (Tom Select waits 300 ms by default).
        refreshThrottle: 0,
        closeAfterSelect: false,
        // The typing box stays in place when the field loses focus: hiding it would shorten the field and move
        // the buttons below under a click that started on them (the click would be lost).
        hidePlaceholder: false,
        // The words come from the page, in its language (the form's widget attributes).
        placeholder: select.dataset.placeholder || "",
        render: {
          no_results: function (data, escape) {
            return '<div class="no-results">' + escape(select.dataset.noResults || "") + "</div>";
          },
        },
        // After a pick the search starts afresh, so the next agency is typed at once.
        onItemAdd: function () {
          this.setTextboxValue("");
        },
      });
      // Tom Select points the field's label at its own typing box, which is what people use; the select it hides
      // (out of the tab order) leaves the accessibility tree too, so no nameless field is left behind.
      select.setAttribute("aria-hidden", "true");
    });
  }

  enhance(document);
  // Forms the editor swaps in with htmx (add, edit, a form sent back with its errors).
  document.body.addEventListener("htmx:load", function (event) {
    enhance(event.detail.elt);
  });
})();
