// The phone's own store (IndexedDB through idb): the device token and the user, the
// cases and task lists last fetched, and the outbox of what waits to be sent.
import { openDB } from "idb";

const NAME = "damrongdhama-field";
const STORES = ["kv", "cases", "lists", "outbox"];
let opened;

export function db() {
  opened ??= openDB(NAME, 1, {
    upgrade(database) {
      database.createObjectStore("kv");
      database.createObjectStore("cases", { keyPath: "id" });
      database.createObjectStore("lists");
      database.createObjectStore("outbox", { keyPath: "id" }).createIndex("createdAt", "createdAt");
    },
  });
  return opened;
}

export const kv = {
  get: async (key) => (await db()).get("kv", key),
  set: async (key, value) => (await db()).put("kv", value, key),
};

export const lists = {
  get: async (key) => (await db()).get("lists", key),
  set: async (key, value) => (await db()).put("lists", value, key),
};

export const cases = {
  get: async (id) => (await db()).get("cases", Number(id)),
  put: async (detail) => (await db()).put("cases", detail),
  all: async () => (await db()).getAll("cases"),
  delete: async (id) => (await db()).delete("cases", Number(id)),
};

export const outbox = {
  all: async () => (await db()).getAllFromIndex("outbox", "createdAt"),
  get: async (id) => (await db()).get("outbox", id),
  put: async (item) => (await db()).put("outbox", item),
  delete: async (id) => (await db()).delete("outbox", id),
};

/** Forget everything this user left on the phone (sign-out). */
export async function clearAll() {
  const database = await db();
  const tx = database.transaction(STORES, "readwrite");
  await Promise.all([...STORES.map((name) => tx.objectStore(name).clear()), tx.done]);
}
