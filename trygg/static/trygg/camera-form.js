// The camera form: the schedule editor's rows, templates spelled out, and choices that follow the site.
// Everything here improves a form that also works without JavaScript (the server checks it all).
(function () {
  "use strict";

  function json(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function setUpSchedule(form) {
    var editor = form.querySelector("[data-schedule-editor]");
    var template = form.querySelector("[name=schedule_template]");
    if (!editor || !template) { return; }
    var prefix = editor.dataset.prefix;
    var rowsBox = editor.querySelector("[data-rows]");
    var total = form.querySelector("[name=" + prefix + "-TOTAL_FORMS]");
    var emptyRow = document.getElementById("schedule-empty-row");
    var addButton = editor.querySelector("[data-add-row]");
    var hoursText = document.getElementById("schedule-template-hours");
    var rules = json("schedule-template-rules") || {};
    var descriptions = json("schedule-template-descriptions") || {};
    var filling = false;

    function rows() { return Array.prototype.slice.call(rowsBox.querySelectorAll("[data-row]")); }

    function addRow() {
      var index = Number(total.value);
      var html = emptyRow.innerHTML.replace(/__prefix__/g, String(index)).replace(/__row__/g, String(rows().length + 1));
      rowsBox.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      return rows()[rows().length - 1];
    }

    function field(row, name) { return row.querySelector("[name$='-" + name + "']"); }

    function fill(row, rule) {
      row.hidden = false;
      row.querySelectorAll("input[type=checkbox][name$='-days']").forEach(function (box) {
        box.checked = rule ? rule.days.indexOf(Number(box.value)) >= 0 : false;
      });
      field(row, "applies").value = !rule || rule.school_free === undefined || rule.school_free === null ? "all"
        : (rule.school_free ? "school_free" : "school_days");
      field(row, "start").value = rule ? rule.start : "";
      field(row, "end").value = rule ? rule.end : "";
      var remove = field(row, "DELETE");
      if (remove) { remove.checked = !rule; }
      if (!rule) { row.hidden = true; }
    }

    // A template was chosen: its hours become the rows (rows beyond them are removed).
    function showTemplate() {
      var chosen = template.value;
      var text = descriptions[chosen];
      hoursText.textContent = text ? hoursText.dataset.format.replace("HOURS", text) : "";
      if (!rules[chosen]) { return; }
      filling = true;
      var wanted = rules[chosen];
      while (rows().length < wanted.length) { addRow(); }
      rows().forEach(function (row, index) { fill(row, wanted[index] || null); });
      filling = false;
    }

    addButton.hidden = false;
    addButton.addEventListener("click", function () {
      var row = addRow();
      var first = row.querySelector("input");
      if (first) { first.focus(); }
    });
    template.addEventListener("change", function () {
      template.dataset.touched = "true";
      showTemplate();
    });
    // Editing a row means the camera has its own hours; say so before the form is sent or previewed.
    function rowEdited(event) {
      if (filling || !event.target.closest("[data-row]")) { return; }
      if (template.value !== "custom") {
        template.value = "custom";
        template.dataset.touched = "true";
        hoursText.textContent = "";
      }
      var row = event.target.closest("[data-row]");
      var remove = field(row, "DELETE");
      row.classList.toggle("removed", Boolean(remove && remove.checked));
    }
    editor.addEventListener("input", rowEdited);
    editor.addEventListener("change", rowEdited);
    form.cameraSchedule = { showTemplate: showTemplate, template: template, isNew: editor.dataset.newCamera === "true" };
  }

  function setUpSite(form) {
    var site = form.querySelector("[name=site]");
    var project = form.querySelector("[name=project]");
    var projects = json("projects-by-site") || [];
    if (!site) { return; }
    site.addEventListener("change", function () {
      if (project) {
        var keep = project.value;
        var empty = project.querySelector("option[value='']");
        project.innerHTML = "";
        if (empty) { project.appendChild(empty); }
        projects.filter(function (p) { return String(p.site) === site.value; }).forEach(function (p) {
          var option = document.createElement("option");
          option.value = String(p.id);
          option.textContent = p.name;
          option.selected = String(p.id) === keep;
          project.appendChild(option);
        });
      }
      var schedule = form.cameraSchedule;
      var chosen = site.options[site.selectedIndex];
      // A new camera at a school gets IMY's school-facade hours, unless someone already chose hours.
      if (schedule && schedule.isNew && schedule.template.dataset.touched !== "true" && chosen) {
        schedule.template.value = chosen.dataset.school === "true" ? "imy_school_facade" : "always";
        schedule.showTemplate();
      }
      var map = document.querySelector("[data-map-preview]");
      if (map && site.value && form.dataset.siteMapUrl) {
        var url = form.dataset.siteMapUrl.replace("/0/", "/" + site.value + "/");
        map.dispatchEvent(new CustomEvent("trygg:map-source", { detail: { url: url } }));
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.camera-form");
    if (!form) { return; }
    setUpSchedule(form);
    setUpSite(form);
  });
})();
