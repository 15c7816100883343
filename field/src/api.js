// The REST API v1 (api/): JSON, the device token in the Authorization header, errors as
// {"code", "message", "fields"?}. credentials "omit": the session cookie of the web
// pages (and its CSRF check) never mixes in.
import { config } from "./config.js";

let token = null;

export function setToken(value) {
  token = value || null;
}

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
    this.code = this.body.code || "";
    this.fields = this.body.fields || {};
  }
}

/** No answer at all: no signal, or the server is unreachable. */
export class OfflineError extends Error {}

export function url(path) {
  return /^(https?:)?\//.test(path) ? path : config.api + path;
}

async function send(path, { method = "GET", json, form, key, accept = "application/json" } = {}) {
  const headers = { Accept: accept };
  if (token) headers.Authorization = `Token ${token}`;
  if (key) headers["Idempotency-Key"] = key;
  let body;
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  } else if (form) {
    body = form;
  }
  busy(1);
  try {
    return await fetch(url(path), { method, headers, body, credentials: "omit", cache: "no-store" });
  } catch (error) {
    throw new OfflineError(error.message);
  } finally {
    busy(-1);
  }
}

// How many requests are on their way, on the page (<html data-requests>): the browser
// tests wait for none before they end, so that no request outlives its test's data.
let requests = 0;
function busy(change) {
  requests += change;
  document.documentElement.dataset.requests = String(requests);
}

export async function call(path, options) {
  const response = await send(path, options);
  const type = response.headers.get("Content-Type") || "";
  const data = type.includes("json") ? await response.json().catch(() => null) : null;
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/** A file the API serves (a thumbnail): its bytes, or null when it cannot be had now.
 *  The service worker keeps thumbnails (Cache Storage), so this works offline too. */
export async function blob(path) {
  try {
    const response = await send(path, { accept: "*/*" });
    return response.ok ? await response.blob() : null;
  } catch {
    return null;
  }
}

/** Every page of a keyset list, up to ``limit`` items. */
export async function all(path, limit = 200) {
  const results = [];
  let next = path;
  while (next && results.length < limit) {
    const page = await call(next);
    results.push(...page.results);
    next = page.next;
  }
  return results;
}
