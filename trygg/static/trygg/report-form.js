// The board report's form: choosing an assignment sets the year to its plan year when the year is
// earlier, and the reporting-point list offers only that assignment's reporting points. Without
// JavaScript the server refuses a mismatch with a message (BoardReport.clean).
(function () {
  "use strict";
  var assignment = document.querySelector("select[data-report-assignment]");
  if (!assignment) return;
  var year = document.querySelector("input[data-report-year]");
  var point = document.querySelector("select[data-report-reporting-point]");

  function chosen() {
    return assignment.options[assignment.selectedIndex];
  }

  function filterPoints() {
    if (!point) return;
    var id = assignment.value;
    Array.prototype.forEach.call(point.options, function (option) {
      if (!option.value) return; // the empty choice stays
      var belongs = !id || option.dataset.assignment === id;
      option.hidden = !belongs;
      option.disabled = !belongs;
      if (!belongs && option.selected) point.value = "";
    });
  }

  function followYear() {
    var option = chosen();
    if (!year || !option || !option.dataset.planYear) return;
    var plan = parseInt(option.dataset.planYear, 10);
    if (!year.value || parseInt(year.value, 10) < plan) year.value = String(plan);
  }

  assignment.addEventListener("change", function () {
    followYear();
    filterPoints();
  });
  filterPoints();
})();
