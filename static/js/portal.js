// Behaviour shared by every page. No inline scripts: templates mark
// elements with js-* classes and this file wires them up.
(function () {
  "use strict";

  function initDatePickers(root) {
    if (!window.flatpickr) return;
    root.querySelectorAll("input.js-date").forEach(function (input) {
      if (input._flatpickr) return;
      window.flatpickr(input, {
        locale: "vn",
        dateFormat: "d/m/Y",
        allowInput: true,
        disableMobile: true,
      });
    });
  }

  function initAutoSubmit(root) {
    root.querySelectorAll("select.js-autosubmit").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }

  function initConfirm(root) {
    root.querySelectorAll("form.js-confirm").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) event.preventDefault();
      });
    });
  }

  function init(root) {
    initDatePickers(root);
    initAutoSubmit(root);
    initConfirm(root);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
