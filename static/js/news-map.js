// The map of a news post's place (public/news): a point on Leaflet, with tiles only
// from the server configured for the closed network (settings.MAP_TILE_URL). The
// page says the coordinates in words as well, so nothing depends on this script.
(function () {
  "use strict";
  var box = document.getElementById("news-map");
  if (!box || typeof L === "undefined") return;
  var point = [parseFloat(box.dataset.lat), parseFloat(box.dataset.lng)];
  var map = L.map(box, {scrollWheelZoom: false}).setView(point, 15);
  L.tileLayer(box.dataset.tiles, {maxZoom: 19, attribution: box.dataset.attribution}).addTo(map);
  L.Icon.Default.imagePath = box.dataset.icons;
  L.marker(point, {keyboard: false}).addTo(map);
})();
