// What the member did, waiting on the phone until the server has it.
//
// Every action and progress report goes through here, online or not: it is kept in
// IndexedDB first, then sent in the order it was made. Each carries a UUID made on the
// phone as its Idempotency-Key, so a send whose answer was lost (the signal dropped
// mid-upload) is sent again with the same key and the server acts once. The queue is
// flushed at start, on the "online" event and every minute (background sync is not on
// every phone). A refusal keeps the item and everything typed in it: 409 (the case has
// moved on: the server's case comes with it), 400 (a field to fix), 403/404.
import { ApiError, OfflineError, call } from "./api.js";
import { cases, kv, outbox } from "./db.js";

export const WAITING = "waiting";
export const SENDING = "sending";
export const CONFLICT = "conflict";
export const INVALID = "invalid";
export const REFUSED = "refused";

export const events = new EventTarget();
const changed = () => events.dispatchEvent(new Event("change"));

export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  // iOS before 15.4 has no randomUUID: a version-4 UUID from getRandomValues.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Keep an action on ``detail`` (one of its ``actions``) with the member's ``values``. */
export async function enqueue(detail, action, values, photos = []) {
  const item = {
    id: uuid(),
    key: uuid(),
    caseId: detail.id,
    caseNumber: detail.number,
    caseSubject: detail.subject,
    action: action.name,
    label: action.label,
    url: action.url,
    multipart: photos.length > 0 || action.multipart === true,
    fields: action.fields || [],
    values,
    photos,
    expectedStatus: detail.version,
    createdAt: new Date().toISOString(),
    state: WAITING,
    message: "",
    errors: {},
    serverCase: null,
  };
  await outbox.put(item);
  changed();
  return item;
}

export const pending = () => outbox.all();

export async function pendingFor(caseId) {
  return (await outbox.all()).filter((item) => item.caseId === Number(caseId));
}

/** Send ``item`` again after the member has read the refusal and edited the text. A new
 *  key: the server remembers its refusal under the old one. A conflict is resent against
 *  the case as the server now has it. */
export async function resend(item, values) {
  const current = item.serverCase;
  if (current) {
    const action = (current.actions || []).find((a) => a.name === item.action);
    if (action) item.url = action.url;
    item.expectedStatus = current.version;
  }
  Object.assign(item, { values, key: uuid(), state: WAITING, message: "", errors: {}, serverCase: null });
  await outbox.put(item);
  changed();
  return flush();
}

export async function discard(item) {
  await outbox.delete(item.id);
  changed();
}

function request(item) {
  if (item.multipart) {
    const form = new FormData();
    form.append("expected_status", item.expectedStatus);
    for (const [name, value] of Object.entries(item.values)) {
      if (value !== "" && value !== null && value !== undefined) form.append(name, value);
    }
    item.photos.forEach((photo) => form.append("photos", photo.blob, photo.name));
    return call(item.url, { method: "POST", form, key: item.key });
  }
  return call(item.url, { method: "POST", json: { ...item.values, expected_status: item.expectedStatus }, key: item.key });
}

async function remember(item) {
  const sent = (await kv.get("sent")) || [];
  sent.unshift({ label: item.label, caseId: item.caseId, caseNumber: item.caseNumber, at: new Date().toISOString() });
  await kv.set("sent", sent.slice(0, 20));
}

async function keepCase(detail) {
  if (!detail || !detail.id) return;
  const cached = await cases.get(detail.id);
  await cases.put({ ...detail, timeline: cached ? cached.timeline : [], fetchedAt: new Date().toISOString() });
}

let running = null;

/** Send what waits, oldest first. Resolves to {sent, stopped}: stopped is "offline",
 *  "signed_out" (the token was refused) or "busy" (the server asked us to wait). */
export function flush() {
  running ??= drain().finally(() => {
    running = null;
  });
  return running;
}

async function drain() {
  let sent = 0;
  if (!navigator.onLine) return { sent, stopped: "offline" };
  const items = (await outbox.all()).filter((item) => item.state === WAITING || item.state === SENDING);
  for (const item of items) {
    item.state = SENDING;
    await outbox.put(item);
    changed();
    try {
      const detail = await request(item);
      await outbox.delete(item.id);
      await keepCase(detail);
      await remember(item);
      sent += 1;
      changed();
    } catch (error) {
      const stopped = await refused(item, error);
      changed();
      if (stopped) return { sent, stopped };
    }
  }
  return { sent, stopped: null };
}

/** Record why ``item`` was not taken; return a reason to stop sending, if any. */
async function refused(item, error) {
  if (error instanceof OfflineError || !(error instanceof ApiError)) {
    item.state = WAITING;
    await outbox.put(item);
    return "offline";
  }
  item.message = error.message;
  // Signed out by the server: the token is void, or an administrator reset the password
  // (403 password_change_required). The item waits for the member to sign in again.
  if (error.status === 401 || error.code === "password_change_required") {
    item.state = WAITING;
    await outbox.put(item);
    return "signed_out";
  }
  if (error.status === 429 || error.status >= 500) {
    item.state = WAITING;
    await outbox.put(item);
    return "busy";
  }
  if (error.status === 409 && error.body.case) {
    item.state = CONFLICT;
    item.serverCase = error.body.case;
    await keepCase(error.body.case);
  } else if (error.status === 400) {
    item.state = INVALID;
    item.errors = error.fields;
  } else {
    item.state = REFUSED;
  }
  await outbox.put(item);
  return null;
}
