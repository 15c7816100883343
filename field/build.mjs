// Build the field app's bundle (npm run build:field, run by `make assets`): the app's
// script with idb, its styles with the Sarabun fonts, and the Workbox service worker,
// into field/static/field/build/ (served as static files; never committed).
import { build } from "esbuild";
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "static", "field", "build");
rmSync(out, { recursive: true, force: true });

const common = {
  bundle: true,
  minify: true,
  sourcemap: false,
  target: ["es2020", "chrome90", "safari15", "firefox90"],
  legalComments: "none",
  logLevel: "warning",
  define: { "process.env.NODE_ENV": '"production"' },
};

await build({
  ...common,
  entryPoints: { app: join(here, "src", "app.js"), sw: join(here, "src", "sw.js") },
  outdir: out,
  format: "iife",
});

await build({
  ...common,
  entryPoints: { app: join(here, "src", "app.css") },
  outdir: out,
  // Fonts keep their names: the static files storage adds the content hash in production.
  loader: { ".woff2": "file", ".woff": "file" },
  assetNames: "[name]",
});
