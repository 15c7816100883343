// The phone's position (GPS), and where the incident lies from it.
import { t } from "./config.js";

export function position() {
  return new Promise((resolve, reject) => {
    if (!("geolocation" in navigator)) {
      reject(new Error(t("gps_unavailable")));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      ({ coords }) =>
        resolve({
          lat: Number(coords.latitude.toFixed(6)),
          lng: Number(coords.longitude.toFixed(6)),
          accuracy: Math.round(coords.accuracy),
        }),
      (error) => reject(new Error(t(error.code === 1 ? "gps_denied" : error.code === 3 ? "gps_timeout" : "gps_unavailable"))),
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 },
    );
  });
}

/** Whether the user already let the app read the position (no prompt would show). */
export async function allowed() {
  try {
    return (await navigator.permissions.query({ name: "geolocation" })).state === "granted";
  } catch {
    return false;
  }
}

const RADIUS_M = 6371000;
const rad = (degrees) => (degrees * Math.PI) / 180;

export function distance(from, to) {
  const dLat = rad(to.lat - from.lat);
  const dLng = rad(to.lng - from.lng);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(rad(from.lat)) * Math.cos(rad(to.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * RADIUS_M * Math.asin(Math.sqrt(a));
}

export function bearing(from, to) {
  const y = Math.sin(rad(to.lng - from.lng)) * Math.cos(rad(to.lat));
  const x =
    Math.cos(rad(from.lat)) * Math.sin(rad(to.lat)) -
    Math.sin(rad(from.lat)) * Math.cos(rad(to.lat)) * Math.cos(rad(to.lng - from.lng));
  return ((Math.atan2(y, x) * 180) / Math.PI + 360) % 360;
}

const DIRECTIONS = ["dir_n", "dir_ne", "dir_e", "dir_se", "dir_s", "dir_sw", "dir_w", "dir_nw"];

/** "1.2 กม. ทางทิศตะวันออกเฉียงเหนือ" from ``from`` to ``to``. */
export function describe(from, to) {
  const metres = distance(from, to);
  const far = metres >= 1000 ? t("km", { n: (metres / 1000).toFixed(1) }) : t("m", { n: Math.round(metres) });
  const direction = t(DIRECTIONS[Math.round(bearing(from, to) / 45) % 8]);
  return t("distance_from_here", { distance: far, direction });
}
