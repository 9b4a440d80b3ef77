// Choosing many rows (incidents, measures) in a table: search, filters, pages and "select all shown".
// Markup (compliance/documents/_chooser.html): a [data-chooser] element holding a table whose rows carry
// data-text (lower-case words to search) and data-<filter> values, each with one checkbox. Without
// JavaScript every row shows in a scrolling box; with it the tools appear and the rows come in pages.
// Every checkbox stays in the form, so chosen rows on other pages are submitted too. The texts come
// from data-text-* attributes with {placeholders}, translated on the server.
(function () {
  "use strict";

  function format(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : all;
    });
  }

  function enhance(root) {
    var rows = Array.prototype.slice.call(root.querySelectorAll("tbody tr[data-text]"));
    var size = parseInt(root.dataset.pageSize || "20", 10);
    var page = 0;
    var tools = root.querySelector("[data-chooser-tools]");
    var search = root.querySelector("[data-chooser-search]");
    var filters = Array.prototype.slice.call(root.querySelectorAll("[data-chooser-filter]"));
    var onlyChosen = root.querySelector("[data-chooser-only-chosen]");
    var count = root.querySelector("[data-chooser-count]");
    var pages = root.querySelector("[data-chooser-pages]");
    var pageLabel = root.querySelector("[data-chooser-page]");
    var previous = root.querySelector("[data-chooser-previous]");
    var next = root.querySelector("[data-chooser-next]");
    var selectShown = root.querySelector("[data-chooser-select]");
    var clearShown = root.querySelector("[data-chooser-clear]");

    function box(row) { return row.querySelector("input[type=checkbox]"); }

    function matching() {
      var query = search ? search.value.trim().toLowerCase() : "";
      return rows.filter(function (row) {
        if (query && row.dataset.text.indexOf(query) === -1) { return false; }
        for (var i = 0; i < filters.length; i += 1) {
          var wanted = filters[i].value;
          if (wanted && row.dataset[filters[i].dataset.chooserFilter] !== wanted) { return false; }
        }
        return !(onlyChosen && onlyChosen.checked && !box(row).checked);
      });
    }

    function render() {
      var found = matching();
      var pageCount = Math.max(1, Math.ceil(found.length / size));
      page = Math.min(page, pageCount - 1);
      var shown = found.slice(page * size, page * size + size);
      rows.forEach(function (row) {
        row.hidden = shown.indexOf(row) === -1;
        row.classList.toggle("chosen", box(row).checked);
      });
      var chosen = rows.filter(function (row) { return box(row).checked; }).length;
      count.textContent = format(root.dataset.textCount, { chosen: chosen, total: rows.length, matching: found.length });
      pages.hidden = pageCount <= 1;
      pageLabel.textContent = format(root.dataset.textPage, { page: page + 1, pages: pageCount });
      previous.disabled = page === 0;
      next.disabled = page >= pageCount - 1;
      selectShown.textContent = format(root.dataset.textSelect, { n: found.length });
      clearShown.textContent = format(root.dataset.textClear, { n: found.length });
      selectShown.disabled = clearShown.disabled = found.length === 0;
    }

    function setAll(checked) {
      matching().forEach(function (row) { box(row).checked = checked; });
      render();
    }

    function restart() { page = 0; render(); }

    if (search) { search.addEventListener("input", restart); }
    filters.forEach(function (select) { select.addEventListener("change", restart); });
    if (onlyChosen) { onlyChosen.addEventListener("change", restart); }
    previous.addEventListener("click", function () { page -= 1; render(); });
    next.addEventListener("click", function () { page += 1; render(); });
    selectShown.addEventListener("click", function () { setAll(true); });
    clearShown.addEventListener("click", function () { setAll(false); });
    root.addEventListener("change", function (event) {
      if (event.target.matches("tbody input[type=checkbox]")) { render(); }
    });
    // Enter in the search box filters; it must not submit the whole assessment.
    if (search) {
      search.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); restart(); }
      });
    }
    tools.hidden = false;
    root.dataset.enhanced = "true";
    render();
  }

  function start() { document.querySelectorAll("[data-chooser]").forEach(enhance); }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
