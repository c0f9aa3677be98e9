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
    state.histories = geo.control || {};
    L.geoJSON(geo.context, {
      interactive: false,
      style: function (f) { return f.properties._style || {}; }
    }).addTo(map);
    L.geoJSON(geo.oblasts, {
      // unstyled until a date layer arrives: invisible, so nothing stale shows
      style: function () { return { fillOpacity: 0, opacity: 0, weight: 1 }; },
      onEachFeature: function (f, layer) { state.oblasts[f.properties.iso_code] = layer; }
    }).addTo(map);
    if (geo.water) {  // reservoirs over the oblasts' fill (the Kakhovka reservoir as in 2022)
      L.geoJSON(geo.water, {
        pane: "oemWater", interactive: false,
        style: function (f) { return f.properties._style || {}; }
      }).addTo(map);
    }
    state.ready = true;
    if (state.current) { styleOblasts(state.current.payload); }
    document.documentElement.setAttribute("data-oem-ready", "1");
  }

  OEM.base = function (map, options) {
    state.map = map;
    // No view given: the five oblasts fill the frame, clear of the time bar (top) and the
    // scale (bottom), as soon as the frame has a size (an iframe may not be laid out yet);
    // then every view is kept inside the countries drawn.
    function frame(tries) {
      var size = map.getSize();
      if ((size.x === 0 || size.y === 0) && tries > 0) {
        map.invalidateSize({ pan: false });
        window.requestAnimationFrame(function () { frame(tries - 1); });
        return;
      }
      if (options.fit && size.x > 0 && size.y > 0) {
        map.fitBounds(options.fit, { paddingTopLeft: [12, 52], paddingBottomRight: [12, 28],
          animate: false });
        state.fitted = true;
        tellFit(map);
      }
      if (options.maxBounds) { map.setMaxBounds(options.maxBounds); }
      placeLabels(map);
    }
    frame(120);
    // The frame is sized by the page after the map starts (presentation fills the screen):
    // once its size settles, a map the user has not touched is fitted again (and the page
    // told), and the names are placed again.
    ["mousedown", "wheel", "touchstart", "keydown"].forEach(function (name) {
      map.getContainer().addEventListener(name, function () { state.touched = true; },
        { passive: true });
    });
    if (window.ResizeObserver) {
      var settle = null;
      new ResizeObserver(function () {
        window.clearTimeout(settle);
        settle = window.setTimeout(function () {
          map.invalidateSize({ pan: false });
          if (state.fitted && !state.touched) {
            map.fitBounds(options.fit, { paddingTopLeft: [12, 52], paddingBottomRight: [12, 28],
              animate: false });
            tellFit(map);
          }
          placeLabels(map);
        }, 150);
      }).observe(map.getContainer());
    }
    // markers above the oblasts whatever arrives first (overlayPane is 400, labels 600)
    var pane = map.createPane("oemMarkers");
    pane.style.zIndex = 450;
    pane.style.pointerEvents = "none"; // only the circles take clicks, not the pane's svg
    var waterPane = map.createPane("oemWater");  // reservoirs: over the oblasts' fill
    waterPane.style.zIndex = 410;
    waterPane.style.pointerEvents = "none";
    map.createPane("oemAreas").style.zIndex = 420;  // the user's control areas: over the oblasts
    var ctlPane = map.createPane("oemControl");  // settlement squares above the markers
    ctlPane.style.zIndex = 460;
    var townPane = map.createPane("oemTowns");  // town dots under the markers
    townPane.style.zIndex = 440;
    townPane.style.pointerEvents = "none";
    state.labels = [];
    (options.labels || []).forEach(function (l) {  // oblast names: placed first
      var marker = L.marker([l[0], l[1]], {
        interactive: false, keyboard: false, pane: "markerPane",
        icon: L.divIcon({ className: "oem-label", html: "<span>" + l[2] + "</span>", iconSize: null,
          iconAnchor: [0, 0] })
      }).addTo(map);
      state.labels.push({ marker: marker, rank: -1, centre: true });
    });
    (options.towns || []).forEach(function (t) {
      var dot = L.circleMarker([t[0], t[1]], { pane: "oemTowns", radius: t[3] ? 2.5 : 3.5,
        color: "#fff", weight: 1, fillColor: "#222", fillOpacity: 1, interactive: false });
      var marker = L.marker([t[0], t[1]], {
        interactive: false, keyboard: false, pane: "markerPane",
        icon: L.divIcon({ className: "oem-town r" + t[3], html: "<span>" + t[2] + "</span>",
          iconSize: null, iconAnchor: [0, 0] })
      });
      state.labels.push({ marker: marker, dot: dot, rank: t[3], centre: false });
    });
    map.on("zoomend moveend resize", function () { placeLabels(map); });
    map.on("popupopen", function () { state.popup = true; closeTooltips(map); });
    map.on("popupclose", function () { state.popup = false; });
    map.on("tooltipopen", function (e) {  // a popup open: no hover tooltip on top of it
      if (state.popup && e.tooltip && e.tooltip._source) { e.tooltip._source.closeTooltip(); }
    });
    if (options.geo) { drawStatic(map, options.geo); return; }
    fetch(options.url).then(function (r) { return r.json(); }).then(function (geo) {
      drawStatic(map, geo);
    });
  };

  // The page learns which view the fit gave this map (timebar/protocol.py parse_fit), so an
  // untouched map's view stays out of the link. Sent after the map component's own report of
  // the move (debounced 250 ms), so this value is the one the page reads last.
  function tellFit(map) {
    if (window.parent === window) { return; }  // a standalone file: nobody to tell
    var c = map.getCenter(), z = map.getZoom();
    window.setTimeout(function () {
      var now = map.getCenter();
      if (map.getZoom() !== z || Math.abs(now.lat - c.lat) > 1e-6 || Math.abs(now.lng - c.lng) > 1e-6) {
        return;  // the user has moved it already
      }
      window.parent.postMessage({
        isStreamlitMessage: true, type: "streamlit:setComponentValue", dataType: "json",
        value: { center: { lat: c.lat, lng: c.lng }, zoom: z, fit: { lat: c.lat, lng: c.lng, zoom: z } }
      }, "*");
    }, 600);
  }

  function closeTooltips(map) {
    map.eachLayer(function (layer) { if (layer.closeTooltip) { layer.closeTooltip(); } });
  }

  // --- labels -------------------------------------------------------------------------------
  // Oblast names first, then towns by rank (0: oblast centres and big cities, 1: the towns of
  // 2022, 2: others), each where it overlaps no label already placed, no event marker, no
  // settlement square and no control drawn over the map (time bar, zoom, legend); a town's
  // name tries the four sides of its point, clear of the marker drawn there. Towns of a
  // rank the zoom does not show yet are left out.
  var RANK_ZOOM = [0, 6, 7];  // the least zoom at which a rank is named
  // Where an oblast's name may go around its point, nearest first (pixels).
  var CENTRE_SPOTS = [];
  [0, -18, 18, -36, 36].forEach(function (dy) {  // no further: it would name a neighbour
    [0, -40, 40].forEach(function (dx) { CENTRE_SPOTS.push([dx, dy]); });
  });

  function overlaps(a, b) { return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]; }

  function obstacles(map) {
    var out = [], box = map.getContainer().getBoundingClientRect();
    map.getContainer().querySelectorAll(
      ".oem-timebar, .leaflet-control-zoom, .oem-legend, .oem-attrib, .oem-banner, " +
      ".leaflet-control-scale").forEach(function (el) {
      var r = el.getBoundingClientRect();
      out.push([r.left - box.left - 4, r.top - box.top - 4, r.right - box.left + 4,
        r.bottom - box.top + 4]);
    });
    return out;
  }

  function circles(map) {
    var out = [];
    Object.keys(state.markers || {}).forEach(function (key) {
      var m = state.markers[key], p = map.latLngToContainerPoint(m.getLatLng()),
        r = m.getRadius() + (m.options.weight || 0) / 2;
      out.push([p.x - r, p.y - r, p.x + r, p.y + r, p.x, p.y, r]);
    });
    (state.squares || []).forEach(function (sq) {
      var p = map.latLngToContainerPoint(sq.getLatLng());
      out.push([p.x - 6, p.y - 6, p.x + 6, p.y + 6, p.x, p.y, 6]);
    });
    return out;
  }

  function placeLabels(map) {
    if (!state.labels) { return; }
    var zoom = map.getZoom(), size = map.getSize();
    var shown = state.labels.filter(function (l) {
      var show = l.rank < 0 || zoom >= RANK_ZOOM[l.rank];
      if (l.dot) {
        if (show && !map.hasLayer(l.dot)) { l.dot.addTo(map); }
        if (!show && map.hasLayer(l.dot)) { map.removeLayer(l.dot); }
      }
      if (!show) { if (map.hasLayer(l.marker)) { map.removeLayer(l.marker); } return false; }
      if (!map.hasLayer(l.marker)) {
        l.marker.addTo(map);
        l.marker.getElement().style.visibility = "hidden";
      }
      return true;
    });
    // Reads first (a name's size is measured once: it never changes), then writes, so a step
    // costs one layout, not one per name.
    shown.forEach(function (l) {
      if (l.w === undefined) {
        // The text's own box (an inline span): the icon's div may still be a full-width block
        // while Leaflet's stylesheet loads. Fractional pixels, plus a pixel of air.
        var rect = l.marker.getElement().firstChild.getBoundingClientRect();
        if (rect.width > 0) { l.w = rect.width + 2; l.h = rect.height + 1; }
      }
    });
    var taken = obstacles(map), round = circles(map), placed = [], moves = [];
    var measured = shown.filter(function (l) { return l.w !== undefined; });
    if (measured.length < shown.length && (state.retries = (state.retries || 0) + 1) < 50) {
      placeSoon(map);  // not laid out yet (a frame still hidden): try again shortly
    }
    shown = measured;
    shown.forEach(function (l) {
      var w = l.w, h = l.h, p = map.latLngToContainerPoint(l.marker.getLatLng()), gap = 4;
      var own = function (c) { return Math.abs(c[4] - p.x) < 3 && Math.abs(c[5] - p.y) < 3; };
      round.forEach(function (c) {  // the marker on this very place: names go round it
        if (own(c)) { gap = Math.max(gap, c[6] + 3); }
      });
      var spots = l.centre ? CENTRE_SPOTS.map(function (d) { return [d[0] - w / 2, d[1] - h / 2]; })
        : [[gap, -h / 2], [-gap - w, -h / 2], [-w / 2, -gap - h], [-w / 2, gap],
          [gap * 0.7, -gap * 0.7 - h], [gap * 0.7, gap * 0.7], [-gap * 0.7 - w, -gap * 0.7 - h],
          [-gap * 0.7 - w, gap * 0.7]];
      var chosen = null;
      for (var i = 0; i < spots.length && !chosen; i++) {
        var b = [p.x + spots[i][0], p.y + spots[i][1], p.x + spots[i][0] + w, p.y + spots[i][1] + h];
        if (b[0] < 0 || b[1] < 0 || b[2] > size.x || b[3] > size.y) { continue; }
        var hit = placed.some(function (q) { return overlaps(b, q); }) ||
          taken.some(function (q) { return overlaps(b, q); }) ||
          round.some(function (c) { return !own(c) && overlaps(b, c); });
        if (!hit) { chosen = spots[i]; placed.push(b); }
      }
      moves.push([l, chosen]);
    });
    moves.forEach(function (m) {
      var el = m[0].marker.getElement();
      if (m[1]) {
        el.style.marginLeft = m[1][0] + "px"; el.style.marginTop = m[1][1] + "px";
        el.style.visibility = "visible";
      } else {
        el.style.visibility = "hidden";
      }
    });
  }

  // While the user steps through dates, names are placed once the steps pause.
  var placing = null;
  function placeSoon(map) {
    window.clearTimeout(placing);
    placing = window.setTimeout(function () { placeLabels(map); }, 150);
  }
  OEM.placeLabels = function () { if (state.map) { placeLabels(state.map); } };

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
      " · " + s[p.t.source] + ": " + (s[e[7]] ? "<a href='" + s[e[7]] +
      "' target='_blank' rel='noopener noreferrer'>" + s[e[8]] + "</a>" : s[e[8]]) +
      "</div></div>";
  }

  OEM.popupHtml = function (p, m) {
    var html = "<div class='oem-pop'>" + p.s[m[4]];
    m[5].forEach(function (i) { html += eventHtml(p, p.e[i]); });
    if (m[6] >= 0) { html += "<div class='oem-ev'>" + p.s[m[6]] + "</div>"; }
    return html + "</div>";
  };

  // --- dates ------------------------------------------------------------------------------
  // The markers belong to the client, not to a layer: a date the server sends again (after
  // the time bar stepped to it) is not drawn twice.

  function show(p) {
    var map = state.map, container = map.getContainer();
    state.current = { payload: p };
    if (state.ready) { styleOblasts(p); }
    var drawn = state.drawn;
    if (!(drawn && p.k && drawn.k === p.k && drawn.date === p.date)) {
      drawMarkers(map, p);
      drawControl(map, p);
      drawAreas(map, p);
      state.drawn = { k: p.k, date: p.date };
      placeSoon(map);
    }
    if (p.legend) {
      var legend = container.querySelector(".oem-legend");
      if (legend && legend.innerHTML !== p.legend) { legend.innerHTML = p.legend; }
    }
    if (bar) { bar.shown(p); }
    container.setAttribute("data-oem-date", p.date);
  }
  OEM.show = show;

  function popupOf(marker) { return OEM.popupHtml(marker._oem[0], marker._oem[1]); }

  // Markers are kept by place from one date to the next and only restyled: most places stay
  // in view between neighbouring dates, and creating and removing hundreds of SVG circles is
  // what a step would otherwise cost the browser.
  function drawMarkers(map, p) {
    if (!state.group || state.group._map !== map) {
      state.group = L.featureGroup().addTo(map);
      state.markers = {};
    }
    var group = state.group, old = state.markers, next = {}, styleKeys = [];
    (p.styles || []).forEach(function (st, i) { styleKeys[i] = JSON.stringify(st); });
    (p.m || []).forEach(function (m) {
      var key = m[0] + "," + m[1];
      while (next[key]) { key += "+"; } // two groups at one place (inside / outside)
      var marker = old[key], style = p.styles[m[2]], tip = p.s[m[3]];
      if (marker) {
        delete old[key];
        if (marker._oemStyle !== styleKeys[m[2]]) { marker.setStyle(style); }
        if (marker._oemTip !== tip) { marker.setTooltipContent(tip); }
      } else {
        marker = L.circleMarker([m[0], m[1]], L.extend({ pane: "oemMarkers" }, style));
        marker.bindTooltip(tip, { sticky: true });
        marker.bindPopup(popupOf, { maxWidth: 380, autoPanPaddingTopLeft: [20, 80] });
        group.addLayer(marker);
      }
      marker._oemStyle = styleKeys[m[2]];
      marker._oemTip = tip;
      marker._oem = [p, m];
      next[key] = marker;
    });
    Object.keys(old).forEach(function (key) { group.removeLayer(old[key]); });
    state.markers = next;
  }

  // Settlements' control on the date: a small square per settlement, coloured by status,
  // whose popup gives its history with sources (dashboard/scene/control.py).
  function drawControl(map, p) {
    var old = state.squareByPlace || {}, next = {};
    state.squares = [];
    (p.c || []).forEach(function (c) {
      var key = c[0] + "," + c[1], colours = p.cs[c[2]], tip = p.s[c[3]];
      var popup = "<div class='oem-pop'>" + p.s[c[4]] + ((state.histories || {})[key] || "") + "</div>";
      var sq = old[key];
      if (sq) {
        delete old[key];
      } else {
        sq = L.marker([c[0], c[1]], { pane: "oemControl", keyboard: false,
          icon: L.divIcon({ className: "", iconSize: [9, 9], iconAnchor: [4.5, 4.5],
            html: "<div class='oem-ctl'></div>" }) });
        sq.bindTooltip(tip, { sticky: true });
        sq.bindPopup(popup, { maxWidth: 380, autoPanPaddingTopLeft: [20, 80] });
        sq.addTo(map);
      }
      if (sq._oemTip !== tip) { sq.setTooltipContent(tip); sq._oemTip = tip; }
      if (sq._oemPopup !== popup) { sq.setPopupContent(popup); sq._oemPopup = popup; }
      var box = sq.getElement() && sq.getElement().firstChild;
      if (box && sq._oemColours !== c[2]) {
        box.style.background = colours[0]; box.style.borderColor = colours[1];
        sq._oemColours = c[2];
      }
      next[key] = sq;
      state.squares.push(sq);
    });
    Object.keys(old).forEach(function (key) { map.removeLayer(old[key]); });
    state.squareByPlace = next;
  }

  // The control areas of the user's own file in force on the date (dashboard/ingest/areas.py).
  function drawAreas(map, p) {
    if (state.areas) { map.removeLayer(state.areas); state.areas = null; }
    if (!p.a) { return; }
    state.areas = L.geoJSON(p.a, {
      pane: "oemAreas",
      style: function () {
        return { color: "#7a0f1c", weight: 1.5, dashArray: "6 4", fillColor: "#b2182b",
          fillOpacity: 0.18 };
      },
      onEachFeature: function (f, layer) { layer.bindTooltip(f.properties.tip, { sticky: true }); }
    }).addTo(map);
  }

  OEM.DateLayer = L.Layer.extend({
    initialize: function (payload) { this.payload = payload; },
    onAdd: function (map) {
      var p = this.payload;
      // While the page has not caught up with a date the user stepped to here (a report still
      // to send, or sent and not yet seen by the server), a date it sends for the same scene
      // is an older one and must not pull the map back. A scene change always shows.
      var behind = bar && p.k && bar.k === p.k && (pending !== null ||
        (lastSent !== null && p.seen !== lastSent && Date.now() - lastSentAt < 5000));
      if (p.steps) { timeBar(map, p); }
      if (!behind) { show(p); }
      if (lastSent !== null && p.seen === lastSent) { answered(); }
    },
    onRemove: function () {} // the next date replaces the markers (show); nothing to undo
  });

  // --- the map's own time bar ---------------------------------------------------------------
  // Steps dates in the browser from files the server writes ahead (dashboard/timebar/steps.py),
  // so a key press costs no page rerun; it reports the dates the user has seen and the page
  // (slider, tables, link) follows within a second, also while the user keeps stepping
  // (issue 15). A date not written yet is asked of the server at once.
  //
  // When to report. Each report costs a page rerun: little on the server, but a few hundred
  // ms of the visitor's browser re-rendering the page, so not one per step. A date drawn here
  // goes out once the user pauses for REPORT_IDLE_MS, or at the latest REPORT_MAX_WAIT_MS
  // after the first step not reported yet (with a pause alone, a user holding an arrow key or
  // pressing it every 200 ms is followed only once they stop), whichever comes first; and
  // never sooner than REPORT_GAP_MS after the previous report; and only once the page has
  // answered the previous one (a payload whose ``seen`` is its id), or IN_FLIGHT_MAX_MS after
  // it: one page run per visitor at a time, so a busy server (ten visitors stepping at once)
  // gets fewer reports instead of a queue of them, and its static date files stay quick.
  // A few quick presses (drawn 50-140 ms apart, under 250 ms for three) send nothing until
  // the last one. The page shows a reported date 0.15-0.45 s later (measured: report, rerun,
  // re-render), so it follows a step within ~0.7 s and a pause within ~0.6 s; a max wait of
  // 0.6 s would have put the slowest steps past the 1 s issue 15 asks for.

  var DAY = 86400000, KEEP = 24;
  var REPORT_IDLE_MS = 250, REPORT_MAX_WAIT_MS = 400, REPORT_GAP_MS = 400;
  var IN_FLIGHT_MAX_MS = 2000;
  var inFlight = false; // a report sent, not yet answered by the page
  var bar = null, cache = {}, cached = [], reportTimer = null, seq = 0;
  var lastSent = null, lastSentAt = 0, pending = null; // pending: stepped here, not reported
  var unreported = null, unreportedSince = 0; // the last date drawn here, not reported yet
  var clientId = Math.random().toString(36).slice(2, 10);

  function dayNumber(iso) { return Math.round(Date.parse(iso + "T00:00:00Z") / DAY); }
  function isoOf(n) { return new Date(n * DAY).toISOString().slice(0, 10); }

  // Esc in the map closes an open popup; with none open, it asks the page to leave
  // presentation (app.ESCAPE_SCRIPT listens; outside presentation nothing happens).
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape" || window.parent === window) { return; }
    if (document.querySelector(".leaflet-popup")) { state.map.closePopup(); return; }
    window.parent.postMessage({ oem: "escape" }, "*");
  });

  function report(day) {
    if (window.parent === window) { return; } // a standalone file: nobody to tell
    var c = state.map.getCenter();
    lastSent = clientId + ":" + (++seq);
    lastSentAt = Date.now();
    inFlight = true;
    window.parent.postMessage({
      isStreamlitMessage: true, type: "streamlit:setComponentValue", dataType: "json",
      value: { center: { lat: c.lat, lng: c.lng }, zoom: state.map.getZoom(),
               oem: { date: day, id: lastSent } }
    }, "*");
  }

  function remember(url, p) {
    if (!(url in cache)) { cached.push(url); }
    cache[url] = p;
    while (cached.length > KEEP) { delete cache[cached.shift()]; }
  }

  // The user has seen `day` (or it is to be drawn by the server: `now`): report it when the
  // rule above says. The timer is not restarted from zero on each step, or a user who keeps
  // stepping would never be followed; a later step only brings the idle deadline forward.
  // The page has run with the last report: a date waiting for that goes out now (or when the
  // gap after the last report has passed).
  function answered() {
    if (!inFlight) { return; }
    inFlight = false;
    if (unreported !== null && reportTimer !== null) {
      clearTimeout(reportTimer);
      reportTimer = setTimeout(flush, Math.max(0, lastSentAt + REPORT_GAP_MS - Date.now()));
    }
  }

  function toReport(day, now) {
    var t = Date.now();
    if (unreported === null) { unreportedSince = t; }
    unreported = day;
    var due = now ? t : Math.min(t + REPORT_IDLE_MS, unreportedSince + REPORT_MAX_WAIT_MS);
    due = Math.max(due, lastSentAt + REPORT_GAP_MS);
    clearTimeout(reportTimer);
    reportTimer = setTimeout(flush, due - t);
  }

  function flush() {
    var day = unreported;
    reportTimer = null;
    if (day === null) { return; }
    var wait = inFlight ? lastSentAt + IN_FLIGHT_MAX_MS - Date.now() : 0;
    if (wait > 0) { // the page is still on the previous report: answered() sends this one
      reportTimer = setTimeout(flush, wait);
      return;
    }
    unreported = null;
    // A step still on its way (its file not fetched yet) stays pending: the page's answer to
    // this report is older than it and must not pull the map back (DateLayer.onAdd).
    if (pending === day) { pending = null; }
    report(day);
  }

  function go(day) {
    var steps = bar.steps, url = steps.url + day + ".json";
    bar.wanted = day;
    bar.set(day, null);
    pending = day;
    function drawn(p) { // the user has seen the date: report it (toReport says when)
      show(p);
      toReport(day, false);
    }
    if (cache[url]) { drawn(cache[url]); return; }
    fetch(url, { cache: "no-store" }).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.json();
    }).then(function (p) {
      remember(url, p);
      if (bar.wanted === day) { drawn(p); }
    }).catch(function () {
      if (bar.wanted === day) { toReport(day, true); } // the server draws it
    });
  }
  OEM.go = go;

  function timeBar(map, p) {
    var steps = p.steps;
    if (bar && bar.map === map) { bar.k = p.k; bar.update(steps); return; }
    var control = L.control({ position: "topright" });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "oem-timebar");
      div.innerHTML = "<button type='button' class='oem-tb-prev'>◀</button>" +
        "<input type='range' step='1'>" +
        "<button type='button' class='oem-tb-next'>▶</button>" +
        "<output aria-live='polite'></output>";
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    control.addTo(map);
    var div = control.getContainer(), input = div.querySelector("input");
    var out = div.querySelector("output");
    bar = state.bar = { map: map, steps: null, wanted: null, k: p.k };
    bar.update = function (s) {
      bar.steps = s;
      bar.first = dayNumber(s.first);
      input.min = 0;
      input.max = dayNumber(s.last) - bar.first;
      input.setAttribute("aria-label", s.label);
      div.querySelector(".oem-tb-prev").setAttribute("aria-label", s.prev);
      div.querySelector(".oem-tb-next").setAttribute("aria-label", s.next);
      div.querySelector(".oem-tb-prev").title = s.prev;
      div.querySelector(".oem-tb-next").title = s.next;
      input.title = s.label;
      bar.locale = s.locale;
    };
    bar.set = function (day, label) {
      input.value = dayNumber(day) - bar.first;
      if (!label) {
        label = new Date(day + "T00:00:00Z").toLocaleDateString(bar.locale, {
          day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
        out.textContent = label;
      } else {
        out.innerHTML = label; // escaped by the server
      }
      input.setAttribute("aria-valuetext", out.textContent);
    };
    bar.shown = function (q) {
      if (!q.date) { return; }
      if (q.steps || bar.wanted === null || bar.wanted === q.date) {
        bar.wanted = q.date;
        bar.set(q.date, q.label);
      }
    };
    function stepBy(k) {
      var n = Math.max(0, Math.min(Number(input.max), Number(input.value) + k));
      go(isoOf(bar.first + n));
    }
    input.addEventListener("input", function () { go(isoOf(bar.first + Number(input.value))); });
    input.addEventListener("keydown", function (e) {
      e.stopPropagation(); // the arrows step the date, not pan the map
      if (e.key === "PageUp" || e.key === "PageDown") {
        e.preventDefault();
        stepBy(e.key === "PageUp" ? 7 : -7);
      }
    });
    div.querySelector(".oem-tb-prev").addEventListener("click", function () { stepBy(-1); });
    div.querySelector(".oem-tb-next").addEventListener("click", function () { stepBy(1); });
    bar.update(steps);
  }
})();
