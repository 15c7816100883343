// The field app's service worker (Workbox, bundled by esbuild). Served by Django at
// /field/sw.js (field/views.py), which puts its settings first: self.FIELD_SW, with
// the precache list of the shell page and its files as the shell asks for them.
//
// The shell and its files come from the precache, so the app opens without a signal;
// a new deployment changes a revision, hence this script, and the new worker takes
// over at once. Thumbnails of case photos are kept as they are fetched (the app warms
// them while online); map tiles too, when a tile server is configured. The API's JSON
// is never cached here: the app keeps its own copy in IndexedDB.
import { clientsClaim } from "workbox-core";
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from "workbox-precaching";
import { NavigationRoute, registerRoute } from "workbox-routing";
import { CacheFirst, StaleWhileRevalidate } from "workbox-strategies";
import { ExpirationPlugin } from "workbox-expiration";
import { CacheableResponsePlugin } from "workbox-cacheable-response";

const settings = self.FIELD_SW;
const DAY = 24 * 60 * 60;

self.skipWaiting();
clientsClaim();
cleanupOutdatedCaches();
precacheAndRoute(settings.precache);

// Any page under the scope (/field/?from=home, /field/anything) is the app: the shell.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL(settings.shell), {
    allowlist: [new RegExp(`^${settings.scope.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`)],
  }),
);

// Thumbnails of a case's attachments (GET /api/v1/.../attachments/<id>/?thumbnail=1).
// They carry the device token; the cache is emptied at sign-out.
registerRoute(
  ({ url, request }) =>
    request.method === "GET" && url.origin === self.location.origin && url.pathname.startsWith(settings.api) && url.searchParams.has("thumbnail"),
  new CacheFirst({
    cacheName: "field-thumbnails",
    matchOptions: { ignoreVary: true },
    plugins: [
      new CacheableResponsePlugin({ statuses: [200] }),
      new ExpirationPlugin({ maxEntries: 600, maxAgeSeconds: 60 * DAY, purgeOnQuotaError: true }),
    ],
  }),
);

// Other static files the pages load (fonts of other scripts, Leaflet's layer images).
registerRoute(
  ({ url, request }) => request.method === "GET" && url.origin === self.location.origin && url.pathname.startsWith(settings.static),
  new StaleWhileRevalidate({
    cacheName: "field-static",
    plugins: [new CacheableResponsePlugin({ statuses: [200] }), new ExpirationPlugin({ maxEntries: 100 })],
  }),
);

// Map tiles from the configured tile server: the places the member looked at stay on the map offline.
if (settings.tileOrigins.length) {
  registerRoute(
    ({ url, request }) => request.method === "GET" && settings.tileOrigins.includes(url.origin),
    new CacheFirst({
      cacheName: "field-tiles",
      plugins: [
        new CacheableResponsePlugin({ statuses: [0, 200] }),
        new ExpirationPlugin({ maxEntries: 2000, maxAgeSeconds: 30 * DAY, purgeOnQuotaError: true }),
      ],
    }),
  );
}
