// Trygg's maps: one script for every page. A map element says what to show with data attributes:
//   data-map-source   URL of a GeoJSON FeatureCollection (features carry properties.kind)
//   data-map-labels   id of a json_script element with {layerKind: label} for the layer switcher
//   data-map-draw     id of a hidden input: the user draws or edits one polygon into it (Geoman)
//   data-map-draw-lines  "true": a line may be drawn instead (a wall or fence zone)
//   data-map-draw-note   id of a hidden note shown when the input's value cannot be drawn (wholly or in part)
//   data-map-point    "lon-input-id,lat-input-id": a click sets the point (site or camera position)
//   data-map-point-clears  ids of inputs a click empties (the same point typed in another system)
//   data-map-omit     feature ids, kinds or "label:X" left out of the source (the zone being edited, say)
//   geoman-texts      a json_script element with Leaflet-Geoman's texts in the page's language
//   data-map-bbox     "true": ask the source only for what is in view (?bbox=west,south,east,north),
//                     again after each move; a wide view gets cameras counted per area (kind "cluster")
// An event "trygg:map-source" with detail {url} on a map element replaces its source layers.
//   data-tile-url     base-map tiles; without it the vector layers stand on a plain background
// A map announces itself ready with data-loaded="true" (the browser tests wait for it).
(function () {
  "use strict";
  // 5: the whole of Sweden in a map of a few hundred pixels; 19: the last level common tile servers draw.
  var MIN_ZOOM = 5;
  var MAX_ZOOM = 19;
  var ZONE_COLOURS = { may_monitor: "#2e7d32", must_not_monitor: "#c62828", only_outside_school_hours: "#ef6c00" };
  var STYLES = {
    outline: { color: "#0b2f52", weight: 2, dashArray: "6 4", fill: false },
    coverage: { color: "#0b4f8a", weight: 1, dashArray: "4 4", fillOpacity: 0.05 },
    visible: { color: "#0b4f8a", weight: 2, fillColor: "#3b8bd0", fillOpacity: 0.35 },
    mask: { color: "#a4000f", weight: 2, fillColor: "#a4000f", fillOpacity: 0.45 },
    building: { color: "#444", weight: 1, fillColor: "#888", fillOpacity: 0.6 },
  };

  function styleOf(feature) {
    var p = feature.properties || {};
    if (p.kind === "zone") {
      var c = ZONE_COLOURS[p.rule] || "#555";
      return { color: c, weight: 2, fillColor: c, fillOpacity: 0.15 };
    }
    return STYLES[p.kind] || {};
  }

  function pointOf(feature, latlng) {
    var p = feature.properties || {};
    if (p.kind === "cluster") {
      // A count of cameras in an area of a wide view, written in the icon; a click (or Enter) zooms in towards it.
      // The size is a CSS class (no inline style): iconSize null keeps Leaflet from setting width and height.
      var count = Number(p.count) || 0;
      var number = document.createElement("span");
      number.className = "map-cluster-count";
      number.textContent = String(count);
      var bucket = count < 10 ? "small" : count < 100 ? "medium" : "large";
      var icon = L.divIcon({ html: number, className: "map-cluster map-cluster-" + bucket, iconSize: null });
      var cluster = L.marker(latlng, { icon: icon, keyboard: true, title: p.label || String(count) });
      cluster.on("add", function () {
        var element = cluster.getElement();
        if (element) { element.setAttribute("aria-label", p.label || String(count)); }
      });
      cluster.on("click", function () { if (cluster._map) { cluster._map.setView(latlng, cluster._map.getZoom() + 2); } });
      return cluster;
    }
    if (p.kind === "site") {
      return L.circleMarker(latlng, { radius: 7, color: "#0b2f52", weight: 2, fillColor: "#fff", fillOpacity: 1 });
    }
    var fill = p.intrudes ? "#c62828" : p.state === "in_operation" ? "#ffd400" : "#bbbbbb";
    return L.circleMarker(latlng, { radius: 6, color: "#000", weight: 2, fillColor: fill, fillOpacity: 1 });
  }

  function popupOf(feature, layer) {
    var p = feature.properties || {};
    var text = p.label || p.name || p.identifier;
    if (!text) { return; }
    if (p.url) {
      var link = document.createElement("a");
      link.href = p.url;
      link.textContent = text;
      layer.bindPopup(link);
    } else {
      // A name is text, never HTML: a zone called "<img onerror=…>" must not run (Leaflet sets a string as HTML).
      var label = document.createElement("span");
      label.textContent = String(text);
      layer.bindTooltip(label);
    }
  }

  function labelsOf(element) {
    var source = element.dataset.mapLabels && document.getElementById(element.dataset.mapLabels);
    return source ? JSON.parse(source.textContent) : {};
  }

  function omitted(element) {
    return (element.dataset.mapOmit || "").split(",").filter(Boolean);
  }

  function fillFromGeoJSON(map, data, labels, omit) {
    var order = ["outline", "zone", "building", "coverage", "visible", "mask", "site", "camera"];
    var groups = {};
    var all = L.featureGroup();
    data.features.forEach(function (feature) {
      var kind = (feature.properties || {}).kind || "other";
      var label = "label:" + ((feature.properties || {}).label || "");
      if (omit && (omit.indexOf(kind) >= 0 || omit.indexOf(String(feature.id)) >= 0 || omit.indexOf(label) >= 0)) { return; }
      if (!groups[kind]) { groups[kind] = L.featureGroup(); }
      // pmIgnore: the drawing tools edit only the shape being drawn, never the layers shown around it.
      L.geoJSON(feature, { style: styleOf, pointToLayer: pointOf, onEachFeature: popupOf, pmIgnore: true }).addTo(groups[kind]);
    });
    var overlays = {};
    order.concat(Object.keys(groups)).forEach(function (kind) {
      if (groups[kind] && !overlays[labels[kind] || kind]) {
        groups[kind].addTo(map);
        groups[kind].addTo(all);
        overlays[labels[kind] || kind] = groups[kind];
      }
    });
    if (Object.keys(overlays).length > 1) {
      // On a small map an open layer list would hide the map itself.
      var small = map.getContainer().clientWidth < 480;
      all.control = L.control.layers(null, overlays, { collapsed: small }).addTo(map);
    }
    all.groups = groups;
    return all;
  }

  function geomanTexts() {
    var source = document.getElementById("geoman-texts");
    return source ? JSON.parse(source.textContent) : null;
  }

  // A position Leaflet can place: finite degrees, longitude within ±180 and latitude within ±90
  // (a huge but finite number makes fitBounds compute NaN: "Invalid LatLng object: (NaN, NaN)").
  function isPosition(position) {
    return Array.isArray(position) && position.length >= 2 &&
      typeof position[0] === "number" && typeof position[1] === "number" &&
      isFinite(position[0]) && isFinite(position[1]) &&
      Math.abs(position[0]) <= 180 && Math.abs(position[1]) <= 90;
  }

  function goodLine(line, least) {
    return Array.isArray(line) && line.length >= least && line.every(isPosition);
  }

  function goodPolygon(rings) {
    return Array.isArray(rings) && rings.length > 0 && goodLine(rings[0], 4);
  }

  // The parts of a GeoJSON geometry that can be drawn: {geometry, partial} or null when none can.
  // Polygons keep their readable rings (the outer ring must be readable), multi-geometries their readable parts.
  function drawable(value, linesAllowed) {
    if (!value || typeof value !== "object") { return null; }
    var type = value.type;
    var parts = value.coordinates;
    if (!Array.isArray(parts)) { return null; }
    if (type === "Polygon" && goodPolygon(parts)) {
      var rings = parts.filter(function (ring) { return goodLine(ring, 4); });
      return { geometry: { type: type, coordinates: rings }, partial: rings.length < parts.length };
    }
    if (type === "MultiPolygon") {
      var polygons = parts.filter(goodPolygon).map(function (rings) {
        return rings.filter(function (ring) { return goodLine(ring, 4); });
      });
      var whole = polygons.length === parts.length && polygons.every(function (p, i) { return p.length === parts[i].length; });
      return polygons.length ? { geometry: { type: type, coordinates: polygons }, partial: !whole } : null;
    }
    if (linesAllowed && type === "LineString" && goodLine(parts, 2)) {
      return { geometry: value, partial: false };
    }
    if (linesAllowed && type === "MultiLineString") {
      var lines = parts.filter(function (line) { return goodLine(line, 2); });
      return lines.length ? { geometry: { type: type, coordinates: lines }, partial: lines.length < parts.length } : null;
    }
    return null;
  }

  function setUpDrawing(map, element) {
    var input = document.getElementById(element.dataset.mapDraw);
    if (!input || !map.pm) { return; }
    var current = null;
    function store(layer) {
      input.value = JSON.stringify(layer.toGeoJSON().geometry);
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
    if (input.value) {
      // A refused save shows the sent value again, which may be anything: draw only what is readable.
      var shown = null;
      try { shown = drawable(JSON.parse(input.value), element.dataset.mapDrawLines === "true"); } catch (error) { shown = null; }
      if (shown) {
        current = L.geoJSON(shown.geometry, { style: { color: "#6a1b9a", weight: 3 } }).getLayers()[0];
        current.addTo(map);
        current.on("pm:edit", function () { store(current); });
      }
      var note = element.dataset.mapDrawNote && document.getElementById(element.dataset.mapDrawNote);
      if (note && (!shown || shown.partial)) { note.hidden = false; }
    }
    map.pm.addControls({
      position: "topleft", drawMarker: false, drawCircleMarker: false, drawCircle: false,
      drawPolyline: element.dataset.mapDrawLines === "true",
      drawText: false, cutPolygon: false, rotateMode: false, dragMode: false,
    });
    var lang = document.documentElement.lang === "sv" ? "sv" : "en";
    var texts = geomanTexts();
    // Geoman's own Swedish reads "Rita Polygoner"; our texts (from Django's catalogue) go over it.
    if (texts) { map.pm.setLang(lang, texts, lang); } else { map.pm.setLang(lang); }
    // Geoman puts each tool's name on a wrapper's title; give the link itself that name for screen readers.
    element.querySelectorAll(".leaflet-pm-toolbar .button-container").forEach(function (container) {
      var link = container.querySelector("a");
      if (link && container.title) { link.setAttribute("aria-label", container.title); }
    });
    map.on("pm:create", function (event) {
      if (current) { map.removeLayer(current); }
      current = event.layer;
      current.on("pm:edit", function () { store(current); });
      store(current);
    });
    map.on("pm:remove", function (event) {
      if (event.layer === current) { current = null; input.value = ""; }
    });
    return current;
  }

  function setUpPoint(map, element) {
    var ids = element.dataset.mapPoint.split(",");
    var lon = document.getElementById(ids[0]);
    var lat = document.getElementById(ids[1]);
    var clears = (element.dataset.mapPointClears || "").split(",").filter(Boolean).map(function (id) {
      return document.getElementById(id);
    }).filter(Boolean);
    var marker = null;
    function place(latlng) {
      if (marker) { marker.setLatLng(latlng); } else {
        marker = L.circleMarker(latlng, { radius: 7, color: "#000", weight: 2, fillColor: "#6a1b9a", fillOpacity: 1 }).addTo(map);
      }
    }
    if (lon.value && lat.value) { place([parseFloat(lat.value), parseFloat(lon.value)]); }
    // A position typed (or pasted) into the fields moves the marker and the map to it.
    function typed() {
      var y = parseFloat(String(lat.value).replace(",", "."));
      var x = parseFloat(String(lon.value).replace(",", "."));
      // Half typed (one field still empty) or out of range: wait; L.latLng throws on NaN.
      if (isNaN(y) || isNaN(x) || Math.abs(y) > 90 || Math.abs(x) > 180) { return; }
      var latlng = L.latLng(y, x);
      place(latlng);
      map.panTo(latlng);
    }
    lon.addEventListener("input", typed);
    lat.addEventListener("input", typed);
    map.on("click", function (event) {
      if (map.pm && map.pm.globalDrawModeEnabled()) { return; }
      lon.value = event.latlng.lng.toFixed(7);
      lat.value = event.latlng.lat.toFixed(7);
      clears.forEach(function (input) { input.value = ""; });
      place(event.latlng);
      lon.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function draw(element) {
    // Zoom limits: out no further than the whole of Sweden, in no further than the tiles are drawn.
    var map = L.map(element, {
      attributionControl: Boolean(element.dataset.tileUrl), zoomControl: false, minZoom: MIN_ZOOM, maxZoom: MAX_ZOOM,
    });
    element.trygMap = map;
    // Leaflet's own button titles are English; the page's language comes from Django's catalogue on <body>.
    var texts = document.body.dataset;
    L.control.zoom({ zoomInTitle: texts.mapZoomIn || "Zoom in", zoomOutTitle: texts.mapZoomOut || "Zoom out" }).addTo(map);
    L.control.scale({ imperial: false }).addTo(map);
    // A view before any layer: Leaflet cannot clip a polygon added to a map that has none yet.
    map.setView([parseFloat(element.dataset.lat || "59.76"), parseFloat(element.dataset.lon || "18.70")], parseInt(element.dataset.zoom || "13", 10));
    if (element.dataset.tileUrl) {
      L.tileLayer(element.dataset.tileUrl, { maxZoom: MAX_ZOOM, attribution: element.dataset.tileAttribution || "" }).addTo(map);
    }
    var done = function (bounds) {
      if (element.dataset.mapDraw) {
        var drawn = setUpDrawing(map, element);
        if (drawn) { bounds = bounds && bounds.isValid() ? bounds.extend(drawn.getBounds()) : drawn.getBounds(); }
      }
      if (element.dataset.mapPoint) { setUpPoint(map, element); }
      if (bounds && bounds.isValid()) {
        map.fitBounds(bounds, { padding: [20, 20], maxZoom: 19, animate: false });
      }
      element.dataset.loaded = "true";
    };
    element.addEventListener("trygg:map-source", function (event) { replaceSource(element, event.detail.url); });
    if (!element.dataset.mapSource) { done(null); return; }
    if (element.dataset.mapBbox === "true") { followView(element, map); return; }
    fetch(element.dataset.mapSource, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        element.sourceLayer = fillFromGeoJSON(map, data, labelsOf(element), omitted(element));
        done(element.sourceLayer.getBounds());
      });
  }

  function removeSource(map, old) {
    if (!old) { return; }
    Object.keys(old.groups || {}).forEach(function (kind) { map.removeLayer(old.groups[kind]); });
    if (old.control) { map.removeControl(old.control); }
  }

  // Only what is in view, fetched again (after a short pause) whenever the map has moved.
  function followView(element, map) {
    var timer = null;
    var asked = 0;
    function load() {
      var source = element.dataset.mapSource;
      var url = source + (source.indexOf("?") >= 0 ? "&" : "?") + "bbox=" + map.getBounds().toBBoxString();
      var ticket = ++asked;
      element.dataset.loaded = "false";
      fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (ticket !== asked) { return; } // the map moved again meanwhile: the later answer counts
          removeSource(map, element.sourceLayer);
          element.sourceLayer = fillFromGeoJSON(map, data, labelsOf(element), omitted(element));
          element.dataset.loaded = "true";
        });
    }
    map.on("moveend", function () { clearTimeout(timer); timer = setTimeout(load, 250); });
    load();
  }

  // Another site was chosen in a form: show that site's zones, buildings and cameras instead.
  function replaceSource(element, url) {
    var map = element.trygMap;
    if (!map) { return; }
    // Not ready until the new layers are drawn and fitted: a click meanwhile would land elsewhere.
    element.dataset.loaded = "false";
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var old = element.sourceLayer;
        if (old) {
          Object.keys(old.groups || {}).forEach(function (kind) { map.removeLayer(old.groups[kind]); });
          if (old.control) { map.removeControl(old.control); }
        }
        element.sourceLayer = fillFromGeoJSON(map, data, labelsOf(element), omitted(element));
        element.dataset.mapSource = url;
        var bounds = element.sourceLayer.getBounds();
        if (bounds.isValid()) { map.fitBounds(bounds, { padding: [20, 20], maxZoom: 19, animate: false }); }
        element.dataset.loaded = "true";
      });
  }

  // The camera form's live preview: htmx swaps in new GeoJSON, the map redraws it.
  function redrawPreview(element, data) {
    var map = element.trygMap;
    if (!map) { return; }
    if (element.previewLayer) { map.removeLayer(element.previewLayer); }
    element.previewLayer = L.geoJSON(data, { style: styleOf, pointToLayer: pointOf, onEachFeature: popupOf }).addTo(map);
    var bounds = element.previewLayer.getBounds();
    if (bounds.isValid()) { map.fitBounds(bounds, { padding: [20, 20], maxZoom: 19, animate: false }); }
    element.dataset.previewed = String(Number(element.dataset.previewed || "0") + 1);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-map]").forEach(draw);
  });
  document.addEventListener("htmx:afterSettle", function () {
    var source = document.getElementById("coverage-preview-geojson");
    var element = document.querySelector("[data-map-preview]");
    if (source && element) { redrawPreview(element, JSON.parse(source.textContent)); }
  });
})();
