// Draws a camera's coverage, visible area, privacy mask, zones and buildings from its GeoJSON.
// Works without a tile server: vector layers on a plain background unless data-tile-url is set.
(function () {
  "use strict";
  var STYLES = {
    coverage: { color: "#0b4f8a", weight: 1, dashArray: "4 4", fillOpacity: 0.05 },
    visible: { color: "#0b4f8a", weight: 2, fillColor: "#3b8bd0", fillOpacity: 0.35 },
    mask: { color: "#a4000f", weight: 2, fillColor: "#a4000f", fillOpacity: 0.45 },
    building: { color: "#444", weight: 1, fillColor: "#888", fillOpacity: 0.6 },
  };
  var ZONE_COLOURS = { may_monitor: "#2e7d32", must_not_monitor: "#c62828", only_outside_school_hours: "#ef6c00" };

  function style(feature) {
    var p = feature.properties;
    if (p.kind === "zone") {
      var c = ZONE_COLOURS[p.rule] || "#555";
      return { color: c, weight: 2, fillColor: c, fillOpacity: 0.12 };
    }
    return STYLES[p.kind] || {};
  }

  function legend(map, entries) {
    var control = L.control({ position: "bottomright" });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "coverage-legend");
      entries.forEach(function (entry) {
        var swatch = L.DomUtil.create("span", "", div);
        swatch.style.background = entry[0];
        div.appendChild(document.createTextNode(entry[1]));
        L.DomUtil.create("br", "", div);
      });
      return div;
    };
    control.addTo(map);
  }

  function draw(element) {
    var map = L.map(element, { attributionControl: Boolean(element.dataset.tileUrl) });
    if (element.dataset.tileUrl) {
      L.tileLayer(element.dataset.tileUrl, { maxZoom: 20 }).addTo(map);
    }
    fetch(element.dataset.coverageMap, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var order = ["zone", "building", "coverage", "visible", "mask", "camera"];
        data.features.sort(function (a, b) { return order.indexOf(a.properties.kind) - order.indexOf(b.properties.kind); });
        var layer = L.geoJSON(data, {
          style: style,
          pointToLayer: function (feature, latlng) {
            return L.circleMarker(latlng, { radius: 6, color: "#000", weight: 2, fillColor: "#ffd400", fillOpacity: 1 });
          },
          onEachFeature: function (feature, l) {
            var p = feature.properties;
            if (p.kind === "zone") { l.bindTooltip(p.name); }
            if (p.kind === "camera") { l.bindTooltip(p.identifier); }
          },
        }).addTo(map);
        map.fitBounds(layer.getBounds(), { padding: [20, 20] });
        var labels = document.getElementById(element.dataset.legend);
        legend(map, labels ? JSON.parse(labels.textContent) : []);
        element.dataset.loaded = "true";
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-coverage-map]").forEach(draw);
  });
})();
