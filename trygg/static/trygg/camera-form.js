// The camera form: schedule templates filling the weekly-hours editor, and choices that follow the site.
// Everything here improves a form that also works without JavaScript (the server checks it all).
(function () {
  "use strict";

  function json(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  // The schedule: the weekly-hours editor's rows, filled from a template when one is chosen.
  function setUpSchedule(form) {
    var wrapper = form.querySelector("[data-schedule-editor]");
    var template = form.querySelector("[name=schedule_template]");
    var element = wrapper && wrapper.querySelector("[data-weekly-hours]");
    if (!element || !template || !window.TryggWeeklyHours) { return; }
    var editor = window.TryggWeeklyHours.editor(element);
    var hoursText = document.getElementById("schedule-template-hours");
    var rules = json("schedule-template-rules") || {};
    var descriptions = json("schedule-template-descriptions") || {};

    // A template was chosen: its hours are spelled out and become the rows (rows beyond them are removed).
    function showTemplate() {
      var chosen = template.value;
      var text = descriptions[chosen];
      hoursText.textContent = text ? hoursText.dataset.format.replace("HOURS", text) : "";
      if (rules[chosen]) { editor.setRules(rules[chosen]); }
    }

    template.addEventListener("change", function () {
      template.dataset.touched = "true";
      showTemplate();
    });
    // Editing a row means the camera has its own hours; say so before the form is sent or previewed.
    function rowEdited(event) {
      if (!event.target.closest("[data-row]") || template.value === "custom") { return; }
      template.value = "custom";
      template.dataset.touched = "true";
      hoursText.textContent = "";
    }
    element.addEventListener("input", rowEdited);
    element.addEventListener("change", rowEdited);
    form.cameraSchedule = { showTemplate: showTemplate, template: template, isNew: wrapper.dataset.newCamera === "true" };
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
