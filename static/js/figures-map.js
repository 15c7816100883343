// The public figures' choropleth (templates/public/figures/includes/map.html): the
// boundaries coloured by the page's figures, a click opens the area's own page.
// No tile server is needed: with MAP_TILE_URL set, its tiles are drawn underneath.
(function () {
  "use strict";
  var box = document.getElementById("figures-map");
  var source = document.getElementById("figures-map-data");
  if (!box || !source || !window.L) { return; }
  var data = JSON.parse(source.textContent);
  // No keyboard handling on the container: focusable itself, it would hold the zoom
  // buttons inside it (axe: nested-interactive); every area is a link in the table.
  var map = L.map(box, { scrollWheelZoom: false, keyboard: false, attributionControl: Boolean(data.tiles), zoomSnap: 0.25 });
  if (data.tiles) {
    L.tileLayer(data.tiles, { maxZoom: 18, attribution: data.attribution }).addTo(map);
  }
  fetch(data.geojson, { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (collection) {
      var layer = L.geoJSON(collection, {
        style: function (feature) {
          var code = feature.properties.code;
          var chosen = data.highlight && code === data.highlight;
          return {
            color: chosen ? "#000" : "#555", weight: chosen ? 3 : 0.6,
            fillColor: data.colours[code] || "#d9d9d9", fillOpacity: 0.85
          };
        },
        onEachFeature: function (feature, shape) {
          var code = feature.properties.code;
          var name = data.names[code];
          if (!name) { return; }
          shape.bindTooltip(name, { sticky: true });
          if (data.links[code]) {
            shape.on("click", function () { window.location.assign(data.links[code] + window.location.search); });
          }
        }
      }).addTo(map);
      map.fitBounds(layer.getBounds(), { padding: [8, 8] });
      box.dataset.ready = "true";
    })
    .catch(function () { box.hidden = true; });
})();
