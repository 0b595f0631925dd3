// Behaviour shared by every page. No inline scripts: templates mark
// elements with js-* classes and this file wires them up.
(function () {
  "use strict";

  function parseStrictDate(text) {
    var m = /^\s*(\d{1,2})[\/.-](\d{1,2})[\/.-](\d{4})\s*$/.exec(text || "");
    if (!m) return undefined;
    var day = +m[1], month = +m[2], year = +m[3];
    var date = new Date(year, month - 1, day);
    if (date.getFullYear() !== year || date.getMonth() !== month - 1 || date.getDate() !== day) return undefined;
    return date;
  }

  function initDatePickers(root) {
    if (!window.flatpickr) return;
    root.querySelectorAll("input.js-date").forEach(function (input) {
      if (input._flatpickr) return;
      window.flatpickr(input, {
        locale: "vn",
        dateFormat: "d/m/Y",
        allowInput: true,
        disableMobile: true,
        // "Tháng mười một" would cover the year; "Th11" leaves it visible.
        shorthandCurrentMonth: true,
        // Strict: "31/02/2025" must reach the server as typed and be refused
        // there with a message, not be rolled over to 03/03/2025.
        parseDate: parseStrictDate,
        errorHandler: function () {},
      });
      // Flatpickr empties a field it cannot parse; put back what was typed
      // so the server can say what is wrong and nothing typed is lost.
      input.addEventListener("input", function () { input.dataset.typed = input.value; });
      input.addEventListener("blur", function () {
        window.setTimeout(function () {
          if (!input.value && input.dataset.typed) input.value = input.dataset.typed;
        }, 0);
      });
    });
  }

  function initAutoSubmit(root) {
    root.querySelectorAll("select.js-autosubmit").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }

  // A button marked data-once sends its form once: a second click while the
  // page is on its way does nothing (the server acts once anyway).
  function initOnce(root) {
    root.querySelectorAll("button[data-once]").forEach(function (button) {
      if (button.dataset.boundOnce || !button.form) return;
      button.dataset.boundOnce = "1";
      button.form.addEventListener("submit", function (event) {
        // After every listener has run: a confirmation answered "no"
        // (js-confirm) leaves the button usable.
        window.setTimeout(function () { if (!event.defaultPrevented) button.disabled = true; }, 0);
      });
    });
  }

  function initConfirm(root) {
    root.querySelectorAll("form.js-confirm").forEach(function (form) {
      if (form.dataset.boundConfirm) return;
      form.dataset.boundConfirm = "1";
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) event.preventDefault();
      });
    });
    // One button of a form that asks first (the form's other buttons do not).
    root.querySelectorAll("button.js-confirm-button").forEach(function (button) {
      if (button.dataset.boundConfirm || button.closest(".js-score-form")) return;
      button.dataset.boundConfirm = "1";
      button.addEventListener("click", function (event) {
        if (!window.confirm(button.dataset.confirm)) event.preventDefault();
      });
    });
  }

  // Formsets: "Thêm dòng" copies the empty form from its <template>, with
  // the next index, and bumps the management form's TOTAL_FORMS.
  function initFormsets(root) {
    root.querySelectorAll("button.js-add-form").forEach(function (button) {
      if (button.dataset.bound) return;
      button.dataset.bound = "1";
      button.addEventListener("click", function () {
        var prefix = button.dataset.prefix;
        var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
        var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
        var index = +total.value;
        if (max && index >= +max.value) {
          window.alert(button.dataset.limitMessage || "");
          return;
        }
        var template = document.getElementById(prefix + "-empty");
        var holder = document.createElement("div");
        holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
        var container = document.getElementById(prefix + "-container");
        var added = [];
        while (holder.firstElementChild) {
          added.push(holder.firstElementChild);
          container.appendChild(holder.firstElementChild);
        }
        total.value = index + 1;
        added.forEach(function (el) { init(el); });
        var first = added.length && added[0].querySelector("input:not([type=hidden]), textarea, select");
        if (first) first.focus();
      });
    });
  }

  // Formset rows: show a field only for the values of the row's "target"
  // (or "kind") select it applies to, e.g. the kinds of a group line.
  function initShownFor(root) {
    var rows = root.matches && root.matches(".part-row") ? [root] : root.querySelectorAll(".part-row");
    Array.prototype.forEach.call(rows, function (row) {
      var select = row.querySelector("select[name$='-target'], select[name$='-kind'], select[name$='-piece'], select[name$='-part'], select[name='assignee']");
      if (!select || select.dataset.boundShown) return;
      select.dataset.boundShown = "1";
      function update() {
        row.querySelectorAll("[data-shown-for]").forEach(function (col) {
          var show = col.dataset.shownFor.split(" ").indexOf(select.value) !== -1;
          // A field with an error stays visible so the message is seen.
          col.classList.toggle("d-none", !show && !col.querySelector(".is-invalid"));
        });
      }
      select.addEventListener("change", update);
      update();
    });
  }

  // Document editor: the toolbar writes the Markdown subset the server
  // accepts (bold, italic, dash list, table) around the selection, then
  // fires "input" so the live preview follows.
  var MD = {
    bold: function (text) { return "**" + (text || "chữ đậm") + "**"; },
    italic: function (text) { return "*" + (text || "chữ nghiêng") + "*"; },
    list: function (text) {
      return (text || "ý thứ nhất").split("\n").map(function (line) { return "- " + line.replace(/^- /, ""); }).join("\n");
    },
    table: function () { return "\n| STT | Nội dung | Đơn vị |\n|---|---|---|\n| 1. |  |  |\n"; },
  };

  function initMarkdownToolbars(root) {
    root.querySelectorAll(".js-md-toolbar").forEach(function (bar) {
      if (bar.dataset.bound) return;
      bar.dataset.bound = "1";
      bar.addEventListener("click", function (event) {
        var button = event.target.closest("button[data-md]");
        if (!button) return;
        var area = document.getElementById(bar.dataset.target);
        var start = area.selectionStart, end = area.selectionEnd;
        var replacement = MD[button.dataset.md](area.value.slice(start, end));
        area.setRangeText(replacement, start, end, "select");
        area.focus();
        area.dispatchEvent(new Event("input", { bubbles: true }));
      });
    });
  }

  // "Chọn đơn vị chưa trả lời": tick every box that belongs to the form.
  function initCheckAll(root) {
    root.querySelectorAll("button.js-check-all").forEach(function (button) {
      if (button.dataset.bound) return;
      button.dataset.bound = "1";
      button.addEventListener("click", function () {
        document.querySelectorAll("input[type=checkbox][form='" + button.dataset.form + "']").forEach(function (box) {
          box.checked = true;
        });
      });
    });
  }

  // Score sheets: running totals per field and overall as the user types,
  // and a warning beside a score outside 0..maximum (the server checks again).
  function parseScore(text) {
    text = (text || "").trim().replace(/\s/g, "");
    if (!text) { return null; }
    if (text.indexOf(",") >= 0) { text = text.replace(/\./g, "").replace(",", "."); }
    return /^-?\d+(\.\d+)?$/.test(text) ? parseFloat(text) : NaN;
  }

  function formatScore(value) {
    return value.toLocaleString("vi-VN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  function initScoreForms(root) {
    root.querySelectorAll("form.js-score-form").forEach(function (form) {
      if (form.dataset.boundScores) return;
      form.dataset.boundScores = "1";
      var inputs = form.querySelectorAll("input.js-score");
      function update() {
        var fields = {}, total = 0;
        inputs.forEach(function (input) {
          var value = parseScore(input.value), max = parseFloat(input.dataset.max);
          var field = input.closest("tr").dataset.field;
          var bad = value !== null && (isNaN(value) || value < 0 || value > max);
          if (!input.dataset.serverError) { input.classList.toggle("is-invalid", bad); }
          var feedback = input.parentNode.querySelector(".invalid-feedback");
          if (bad && feedback && !input.dataset.serverError) {
            feedback.textContent = isNaN(value) ? "Không phải là số." : "Điểm phải từ 0 đến " + formatScore(max) + ".";
          }
          if (value !== null && !bad) {
            fields[field] = (fields[field] || 0) + value;
            total += value;
          }
        });
        form.querySelectorAll(".js-field-total").forEach(function (cell) {
          cell.textContent = formatScore(fields[cell.dataset.field] || 0);
        });
        form.querySelectorAll(".js-grand-total").forEach(function (cell) { cell.textContent = formatScore(total); });
      }
      inputs.forEach(function (input) {
        if (input.classList.contains("is-invalid")) { input.dataset.serverError = "1"; }
        input.addEventListener("input", function () { delete input.dataset.serverError; update(); });
      });
      form.querySelectorAll("button.js-confirm-button").forEach(function (button) {
        button.addEventListener("click", function (event) {
          if (!window.confirm(button.dataset.confirm)) { event.preventDefault(); }
        });
      });
      update();
    });
  }

  function init(root) {
    initScoreForms(root);
    initCheckAll(root);
    initMarkdownToolbars(root);
    initDatePickers(root);
    initAutoSubmit(root);
    initConfirm(root);
    initOnce(root);
    initFormsets(root);
    initShownFor(root);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
