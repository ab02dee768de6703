// Maps (progressive enhancement: every map has its places listed in the page, which works without this file).
//  - #map (the /map page): markers from its data-url JSON [{type, id, title, lat, lng, url}], clustered.
//  - .place-map: one place (data-lat, data-lng, data-label) or an itinerary (data-stops: [{lat, lng, label}]),
//    drawn as a numbered route in order.
//  - .activity-map (the /network page): circles from data-points [{lat, lng, label, value, text}], their area
//    proportional to the value (the radius to its square root); the page's table gives the same numbers.
// The base map is the tile server in #map-config's data-tile-url, or else the Natural Earth country shapes the
// app ships (offline). No innerHTML with user text: titles and labels go in as text nodes.
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }
  var config = document.getElementById("map-config");
  if (!config) { return; }
  var settings = config.dataset;
  var SEA = "#cfe3ef";
  var countriesData = null;  // fetched once per page, shared by every map on it

  function label(template, n) { return (template || "{n}").replace("{n}", String(n)); }

  function textElement(tag, text, className) {
    var el = document.createElement(tag);
    el.textContent = text;
    el.setAttribute("dir", "auto");
    if (className) { el.className = className; }
    return el;
  }

  function newMap(element, options) {
    var map = L.map(element, Object.assign({ zoomControl: false, worldCopyJump: true, minZoom: 1 }, options || {}));
    L.control.zoom({ zoomInTitle: settings.zoomIn, zoomOutTitle: settings.zoomOut }).addTo(map);
    element.setAttribute("aria-label", element.getAttribute("aria-label") || element.dataset.label || settings.mapLabel);
    if (settings.tileUrl) {
      L.tileLayer(settings.tileUrl, { attribution: settings.tileAttribution || "", maxZoom: 18 }).addTo(map);
    } else {
      element.classList.add("map-offline");
      map.setMaxZoom(10);
      map.attributionControl.addAttribution(settings.countriesAttribution);
      drawCountries(map);
    }
    return map;
  }

  // Natural Earth cuts Russia's and Fiji's easternmost land at 180° yet keeps it in one ring with the rest:
  // drawn as it is, the ring runs back across the whole world, a line from one edge of the map to the other.
  // Such a ring (its western longitudes all east of -160°, so not Antarctica's) is carried on past 180°.
  function unwrap(ring) {
    var west = ring.filter(function (point) { return point[0] < 0; });
    if (!west.length || west.length === ring.length) { return ring; }
    if (!west.every(function (point) { return point[0] < -160; })) { return ring; }
    return ring.map(function (point) { return point[0] < 0 ? [point[0] + 360, point[1]] : point; });
  }

  function unwrapCountries(data) {
    (data.features || []).forEach(function (feature) {
      var geometry = feature.geometry || {};
      if (geometry.type === "Polygon") { geometry.coordinates = geometry.coordinates.map(unwrap); }
      if (geometry.type === "MultiPolygon") {
        geometry.coordinates = geometry.coordinates.map(function (polygon) { return polygon.map(unwrap); });
      }
    });
    return data;
  }

  function drawCountries(map) {
    var draw = function (data) {
      L.geoJSON(data, {
        interactive: false,
        style: { color: "#9aa3ad", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1 }
      }).addTo(map).bringToBack();
    };
    if (countriesData) { countriesData.then(draw); return; }
    countriesData = fetch(settings.countriesUrl, { credentials: "same-origin" })
      .then(function (response) { return response.json(); }).then(unwrapCountries);
    countriesData.then(draw).catch(function () { /* the sea colour alone still shows the markers */ });
  }

  function pin(type, text) {
    return L.divIcon({
      className: "map-pin map-pin-" + type,
      html: text === undefined ? "" : String(text),
      iconSize: [18, 18],
      iconAnchor: [9, 9],
      popupAnchor: [0, -9]
    });
  }

  // The /map page --------------------------------------------------------------------------------
  function bigMap(element) {
    var map = newMap(element, { center: [20, 10], zoom: 2 });
    var group = typeof L.markerClusterGroup === "function"
      ? L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false })
      : L.featureGroup();
    group.addTo(map);
    fetch(element.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (items) {
        var markers = items.map(function (item) {
          var marker = L.marker([item.lat, item.lng], { icon: pin(item.type), title: item.title, alt: item.title,
                                                        keyboard: true });
          var box = document.createElement("div");
          var kind = settings["type" + item.type.charAt(0).toUpperCase() + item.type.slice(1)] || item.type;
          box.appendChild(textElement("div", kind, "small text-muted"));
          var link = textElement("a", item.title);
          link.href = item.url;
          box.appendChild(link);
          marker.bindPopup(box);
          return marker;
        });
        if (typeof group.addLayers === "function") { group.addLayers(markers); }
        else { markers.forEach(function (m) { group.addLayer(m); }); }
        element.dataset.markers = String(markers.length);
        if (markers.length) { map.fitBounds(group.getBounds(), { padding: [20, 20], maxZoom: 6 }); }
      })
      .catch(function () { element.dataset.markers = "0"; });
  }

  // A place, or an itinerary --------------------------------------------------------------------------
  function placeMap(element) {
    var data = element.dataset;
    var stops = data.stops ? JSON.parse(data.stops) : null;
    var zoom = settings.tileUrl ? 12 : 5;
    var map = newMap(element, { center: [parseFloat(data.lat), parseFloat(data.lng)], zoom: zoom,
                                scrollWheelZoom: false });
    if (stops && stops.length) {
      var points = stops.map(function (stop) { return [stop.lat, stop.lng]; });
      L.polyline(points, { color: "#1b6e53", weight: 3, opacity: 0.8 }).addTo(map);
      stops.forEach(function (stop, index) {
        var number = index + 1;
        L.marker([stop.lat, stop.lng], { icon: pin("stop", number), keyboard: true,
                                         title: label(settings.stopLabel, number) + ": " + stop.label,
                                         alt: label(settings.stopLabel, number) })
          .bindTooltip(textElement("span", number + ". " + stop.label))
          .addTo(map);
      });
      // a trip's stops lie close together: zoom in further than for one place (coarser shapes offline, but
      // the stops apart)
      map.fitBounds(points, { padding: [24, 24], maxZoom: settings.tileUrl ? 15 : 10 });
    } else {
      L.marker([parseFloat(data.lat), parseFloat(data.lng)], { icon: pin("place"), keyboard: true,
                                                                title: data.label, alt: data.label })
        .bindTooltip(textElement("span", data.label))
        .addTo(map);
    }
  }

  // Cities sized by activity -------------------------------------------------------------------------
  function activityMap(element) {
    var points = JSON.parse(element.dataset.points || "[]");
    var map = newMap(element, { center: [20, 10], zoom: 2 });
    var largest = points.reduce(function (top, point) { return Math.max(top, point.value); }, 1);
    var group = L.featureGroup().addTo(map);
    points.forEach(function (point) {
      var radius = 4 + 22 * Math.sqrt(point.value / largest);
      L.circleMarker([point.lat, point.lng], { radius: radius, color: "#1b6e53", weight: 1.5,
                                                fillColor: "#2e9e76", fillOpacity: 0.45, keyboard: true })
        .bindTooltip(textElement("span", point.label + ": " + point.text))
        .addTo(group);
    });
    element.dataset.markers = String(points.length);
    if (points.length) { map.fitBounds(group.getBounds(), { padding: [30, 30], maxZoom: 6 }); }
  }

  function start() {
    var big = document.getElementById("map");
    if (big && big.dataset.url) { bigMap(big); }
    Array.prototype.forEach.call(document.querySelectorAll(".place-map"), placeMap);
    Array.prototype.forEach.call(document.querySelectorAll(".activity-map"), activityMap);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
}());
