// Bringing the member's cases and tasks onto the phone while there is a signal: the
// lists, each case's details and timeline (IndexedDB) and its photos' thumbnails (the
// service worker keeps those in Cache Storage as they are fetched).
import { all, blob, call } from "./api.js";
import { cases, kv, lists, outbox } from "./db.js";

const CONCURRENT = 4;
const MAX_AGE_MS = 30 * 60 * 1000;

async function pool(values, worker) {
  const queue = [...values];
  const runners = Array.from({ length: Math.min(CONCURRENT, queue.length) }, async () => {
    while (queue.length) await worker(queue.shift());
  });
  await Promise.all(runners);
}

const thumbnails = new Map(); // thumbnail URL -> object URL, for this page's life

/** An object URL for an attachment's thumbnail, or null when it cannot be had. */
export async function thumbnail(address) {
  if (!address) return null;
  if (!thumbnails.has(address)) {
    const image = await blob(address);
    if (!image) return null;
    thumbnails.set(address, URL.createObjectURL(image));
  }
  return thumbnails.get(address);
}

export function forgetThumbnails() {
  thumbnails.forEach((address) => URL.revokeObjectURL(address));
  thumbnails.clear();
}

/** Fetch one case (details and timeline), keep it, and warm its thumbnails. */
export async function fetchCase(id) {
  const [detail, timeline] = await Promise.all([
    call(`cases/${id}/`),
    call(`cases/${id}/timeline/`).catch(() => null),
  ]);
  detail.timeline = timeline ? timeline.results : [];
  detail.fetchedAt = new Date().toISOString();
  await cases.put(detail);
  await Promise.all((detail.attachments || []).map((a) => (a.thumbnail_url ? blob(a.thumbnail_url) : null)));
  return detail;
}

/** Fetch the lists and every case in them; forget cases no longer ours (unless
 *  something about them still waits to be sent). */
export async function refresh() {
  const [mine, myTasks, queue] = await Promise.all([
    all("cases/?mine=1"),
    all("tasks/?tab=mine"),
    all("tasks/?tab=queue"),
  ]);
  const at = new Date().toISOString();
  await lists.set("cases", { results: mine, at });
  await lists.set("tasks-mine", { results: myTasks, at });
  await lists.set("tasks-queue", { results: queue, at });
  const summaries = new Map([...myTasks, ...queue].map((task) => [task.case.id, task.case]));
  mine.forEach((summary) => summaries.set(summary.id, summary));
  const ids = new Set(summaries.keys());
  // A case is fetched again when it changed, or when its copy is old (what the member may
  // do also follows his tasks and teams, which do not touch the case).
  const stale = [];
  for (const [id, summary] of summaries) {
    const cached = await cases.get(id);
    const age = cached ? Date.now() - new Date(cached.fetchedAt).getTime() : Infinity;
    if (!cached || cached.updated_at !== summary.updated_at || cached.version !== summary.status || age > MAX_AGE_MS) stale.push(id);
  }
  await pool(stale, (id) => fetchCase(id).catch((error) => console.warn("field: case", id, error)));
  const waiting = new Set((await outbox.all()).map((item) => item.caseId));
  for (const cached of await cases.all()) {
    if (!ids.has(cached.id) && !waiting.has(cached.id)) await cases.delete(cached.id);
  }
  await kv.set("lastSync", at);
  return at;
}
