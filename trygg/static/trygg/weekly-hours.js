// The weekly-hours editor (includes/weekly_hours.html): rows added and removed without a page load.
// Without JavaScript the editor works too: "Lägg till en rad" asks the server for one more empty row,
// and a row is removed by ticking its box or leaving it empty. Pages that fill the rows themselves
// (the camera form's templates) use TryggWeeklyHours.editor(element).setRules(rules).
(function () {
  "use strict";

  function setUp(editor) {
    if (editor.weeklyHours) { return editor.weeklyHours; }
    var prefix = editor.dataset.prefix;
    var rowsBox = editor.querySelector("[data-rows]");
    var total = editor.querySelector("[name='" + prefix + "-TOTAL_FORMS']");
    var emptyRow = editor.querySelector("template[data-empty-row]");
    var addButton = editor.querySelector("[data-add-row]");

    function rows() { return Array.prototype.slice.call(rowsBox.querySelectorAll("[data-row]")); }

    function field(row, name) { return row.querySelector("[name$='-" + name + "']"); }

    // A new empty row, numbered as the server numbers it (its index + 1).
    function addRow() {
      var index = Number(total.value);
      var html = emptyRow.innerHTML.replace(/__prefix__/g, String(index)).replace(/__row__/g, String(index + 1));
      rowsBox.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      return rows()[rows().length - 1];
    }

    function showRemoved(row) {
      var remove = field(row, "DELETE");
      row.classList.toggle("removed", Boolean(remove && remove.checked));
    }

    // Fill a row with a stored rule ({days, start, end, school_free}); no rule empties and removes it.
    function fill(row, rule) {
      row.querySelectorAll("input[type=checkbox][name$='-days']").forEach(function (box) {
        box.checked = rule ? rule.days.indexOf(Number(box.value)) >= 0 : false;
      });
      var applies = field(row, "applies");
      if (applies) {
        applies.value = !rule || rule.school_free === undefined || rule.school_free === null ? "all"
          : (rule.school_free ? "school_free" : "school_days");
      }
      field(row, "start").value = rule ? rule.start : "";
      field(row, "end").value = rule ? rule.end : "";
      var remove = field(row, "DELETE");
      if (remove) { remove.checked = !rule; }
      row.hidden = !rule;
      showRemoved(row);
    }

    // The rows become `rules`, one each; rows beyond them are emptied, removed and hidden.
    function setRules(rules) {
      while (rows().length < rules.length) { addRow(); }
      rows().forEach(function (row, index) { fill(row, rules[index] || null); });
    }

    // With JavaScript the button adds the row here; as a plain button it no longer catches Enter.
    addButton.type = "button";
    addButton.addEventListener("click", function (event) {
      event.preventDefault();
      var first = addRow().querySelector("input:not([type=hidden])");
      if (first) { first.focus(); }
    });
    editor.addEventListener("change", function (event) {
      var row = event.target.closest("[data-row]");
      if (row && /-DELETE$/.test(event.target.name)) { showRemoved(row); }
    });
    editor.weeklyHours = { rows: rows, addRow: addRow, setRules: setRules };
    return editor.weeklyHours;
  }

  window.TryggWeeklyHours = { editor: setUp };
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-weekly-hours]").forEach(setUp);
  });
})();
