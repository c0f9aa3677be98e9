/* Oblast Events Map: the map client (our own code; Leaflet comes from its PyPI package).
 *
 * The base map calls OEM.base(map, options) once: it draws the context (neighbours, Ukraine's
 * oblasts and outline), the five oblast shapes and their labels, from a static JSON file
 * served by the app (or inlined in a standalone file), so no slider step re-sends geometry.
 * Each date is an OEM.DateLayer holding a compact payload: oblast styles and tooltips, and
 * markers whose popups are assembled only when opened. Every string in a payload arrives
 * HTML-escaped from the server (dashboard/maps.py); this file only joins them.
 */
(function () {
  "use strict";
  var OEM = (window.OEM = window.OEM || {});
  var state = { map: null, oblasts: {}, ready: false, current: null };
  OEM.state = state;

  function drawStatic(map, geo) {
    L.geoJSON(geo.context, {
      interactive: false,
      style: function (f) { return f.properties._style || {}; }
    }).addTo(map);
    L.geoJSON(geo.oblasts, {
      // unstyled until a date layer arrives: invisible, so nothing stale shows
      style: function () { return { fillOpacity: 0, opacity: 0, weight: 1 }; },
      onEachFeature: function (f, layer) { state.oblasts[f.properties.iso_code] = layer; }
    }).addTo(map);
    state.ready = true;
    if (state.current) { styleOblasts(state.current.payload); }
    document.documentElement.setAttribute("data-oem-ready", "1");
  }

  OEM.base = function (map, options) {
    state.map = map;
    // markers above the oblasts whatever arrives first (overlayPane is 400, labels 600)
    var pane = map.createPane("oemMarkers");
    pane.style.zIndex = 450;
    pane.style.pointerEvents = "none"; // only the circles take clicks, not the pane's svg
    (options.labels || []).forEach(function (l) {
      L.marker([l[0], l[1]], {
        interactive: false, keyboard: false,
        icon: L.divIcon({ className: "oem-label", html: l[2], iconSize: [140, 18], iconAnchor: [70, 9] })
      }).addTo(map);
    });
    if (options.geo) { drawStatic(map, options.geo); return; }
    fetch(options.url).then(function (r) { return r.json(); }).then(function (geo) {
      drawStatic(map, geo);
    });
  };

  function styleOblasts(p) {
    var s = p.s;
    (p.o || []).forEach(function (o) {
      var layer = state.oblasts[o[0]];
      if (!layer) { return; }
      layer.setStyle(p.styles[o[1]]);
      if (layer.getTooltip()) { layer.setTooltipContent(s[o[2]]); }
      else { layer.bindTooltip(s[o[2]], { sticky: true }); }
    });
  }

  function eventHtml(p, e) {
    var s = p.s;
    return "<div class='oem-ev'><div>" + s[e[0]] + " " + s[e[1]] + (e[2] ? s[p.t.now] : "") +
      "</div><b>" + s[e[3]] + "</b><div>" + s[e[4]] + "</div>" + s[e[5]] + "<div>" + s[e[6]] +
      " · " + s[p.t.source] + ": <a href='" + s[e[7]] +
      "' target='_blank' rel='noopener noreferrer'>" + s[e[8]] + "</a></div></div>";
  }

  OEM.popupHtml = function (p, m) {
    var html = "<div class='oem-pop'>" + p.s[m[4]];
    m[5].forEach(function (i) { html += eventHtml(p, p.e[i]); });
    if (m[6] >= 0) { html += "<div class='oem-ev'>" + p.s[m[6]] + "</div>"; }
    return html + "</div>";
  };

  OEM.DateLayer = L.Layer.extend({
    initialize: function (payload) { this.payload = payload; },
    onAdd: function (map) {
      var p = this.payload, group = L.featureGroup();
      state.current = this;
      if (state.ready) { styleOblasts(p); }
      (p.m || []).forEach(function (m) {
        var marker = L.circleMarker([m[0], m[1]], L.extend({ pane: "oemMarkers" }, p.styles[m[2]]));
        marker.bindTooltip(p.s[m[3]], { sticky: true });
        marker.bindPopup(function () { return OEM.popupHtml(p, m); }, { maxWidth: 380 });
        group.addLayer(marker);
      });
      this._markers = group.addTo(map);
      map.getContainer().setAttribute("data-oem-date", p.date);
    },
    onRemove: function (map) {
      if (this._markers) { map.removeLayer(this._markers); }
      if (state.current === this) { state.current = null; }
    }
  });
})();
