/* Oblast Events Map: the map client (our own code; Leaflet comes from its PyPI package).
 *
 * The base map calls OEM.base(map, options) once: it draws the context (neighbours, Ukraine's
 * oblasts and outline), the five oblast shapes and their labels, from a static JSON file
 * served by the app (or inlined in a standalone file), so no slider step re-sends geometry.
 * Each date is an OEM.DateLayer holding a compact payload: oblast styles and tooltips, and
 * markers whose popups are assembled only when opened. Every string in a payload arrives
 * HTML-escaped from the server (dashboard/scene/popups.py); this file only joins them. The one
 * exception is an annotation's text (``ann``): plain text, set as text.
 *
 * The events are drawn as points, clusters (Leaflet.markercluster) or heat (leaflet.heat), as
 * the payload's ``dm`` says; the two plugins are loaded only when a payload first needs them.
 * The user may draw an area (a rectangle or a polygon) that the page filters by, and the page
 * may send the map somewhere (``fly``). While the page presents a briefing deck it sends each
 * slide's annotations (``ann``, drawn in the style of dashboard/scene/annotations.py) and the
 * deck's place (``deck``); the arrow and Page Up/Down keys then ask the page for the next or
 * previous slide. Payload keys: dashboard/scene/layers.py and dashboard/timebar/protocol.py;
 * base options: dashboard/render/leaflet.py.
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

  // The fit's padding: clear of the time bar (top) and the scale (bottom). A flight to a place
  // (``fly``) uses the same.
  var FIT_PADDING = { paddingTopLeft: [12, 52], paddingBottomRight: [12, 28] };

  OEM.base = function (map, options) {
    state.map = map;
    state.options = options;
    // folium keeps max_zoom for its tile layers, so a map with no tiles has no maximum zoom;
    // the cluster group needs one (and so does a flight's aim). Set as an option, not with
    // setMaxZoom: its "zoomlevelschange" makes streamlit-folium report the view again after
    // the fit told the page its view (tellFit), and the fit then entered the link.
    if (options.maxZoom && map.options.maxZoom === undefined) { map.options.maxZoom = options.maxZoom; }
    // No view given: the five oblasts fill the frame, clear of the time bar (top) and the
    // scale (bottom), as soon as the frame has a size (an iframe may not be laid out yet);
    // then every view is kept inside the countries drawn.
    // A size change keeps the map's centre (``pan``): without it Leaflet keeps the top-left
    // corner, so a map made before its frame had a size, or whose frame grew (presentation),
    // had a link's centre moved by half the frame (CI: 2.87 degrees off in one of four
    // contexts opening one link at once), and the page took that for the user's move.
    var KEEP_CENTRE = { pan: true, animate: false };
    function frame(tries) {
      var box = map.getContainer();
      if ((box.clientWidth === 0 || box.clientHeight === 0) && tries > 0) {
        window.requestAnimationFrame(function () { frame(tries - 1); });
        return;
      }
      map.invalidateSize(KEEP_CENTRE);  // the size the map was made at becomes the frame's
      var size = map.getSize();
      var sized = size.x > 0 && size.y > 0;
      if (options.fit && sized && !state.touched) {
        map.fitBounds(options.fit, L.extend({ animate: false }, FIT_PADDING));
        state.fitted = true;
        tellFit(map);
      }
      if (options.maxBounds) { map.setMaxBounds(options.maxBounds); }
      if (state.flyLater && sized) {  // a flight asked for before the frame had a size
        var f = state.flyLater;
        state.flyLater = null;
        fly(map, f);
      }
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
          map.invalidateSize(KEEP_CENTRE);
          var size = map.getSize();
          if (state.flyLater && size.x > 0 && size.y > 0) {
            var f = state.flyLater;
            state.flyLater = null;
            fly(map, f);
          } else if (state.fitted && !state.touched) {
            map.fitBounds(options.fit, L.extend({ animate: false }, FIT_PADDING));
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
    var heatPane = map.createPane("oemHeat");  // heat: over the oblasts' fill, under the towns
    heatPane.style.zIndex = 430;
    heatPane.style.pointerEvents = "none";
    var drawnPane = map.createPane("oemDrawn");  // the user's drawn area: under the markers
    drawnPane.style.zIndex = 435;
    drawnPane.style.pointerEvents = "none";
    // a slide's annotations: over the markers, squares and names (600), under the tooltips
    // (650), popups (700) and controls; never clicked (clicks reach the markers under them)
    var annPane = map.createPane("oemAnnotations");
    annPane.style.zIndex = 620;
    annPane.style.pointerEvents = "none";
    map.on("zoomend viewreset", function () { aimArrows(map); });
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
    if (options.words && window.parent !== window) { drawTool(map, options.words); }
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
  // settlement square, no annotation's text and no control drawn over the map (time bar,
  // zoom, legend); a town's name tries the four sides of its point, clear of the marker drawn
  // there. Towns of a rank the zoom does not show yet are left out. With clusters, a
  // cluster's number is an obstacle like a control (its box) and only the circles shown alone
  // count as markers; heat draws no marker, so names go over it.
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
      ".leaflet-control-scale, .oem-draw, .oem-draw-hint, .oem-cluster, .oem-ann-text"
    ).forEach(function (el) {
      var r = el.getBoundingClientRect();
      out.push([r.left - box.left - 4, r.top - box.top - 4, r.right - box.left + 4,
        r.bottom - box.top + 4]);
    });
    return out;
  }

  function circles(map) {
    var out = [];
    Object.keys(state.markers || {}).forEach(function (key) {
      var m = state.markers[key];
      if (!map.hasLayer(m)) { return; }  // inside a cluster (its number is an obstacle)
      var p = map.latLngToContainerPoint(m.getLatLng()),
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
    var drawn = state.drawn, mode = modeOf(p);
    if (!(drawn && p.k && drawn.k === p.k && drawn.date === p.date && drawn.dm === mode)) {
      drawDensity(map, p);
      drawControl(map, p);
      drawAreas(map, p);
      state.drawn = { k: p.k, date: p.date, dm: mode };
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

  // --- density: points, clusters or heat ----------------------------------------------------
  // One layer draws the events, made for the payload's mode (``dm``); a payload in another
  // mode removes it whole before drawing its own, so nothing of the previous mode stays.
  // Clusters and heat come from plugins (Leaflet.markercluster from its PyPI package,
  // leaflet.heat from npm) that the first page does not load: the first payload that needs
  // one injects its script (the URLs are in the base options, ``plugins``), and the newest
  // payload waiting for it is drawn once it has loaded. A standalone file carries the plugin
  // its payload needs inline (dashboard/render/html.py), with no URL: it is simply present.
  var PLUGINS = {
    clusters: { js: "cluster_js", css: "cluster_css",
      ready: function () { return !!(L.MarkerClusterGroup && L.markerClusterGroup); } },
    heat: { js: "heat_js", css: "heat_css", ready: function () { return !!L.HeatLayer; } }
  };
  var loads = {};  // mode -> "loading" or "failed" (absent: never asked for)

  // Heat at zoom 6-9 on a laptop: a town's events read as one spot, neighbouring towns apart.
  // The colour ramp is the payload's ``hg`` ({stop: colour}, the one the legend shows), else
  // this one.
  var HEAT = { radius: 20, blur: 15, minOpacity: 0.5, maxZoom: 0,
    // Blues, mid (few) to near white (most): apart from the oblasts' yellow-to-brown fill in
    // hue, also under deuteranopia and protanopia (the blue-yellow axis stays), and the
    // busiest places, which sit on the darkest fill, brightest.
    gradient: { 0: "#1d5fa8", 0.4: "#2b8cbe", 0.7: "#7fcdea", 1: "#f4fcff" } };
  // maxZoom 0: leaflet.heat would otherwise weaken every point by half per zoom level under
  // its maxZoom; the weights are event counts and ``hmax`` says which one is full heat.

  function modeOf(p) { return p.dm === "clusters" || p.dm === "heat" ? p.dm : "points"; }

  function drawDensity(map, p) {
    var mode = modeOf(p), plugin = PLUGINS[mode];
    if (plugin && !plugin.ready() && loads[mode] !== "failed") {
      clearDensity(map);  // the previous mode's drawing would show the wrong date meanwhile
      state.densityLater = p;  // the newest payload waiting wins
      loadPlugin(mode);
      return;
    }
    state.densityLater = null;
    if (plugin && !plugin.ready()) {  // the plugin failed to load: circles rather than nothing
      if (window.console) { window.console.warn("oem-map: no " + mode + " plugin; drawn as points"); }
      mode = "points";
    }
    var layer = densityLayer(map, mode, p);
    if (mode === "heat") {
      var how = { max: p.hmax > 0 ? p.hmax : 1 }, ramp = p.hg || HEAT.gradient;
      if (layer._oemRamp !== JSON.stringify(ramp)) {  // the legend's ramp, when the page sends it
        how.gradient = ramp;
        layer._oemRamp = JSON.stringify(ramp);
      }
      layer.setOptions(how);
      layer.setLatLngs(p.h || []);
    } else {
      drawMarkers(p, layer, mode === "clusters");
    }
    map.getContainer().setAttribute("data-oem-density", mode);
  }

  function loadPlugin(mode) {
    if (loads[mode]) { return; }  // loading already (or failed)
    var spec = PLUGINS[mode], urls = state.options.plugins || {};
    if (!urls[spec.js]) { loads[mode] = "failed"; pluginArrived(); return; }
    loads[mode] = "loading";
    [].concat(urls[spec.css] || []).forEach(function (href) {
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = href;
      document.head.appendChild(link);
    });
    var script = document.createElement("script");
    script.src = urls[spec.js];
    script.onload = function () {
      if (!spec.ready()) { loads[mode] = "failed"; }
      pluginArrived();
    };
    script.onerror = function () { loads[mode] = "failed"; pluginArrived(); };
    document.head.appendChild(script);
  }

  function pluginArrived() {
    var p = state.densityLater;
    if (!p) { return; }  // a payload in another mode (points, say) came meanwhile
    var mode = modeOf(p), plugin = PLUGINS[mode];
    if (plugin && !plugin.ready() && loads[mode] !== "failed") { return; }  // still on its way
    drawDensity(state.map, p);
    placeSoon(state.map);
  }

  function clearDensity(map) {
    if (state.density) { map.removeLayer(state.density.layer); }
    state.density = null;
    state.markers = {};
  }

  // The layer for a mode: the one drawn already when the mode is the same, else a new one.
  function densityLayer(map, mode, p) {
    var d = state.density;
    if (d && d.mode === mode && map.hasLayer(d.layer)) { return d.layer; }
    clearDensity(map);
    var layer;
    if (mode === "clusters") {
      layer = L.markerClusterGroup({
        clusterPane: "oemMarkers", iconCreateFunction: clusterIcon, maxClusterRadius: 48,
        showCoverageOnHover: false, spiderfyDistanceMultiplier: 1.5, chunkedLoading: true
      });
      layer.on("animationend", function () { placeSoon(map); });
    } else if (mode === "heat") {
      layer = new (heatClass())([], L.extend({ max: p.hmax > 0 ? p.hmax : 1 }, HEAT));
    } else {
      layer = L.featureGroup();
    }
    layer.addTo(map);
    state.density = { mode: mode, layer: layer };
    return layer;
  }

  // leaflet.heat 0.2.0 puts its canvas in the overlay pane (under the oblasts' outlines and
  // the reservoirs) and takes it out of that pane only: its own pane instead.
  var HeatInPane = null;
  function heatClass() {
    if (!HeatInPane) {
      HeatInPane = L.HeatLayer.extend({
        onAdd: function (map) {
          L.HeatLayer.prototype.onAdd.call(this, map);
          map.getPane("oemHeat").appendChild(this._canvas);
        },
        onRemove: function (map) {
          if (this._canvas.parentNode) { this._canvas.parentNode.removeChild(this._canvas); }
          map.off("moveend", this._reset, this);
          map.off("zoomanim", this._animateZoom, this);
        }
      });
    }
    return HeatInPane;
  }

  // A cluster's number is the events its markers stand for (each marker's ``m[7]``), not the
  // number of markers: a dark disc with white digits, large enough to read on a projector.
  function clusterIcon(cluster) {
    var n = 0;
    cluster.getAllChildMarkers().forEach(function (m) { n += m._oemCount; });
    var text = String(n), d = Math.max(32, 14 + 9 * text.length);
    return L.divIcon({ className: "oem-cluster", html: "<span>" + text + "</span>",
      iconSize: [d, d] });
  }

  // Markers are kept by place from one date to the next and only restyled: most places stay
  // in view between neighbouring dates, and creating and removing hundreds of SVG circles is
  // what a step would otherwise cost the browser. In a cluster group the markers that come
  // and go are added and removed in bulk (addLayers/removeLayers), and the clusters whose
  // markers' counts changed are numbered again (refreshClusters).
  function drawMarkers(p, group, clustered) {
    var old = state.markers || {}, next = {}, styleKeys = [], fresh = [], recounted = [];
    (p.styles || []).forEach(function (st, i) { styleKeys[i] = JSON.stringify(st); });
    (p.m || []).forEach(function (m) {
      var key = m[0] + "," + m[1];
      while (next[key]) { key += "+"; } // two groups at one place (inside / outside)
      var marker = old[key], style = p.styles[m[2]], tip = p.s[m[3]];
      var count = typeof m[7] === "number" ? m[7] : m[5].length;
      if (marker) {
        delete old[key];
        if (marker._oemStyle !== styleKeys[m[2]]) { marker.setStyle(style); }
        if (marker._oemTip !== tip) { marker.setTooltipContent(tip); }
        if (marker._oemCount !== count) { recounted.push(marker); }
      } else {
        marker = L.circleMarker([m[0], m[1]], L.extend({ pane: "oemMarkers" }, style));
        marker.bindTooltip(tip, { sticky: true });
        marker.bindPopup(popupOf, { maxWidth: 380, autoPanPaddingTopLeft: [20, 80] });
        fresh.push(marker);
      }
      marker._oemStyle = styleKeys[m[2]];
      marker._oemTip = tip;
      marker._oemCount = count;
      marker._oem = [p, m];
      next[key] = marker;
    });
    var gone = Object.keys(old).map(function (key) { return old[key]; });
    if (clustered) {
      if (gone.length) { group.removeLayers(gone); }
      if (fresh.length) { group.addLayers(fresh); }
      if (recounted.length) { group.refreshClusters(recounted); }
    } else {
      gone.forEach(function (marker) { group.removeLayer(marker); });
      fresh.forEach(function (marker) { group.addLayer(marker); });
    }
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

  // --- the page's keys: the area in force, flights, a slide's annotations, the deck ----------
  // A page payload (one with ``steps``) says which area is in force (``area``: [[lat, lon],
  // ...], absent or empty for none): it is drawn exactly, replacing the user's own drawing. The
  // time bar's static files carry no ``area``: the area drawn stays. The same for a slide's
  // annotations (``ann``) and the deck presented (``deck``: {n, of}, absent when none). A
  // ``fly`` whose ``n`` is new sends the map there once.
  function pageKeys(map, p) {
    if (p.steps || p.area !== undefined) { showArea(map, p.area || []); }
    if (p.steps || p.ann !== undefined) { showAnnotations(map, p.ann || []); }
    if (p.steps || p.deck !== undefined) {
      state.deck = p.deck && typeof p.deck.n === "number" ? p.deck : null;
      map.getContainer().setAttribute("data-oem-deck",
        state.deck ? state.deck.n + "/" + state.deck.of : "");
    }
    var f = p.fly;
    if (f && typeof f.n === "number" && f.n !== state.flyN) {
      var first = state.flyN === undefined;
      state.flyN = f.n;
      // a frame made again with a flight already in force (``initial``) stays where it opens
      if (!(first && f.initial)) { fly(map, f); }
    }
  }

  function fly(map, f) {
    state.touched = true;  // the refit when the frame settles must not undo the flight
    var size = map.getSize();
    if (size.x === 0 || size.y === 0) { state.flyLater = f; return; }  // flown once laid out
    var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var how = { animate: !still, duration: 0.8 };
    if (f.b) {
      map.flyToBounds(f.b, L.extend(how, FIT_PADDING));
    } else if (f.c) {
      var c = L.latLng(f.c), zoom = typeof f.z === "number" ? f.z : map.getZoom();
      if (state.options.maxBounds) {  // Leaflet pans inside them after the flight; aim inside
        var mb = L.latLngBounds(state.options.maxBounds);
        c = L.latLng(Math.min(Math.max(c.lat, mb.getSouth()), mb.getNorth()),
          Math.min(Math.max(c.lng, mb.getWest()), mb.getEast()));
      }
      map.flyTo(c, Math.min(Math.max(zoom, map.getMinZoom()), map.getMaxZoom()), how);
    }
  }

  // --- a slide's annotations ---------------------------------------------------------------
  // The briefer's marks (``ann``, dashboard/scene/annotations.py): arrows, circles and labels,
  // a near-black line over a wider white casing and text with a white halo, so they read on
  // any fill. Never interactive. An arrow's head keeps its size in pixels: it is aimed again at
  // every zoom. The text is the user's: always set as text, never as HTML.
  var ANN = {  // mirrors dashboard/scene/annotations.py (tests compare them): change both
    INK: "#111111", CASING: "#ffffff", LINE_WIDTH: 3.5, CASING_WIDTH: 7.0,
    HEAD_LENGTH: 18.0, HEAD_ANGLE: 28.0, TEXT_SIZE: 16, TEXT_HALO: 3
  };
  var ANN_GAP = 6;  // px between an arrow's tail or a circle's top and its text
  // The halo: the text's white copies on two rings round it (a text-shadow reads everywhere;
  // a text stroke would eat into the glyphs).
  var ANN_HALO = (function () {
    var out = [];
    [ANN.TEXT_HALO, ANN.TEXT_HALO / 2].forEach(function (r, ring) {
      for (var i = 0; i < 16; i += ring + 1) {
        var a = i * Math.PI / 8;
        out.push((r * Math.cos(a)).toFixed(2) + "px " + (r * Math.sin(a)).toFixed(2) + "px 0 " +
          ANN.CASING);
      }
    });
    return out.join(",");
  })();

  function showAnnotations(map, list) {
    var key = JSON.stringify(list);
    if (state.annKey === key) { return; }
    state.annKey = key;
    if (state.ann) { map.removeLayer(state.ann); }
    state.ann = L.layerGroup().addTo(map);
    state.arrows = [];
    var n = 0;
    list.forEach(function (a) { if (drawAnnotation(map, a)) { n += 1; } });
    map.getContainer().setAttribute("data-oem-ann", String(n));
    placeSoon(map);  // names clear of the annotations' text
  }

  function annLine(casing, cls) {  // a line's style: the casing or the ink over it
    return { pane: "oemAnnotations", interactive: false, fill: false,
      color: casing ? ANN.CASING : ANN.INK, weight: casing ? ANN.CASING_WIDTH : ANN.LINE_WIDTH,
      opacity: 1, lineCap: "round", lineJoin: "round",
      className: (casing ? "oem-ann-casing " : "oem-ann-ink ") + cls };
  }

  function point(q) {
    var ll = Array.isArray(q) && q.length === 2 ? L.latLng(Number(q[0]), Number(q[1])) : null;
    return ll && isFinite(ll.lat) && isFinite(ll.lng) ? ll : null;
  }

  // One annotation into state.ann; false when it is malformed (nothing drawn).
  function drawAnnotation(map, a) {
    var pts = (a && Array.isArray(a.p) ? a.p : []).map(point), group = state.ann;
    var text = a && typeof a.t === "string" ? a.t : "";
    if (!pts.length || pts.some(function (q) { return !q; })) { return false; }
    if (a.k === "arrow" && pts.length === 2) {
      var arrow = { from: pts[0], to: pts[1], shaft: [], head: [] };
      [true, false].forEach(function (casing) {
        var shaft = L.polyline([pts[0], pts[1]], annLine(casing, "oem-ann-arrow")).addTo(group);
        var head = L.polygon([pts[1], pts[1], pts[1]], {
          pane: "oemAnnotations", interactive: false, opacity: 1, fillOpacity: 1,
          color: ANN.CASING, weight: ANN.CASING_WIDTH - ANN.LINE_WIDTH, lineJoin: "round",
          stroke: casing, fillColor: casing ? ANN.CASING : ANN.INK,
          className: (casing ? "oem-ann-casing" : "oem-ann-ink") + " oem-ann-head"
        }).addTo(group);
        arrow.shaft.push(shaft);
        arrow.head.push(head);
      });
      state.arrows.push(arrow);
      aimArrow(map, arrow);
      if (text) { annText(pts[0], text, tailPlace(map, pts[0], pts[1])).addTo(group); }
    } else if (a.k === "circle" && typeof a.r === "number" && a.r > 0 && isFinite(a.r)) {
      [true, false].forEach(function (casing) {
        L.circle(pts[0], L.extend(annLine(casing, "oem-ann-circle"), { radius: a.r }))
          .addTo(group);
      });
      // the circle's top, as Leaflet draws a circle of ``r`` metres on the ground
      var top = L.latLng(pts[0].lat + a.r / L.CRS.Earth.R * 180 / Math.PI, pts[0].lng);
      if (text) {
        annText(top, text, "translate(-50%, calc(-100% - " + ANN_GAP + "px))").addTo(group);
      }
    } else if (a.k === "label" && text) {
      annText(pts[0], text, "translate(-50%, -50%)").addTo(group);
    } else {
      return false;
    }
    return true;
  }

  // An arrow's text goes beyond its tail, on the side away from the head (the head points at
  // the place); which side is the same at every zoom.
  function tailPlace(map, from, to) {
    var z = map.getZoom(), d = map.project(from, z).subtract(map.project(to, z)), g = ANN_GAP;
    var before = "calc(-100% - " + g + "px)", after = g + "px";  // left of or above; right, below
    if (Math.abs(d.x) >= Math.abs(d.y)) {
      return "translate(" + (d.x < 0 ? before : after) + ", -50%)";
    }
    return "translate(-50%, " + (d.y < 0 ? before : after) + ")";
  }

  function annText(latlng, text, transform) {
    var span = document.createElement("span");
    span.className = "oem-ann-text";
    span.textContent = text;  // the user's text: never HTML
    var st = span.style;
    st.position = "absolute";
    st.left = st.top = "0";
    st.transform = transform;
    st.whiteSpace = "pre";
    st.pointerEvents = "none";
    st.font = "700 " + ANN.TEXT_SIZE + "px/1.2 system-ui,'DejaVu Sans',sans-serif";
    st.color = ANN.INK;
    st.textShadow = ANN_HALO;
    return L.marker(latlng, { pane: "oemAnnotations", interactive: false, keyboard: false,
      icon: L.divIcon({ className: "oem-ann", html: span, iconSize: null, iconAnchor: [0, 0] }) });
  }

  // The head: a triangle HEAD_LENGTH px long from its tip to its base, its sides HEAD_ANGLE
  // degrees either side of the shaft (as the slide painter, render/slides.py), at the map's
  // zoom; the shaft stops inside it, so its end does not show past the sharp tip. An arrow
  // shorter than its head gets a smaller head.
  function aimArrow(map, arrow) {
    var z = map.getZoom(), tip = map.project(arrow.to, z), tail = map.project(arrow.from, z);
    var d = tail.subtract(tip), len = Math.sqrt(d.x * d.x + d.y * d.y);
    if (len < 1) {  // a point on screen: no direction to draw a head in
      arrow.head.forEach(function (h) { h.setLatLngs([]); });
      return;
    }
    var ux = d.x / len, uy = d.y / len, h = Math.min(ANN.HEAD_LENGTH, len);  // u: towards the tail
    var w = h * Math.tan(ANN.HEAD_ANGLE * Math.PI / 180);  // half the base
    var at = function (along, across) {  // px along the shaft from the tip, and across it
      return map.unproject(L.point(tip.x + along * ux - across * uy,
        tip.y + along * uy + across * ux), z);
    };
    var barb = function (s) { return at(h, s * w); };
    var neck = at(h * 0.6, 0);  // the shaft's end: well inside the head
    arrow.head.forEach(function (head) { head.setLatLngs([arrow.to, barb(1), barb(-1)]); });
    arrow.shaft.forEach(function (shaft) { shaft.setLatLngs([arrow.from, neck]); });
  }

  function aimArrows(map) {
    (state.arrows || []).forEach(function (arrow) { aimArrow(map, arrow); });
  }

  // --- drawing an area -----------------------------------------------------------------------
  // A control under the zoom buttons: rectangle, polygon, clear. Rectangle: press and drag.
  // Polygon: click (or tap) the corners; a double click, a click on the first corner or Enter
  // ends it (3 corners at least), Backspace takes the last corner back. Esc cancels either
  // (and does not leave presentation). While drawing, the map does not pan and clicks go to
  // the drawing, not to the markers under it. The area is drawn at once and posted to the
  // page (``area``: id and points, rounded to 4 decimals, at most MAX_VERTICES); the page
  // then sends back the area in force (pageKeys). Pointer events: mouse, pen and touch alike.
  var MAX_VERTICES = 60;
  var AREA_STYLE = { pane: "oemDrawn", interactive: false, color: "#0b3d91", weight: 2.5,
    dashArray: "8 6", fillColor: "#0b6e99", fillOpacity: 0.08 };
  var DRAFT_STYLE = { pane: "oemDrawn", interactive: false, color: "#0b3d91", weight: 2,
    dashArray: "6 5", fillColor: "#0b6e99", fillOpacity: 0.06 };
  var CLICK_SLOP = 6;  // px a press may move and still count as a click (a corner)
  var DOUBLE_MS = 500;  // a second click this soon at the same spot ends the polygon
  var ICONS = {  // drawn, not a font (no icon fonts offline); 18 x 18
    rect: [["rect", { x: 2.5, y: 4.5, width: 13, height: 9, "stroke-dasharray": "3 2" }]],
    poly: [["path", { d: "M3 13.5 L5.5 3.5 L14.5 5.5 L15 14 Z", "stroke-linejoin": "round" }]],
    clear: [["path", { d: "M4.5 4.5 L13.5 13.5 M13.5 4.5 L4.5 13.5", "stroke-linecap": "round" }]]
  };
  var drawing = null, drawEndedAt = 0, tool = null;

  function icon(parts) {
    var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "18");
    svg.setAttribute("height", "18");
    svg.setAttribute("viewBox", "0 0 18 18");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    parts.forEach(function (part) {
      var el = document.createElementNS(ns, part[0]);
      el.setAttribute("fill", "none");
      el.setAttribute("stroke", "currentColor");
      el.setAttribute("stroke-width", "2");
      Object.keys(part[1]).forEach(function (k) { el.setAttribute(k, part[1][k]); });
      svg.appendChild(el);
    });
    return svg;
  }

  function drawTool(map, words) {
    var control = L.control({ position: "topleft" });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "leaflet-bar oem-draw"), buttons = {};
      ["rect", "poly", "clear"].forEach(function (kind) {
        var b = L.DomUtil.create("button", "oem-draw-" + kind, div);
        b.type = "button";
        b.title = words[kind] || kind;  // plain text, never HTML
        b.setAttribute("aria-label", words[kind] || kind);
        if (kind !== "clear") { b.setAttribute("aria-pressed", "false"); }
        b.appendChild(icon(ICONS[kind]));
        b.addEventListener("click", function () {
          if (kind === "clear") { clearArea(map); }
          else if (drawing && drawing.kind === kind) { stopDrawing(map); }
          else { startDrawing(map, kind); }
        });
        buttons[kind] = b;
      });
      var hint = L.DomUtil.create("div", "oem-draw-hint", div);
      hint.setAttribute("role", "status");
      hint.hidden = true;
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      tool = { buttons: buttons, hint: hint, words: words };
      return div;
    };
    control.addTo(map);
    var box = map.getContainer();
    // Capture phase, on the map's own element: before Leaflet and the layers see the event.
    ["pointerdown", "pointermove", "pointerup", "pointercancel"].forEach(function (name) {
      box.addEventListener(name, function (e) { onPointer(map, e); }, true);
    });
    ["click", "dblclick"].forEach(function (name) {
      box.addEventListener(name, function (e) {
        // the click (and double click) that ends a drawing must not open a popup or zoom
        if ((drawing || Date.now() - drawEndedAt < DOUBLE_MS) && !inControl(e)) {
          e.stopPropagation();
          e.preventDefault();
        }
      }, true);
    });
    // Before the document's own Esc listener (leave presentation) and Leaflet's keys.
    window.addEventListener("keydown", function (e) { onKey(map, e); }, true);
  }

  function inControl(e) {
    return !!(e.target && e.target.closest && e.target.closest(".leaflet-control"));
  }

  function startDrawing(map, kind) {
    if (drawing) { stopDrawing(map); }
    map.closePopup();
    drawing = { kind: kind, pts: [], start: null, down: null, lastAt: 0,
      dragging: !!(map.dragging && map.dragging.enabled()),
      dblZoom: !!(map.doubleClickZoom && map.doubleClickZoom.enabled()),
      shape: null, guide: null, first: null };
    state.drawing = drawing;  // for a look from the console or a test
    if (drawing.dragging) { map.dragging.disable(); }
    if (drawing.dblZoom) { map.doubleClickZoom.disable(); }
    L.DomUtil.addClass(map.getContainer(), "oem-drawing");
    tool.buttons[kind].setAttribute("aria-pressed", "true");
    hint(kind === "rect" ? tool.words.hint_rect : tool.words.hint_poly);
  }

  function stopDrawing(map) {
    var d = drawing;
    if (!d) { return; }
    drawing = state.drawing = null;
    [d.shape, d.guide, d.first].forEach(function (layer) { if (layer) { map.removeLayer(layer); } });
    if (d.dragging) { map.dragging.enable(); }
    if (d.dblZoom) { map.doubleClickZoom.enable(); }
    L.DomUtil.removeClass(map.getContainer(), "oem-drawing");
    tool.buttons[d.kind].setAttribute("aria-pressed", "false");
    hint(null);
  }

  function hint(text) {
    tool.hint.textContent = text || "";
    tool.hint.hidden = !text;
  }

  function onKey(map, e) {
    if (!drawing) { return; }
    if (e.key === "Escape") {
      stopDrawing(map);
    } else if (e.key === "Enter" && drawing.kind === "poly") {
      if (drawing.pts.length >= 3) { finish(map, drawing.pts.slice()); }
    } else if (e.key === "Backspace" && drawing.kind === "poly") {
      drawing.pts.pop();
      draftPolygon(map, null);
    } else {
      return;
    }
    e.preventDefault();
    e.stopPropagation();
  }

  function onPointer(map, e) {
    if (!drawing || inControl(e)) { return; }
    if (e.type === "pointerdown" && (!e.isPrimary || e.button !== 0)) { return; }
    var d = drawing, at = map.mouseEventToContainerPoint(e), ll = map.containerPointToLatLng(at);
    e.stopPropagation();
    if (e.type === "pointerdown") {
      e.preventDefault();
      d.down = at;
      try { map.getContainer().setPointerCapture(e.pointerId); } catch (err) { /* gone */ }
      if (d.kind === "rect") {
        d.start = ll;
        d.shape = d.shape || L.rectangle([ll, ll], DRAFT_STYLE).addTo(map);
        d.shape.setBounds([ll, ll]);
      }
    } else if (e.type === "pointermove") {
      if (d.kind === "rect" && d.start) { d.shape.setBounds([d.start, ll]); }
      if (d.kind === "poly") { draftPolygon(map, ll); }
    } else if (e.type === "pointercancel") {
      d.down = null;
      if (d.kind === "rect" && d.start) { d.start = null; d.shape.setBounds([ll, ll]); }
    } else if (e.type === "pointerup" && d.down) {
      var moved = at.distanceTo(d.down);
      d.down = null;
      if (d.kind === "rect" && d.start) {
        var a = map.latLngToContainerPoint(d.start);
        if (Math.abs(a.x - at.x) < CLICK_SLOP || Math.abs(a.y - at.y) < CLICK_SLOP) {
          d.start = null;  // a click, not a rectangle: keep drawing
          d.shape.setBounds([ll, ll]);
          return;
        }
        var b = L.latLngBounds(d.start, ll);
        finish(map, [b.getSouthWest(), b.getNorthWest(), b.getNorthEast(), b.getSouthEast()]);
      } else if (d.kind === "poly" && moved <= CLICK_SLOP) {
        polyClick(map, at, ll);
      }
    }
  }

  function polyClick(map, at, ll) {
    var d = drawing, pts = d.pts, now = Date.now();
    var near = function (q, px) { return map.latLngToContainerPoint(q).distanceTo(at) <= px; };
    if (pts.length >= 3 && near(pts[0], 10)) { finish(map, pts.slice()); return; }
    if (pts.length && near(pts[pts.length - 1], CLICK_SLOP) && now - d.lastAt < DOUBLE_MS) {
      if (pts.length >= 3) { finish(map, pts.slice()); }  // a double click ends it
      return;
    }
    pts.push(ll);
    d.lastAt = now;
    draftPolygon(map, null);
  }

  // The corners so far (a dashed outline) and a dashed line from the last one to the pointer.
  function draftPolygon(map, pointer) {
    var d = drawing;
    if (!d.shape) { d.shape = L.polyline([], DRAFT_STYLE).addTo(map); }
    d.shape.setLatLngs(d.pts);
    if (!d.first && d.pts.length) {
      d.first = L.circleMarker(d.pts[0], { pane: "oemDrawn", interactive: false, radius: 6,
        color: "#0b3d91", weight: 2, fillColor: "#fff", fillOpacity: 1 }).addTo(map);
    }
    if (d.first && !d.pts.length) { map.removeLayer(d.first); d.first = null; }
    if (d.first) { d.first.setLatLng(d.pts[0]); }
    if (!d.guide) {
      d.guide = L.polyline([], L.extend({}, DRAFT_STYLE, { dashArray: "4 6" })).addTo(map);
    }
    if (pointer) { d.pointer = pointer; }
    var last = d.pts[d.pts.length - 1];
    d.guide.setLatLngs(last && d.pointer ? [last, d.pointer] : []);
  }

  // Rounded to 4 decimals (about 10 m), repeated corners dropped, and at most MAX_VERTICES:
  // a longer outline is simplified on screen until it fits.
  function areaPoints(map, latlngs) {
    var pts = latlngs;
    if (pts.length > MAX_VERTICES) {
      var zoom = map.getZoom(), px = pts.map(function (q) { return map.project(q, zoom); });
      for (var tolerance = 1; px.length > MAX_VERTICES; tolerance *= 1.5) {
        px = L.LineUtil.simplify(pts.map(function (q) { return map.project(q, zoom); }), tolerance);
      }
      pts = px.map(function (q) { return map.unproject(q, zoom); });
    }
    var out = [];
    pts.forEach(function (q) {
      var r = [Math.round(q.lat * 1e4) / 1e4, Math.round(q.lng * 1e4) / 1e4], prev = out[out.length - 1];
      if (!prev || prev[0] !== r[0] || prev[1] !== r[1]) { out.push(r); }
    });
    while (out.length > 1 && out[0][0] === out[out.length - 1][0] &&
      out[0][1] === out[out.length - 1][1]) { out.pop(); }
    return out;
  }

  function finish(map, latlngs) {
    var pts = areaPoints(map, latlngs);
    stopDrawing(map);
    drawEndedAt = Date.now();
    if (pts.length < 3) { return; }
    showArea(map, pts);
    postArea(map, pts);
  }

  function clearArea(map) {
    stopDrawing(map);
    showArea(map, []);
    postArea(map, []);
  }

  function showArea(map, pts) {
    var key = JSON.stringify(pts);
    if (state.areaKey === key) { return; }
    if (state.area) { map.removeLayer(state.area); state.area = null; }
    state.areaKey = key;
    if (pts.length >= 3) { state.area = L.polygon(pts, AREA_STYLE).addTo(map); }
    map.getContainer().setAttribute("data-oem-area", String(pts.length >= 3 ? pts.length : 0));
  }

  function postArea(map, pts) {
    if (window.parent === window) { return; }  // a standalone file: nobody to tell
    var c = map.getCenter();
    window.parent.postMessage({
      isStreamlitMessage: true, type: "streamlit:setComponentValue", dataType: "json",
      value: { center: { lat: c.lat, lng: c.lng }, zoom: map.getZoom(),
               area: { id: clientId + ":" + (++seq), pts: pts } }
    }, "*");
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
      pageKeys(map, p);  // the area in force and a flight hold whichever date is shown
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

  // While the page presents a deck (the last page payload had ``deck``), the arrows left and
  // right and Page Up/Down in the map turn the slides (a presenter's clicker sends Page Up/Down):
  // {"oem": "slide", "dir": 1 or -1} to the page, and the map does not pan (this runs before
  // Leaflet's keyboard handler, on the document). Keys in a field (the time bar's date), while
  // an area is drawn (the drawing's own keys) or with Alt, Ctrl or Meta behave as ever.
  var SLIDE_KEYS = { ArrowRight: 1, PageDown: 1, ArrowLeft: -1, PageUp: -1 };
  window.addEventListener("keydown", function (e) {
    var dir = SLIDE_KEYS[e.key];
    if (!dir || !state.deck || drawing || window.parent === window) { return; }
    if (e.altKey || e.ctrlKey || e.metaKey || typing(e.target)) { return; }
    e.preventDefault();
    e.stopPropagation();
    window.parent.postMessage({ oem: "slide", dir: dir }, "*");
  }, true);

  function typing(el) {
    return !!(el && (el.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName)));
  }

  // A report the page never answers is sent again, RESEND_MS later (then twice that...), up
  // to RESENDS times, unless a newer one went out: Streamlit drops a fragment's rerun that
  // arrives while a full run has not reached the fragment yet ("Couldn't find fragment"),
  // and an upload's date, which only the server draws, then never came (CI, 1 Dec).
  var RESEND_MS = 4000, RESENDS = 3, resendTimer = null;

  function report(day, tries) {
    if (window.parent === window) { return; } // a standalone file: nobody to tell
    var c = state.map.getCenter();
    var id = lastSent = clientId + ":" + (++seq);
    lastSentAt = Date.now();
    inFlight = true;
    window.parent.postMessage({
      isStreamlitMessage: true, type: "streamlit:setComponentValue", dataType: "json",
      value: { center: { lat: c.lat, lng: c.lng }, zoom: state.map.getZoom(),
               oem: { date: day, id: lastSent } }
    }, "*");
    tries = tries || 0;
    clearTimeout(resendTimer);
    if (tries < RESENDS) {
      resendTimer = setTimeout(function () {
        if (inFlight && lastSent === id && unreported === null) { report(day, tries + 1); }
      }, RESEND_MS * (tries + 1));
    }
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
    clearTimeout(resendTimer);
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
    // No folder (an upload's dates are never written to files): the server draws each date.
    if (!steps.url) { toReport(day, true); return; }
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
