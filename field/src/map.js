// The incident on a map (Leaflet, served from our own static files). Tiles come only
// from the server configured for the closed network (MAP_TILE_URL); without one the
// map is plain: the point, a 150 m circle, a scale and, once asked, the member's own
// position, which is what finding the place takes.
import { config } from "./config.js";

export function drawMap(box, point) {
  if (typeof L === "undefined") return null;
  const center = [point.lat, point.lng];
  const map = L.map(box, { scrollWheelZoom: false, attributionControl: Boolean(config.tiles) }).setView(center, 15);
  if (config.tiles) L.tileLayer(config.tiles, { maxZoom: 19, attribution: config.tilesAttribution }).addTo(map);
  else box.classList.add("map-plain");
  const icon = L.icon({
    iconUrl: config.marker.icon,
    iconRetinaUrl: config.marker.icon2x,
    shadowUrl: config.marker.shadow,
    iconSize: [25, 41],
    iconAnchor: [12, 41],
    shadowSize: [41, 41],
  });
  L.marker(center, { icon, keyboard: false }).addTo(map);
  L.circle(center, { radius: 150, color: "#b42318", weight: 2 }).addTo(map);
  L.control.scale({ imperial: false }).addTo(map);
  let me = null;
  return {
    showMe(position) {
      if (me) me.remove();
      me = L.circleMarker([position.lat, position.lng], { radius: 9, color: "#fff", weight: 3, fillColor: "#1a56db", fillOpacity: 1 }).addTo(map);
      map.fitBounds(L.latLngBounds([center, [position.lat, position.lng]]).pad(0.3), { maxZoom: 17 });
    },
  };
}
