// Accessible names for select2 fields (the portal's pickers and the admin's
// autocomplete). select2 names a single choice by the chosen value alone and
// gives that value a textbox role with no name of its own: the field's label
// goes first in the name (WCAG 2.5.3, label in name) and the value stays
// plain text. Fields built later (a formset's new row) are caught by the
// observer. Needs no jQuery: the admin keeps its own under django.jQuery.
(function () {
  "use strict";

  function fieldLabel(element) {
    var container = element.closest(".select2-container");
    var select = container && container.previousElementSibling;
    var label = select && select.id && document.querySelector('label[for="' + select.id + '"]');
    if (label && !label.id) label.id = select.id + "-label";
    return label;
  }

  function nameFields() {
    // One choice: "label, chosen value".
    document.querySelectorAll(".select2-selection__rendered[role=textbox]").forEach(function (rendered) {
      rendered.removeAttribute("role");
      rendered.removeAttribute("aria-readonly");
      var combo = rendered.closest("[role=combobox]");
      var label = fieldLabel(rendered);
      if (combo && label && rendered.id) combo.setAttribute("aria-labelledby", label.id + " " + rendered.id);
    });
    // Several choices: the box and its search field (rebuilt on every change).
    var several = ".select2-selection--multiple:not([aria-labelledby]), " +
      ".select2-search--inline .select2-search__field:not([aria-labelledby])";
    document.querySelectorAll(several).forEach(function (element) {
      var label = fieldLabel(element);
      if (label) element.setAttribute("aria-labelledby", label.id);
    });
  }

  function start() {
    nameFields();
    new MutationObserver(nameFields).observe(document.body, { childList: true, subtree: true });
  }

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
