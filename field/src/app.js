// The field app (ศูนย์ดำรงธรรม ชปต.): a sub-district team member's cases and tasks on the
// phone, online or not. Screens are drawn from the copy kept on the phone (IndexedDB)
// and refreshed from the API while there is a signal; what the member does goes
// through the outbox (outbox.js).
import { ApiError, OfflineError, call, setToken } from "./api.js";
import { config, t } from "./config.js";
import { cases as caseStore, clearAll, kv, lists } from "./db.js";
import { h, icon, thaiDate, thaiTime } from "./dom.js";
import * as geo from "./geo.js";
import { drawMap } from "./map.js";
import * as box from "./outbox.js";
import { resize } from "./photos.js";
import * as sync from "./sync.js";

const root = document.getElementById("app");
const state = {
  user: null,
  online: navigator.onLine,
  waiting: [], // the outbox, as last read
  syncing: false,
  lastSync: null,
  drafts: new Map(), // outbox item id -> {field: text} typed on the outbox screen
  here: null, // the phone's last position
};
let screen = { live: false }; // the screen shown: redrawn on changes when ``live``
const PROGRESS = "report_progress"; // the one action sent with photos (POST .../progress/)

// --- Small pieces ----------------------------------------------------------------------

const name = (value) =>
  value === null || value === undefined ? "" : typeof value === "object" ? value.name || value.name_th || value.label || "" : String(value);

function statusPill(code, label) {
  return h("span", { class: `pill status status-${code || "unknown"}`, "data-testid": "case-status" }, label || code);
}

function toast(message, kind = "info") {
  const region = document.getElementById("toast");
  region.replaceChildren(h("div", { class: `toast toast-${kind}` }, message));
  toast.at = Date.now();
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => region.replaceChildren(), 6000);
}

function go(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function confirmDialog(message, confirmLabel) {
  return new Promise((resolve) => {
    const dialog = h(
      "dialog",
      { class: "dialog", "aria-label": confirmLabel },
      h("p", {}, message),
      h(
        "div",
        { class: "buttons" },
        h("button", { type: "button", class: "button", onclick: () => dialog.close("no") }, t("cancel")),
        h("button", { type: "button", class: "button danger", onclick: () => dialog.close("yes") }, confirmLabel),
      ),
    );
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(dialog.returnValue === "yes");
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

function fieldError(errors, field) {
  const messages = errors && errors[field];
  return messages && messages.length ? h("p", { class: "field-error", id: `${field}-error` }, messages.join(" ")) : null;
}

// --- The frame: header, offline banner, bottom tabs ---------------------------------------

function frame() {
  root.replaceChildren(
    h(
      "header",
      { class: "bar" },
      h("img", { src: config.icon, alt: "", width: 36, height: 36 }),
      h("div", { class: "bar-title" }, h("strong", {}, t("app_name")), h("span", { id: "who" })),
      h("span", { id: "network", class: "network", role: "status" }),
      h("button", { type: "button", class: "bar-button", onclick: signOut, "aria-label": t("sign_out"), title: t("sign_out") }, icon("out")),
    ),
    h("div", { id: "banner" }),
    h("main", { id: "main", tabindex: "-1" }),
    h(
      "nav",
      { class: "tabs", "aria-label": t("menu") },
      h("a", { href: "#/", "data-tab": "cases" }, icon("list"), h("span", {}, t("tab_cases"))),
      h("a", { href: "#/tasks", "data-tab": "tasks" }, icon("tasks"), h("span", {}, t("tab_tasks"))),
      h("a", { href: "#/outbox", "data-tab": "outbox", "data-testid": "tab-outbox" }, icon("outbox"), h("span", {}, t("tab_outbox")), h("span", { id: "waiting-count", class: "count" })),
    ),
    h("div", { id: "toast", class: "toasts", role: "status", "aria-live": "polite" }),
  );
  chrome();
}

function chrome() {
  const who = document.getElementById("who");
  if (!who) return;
  who.textContent = state.user ? state.user.name : "";
  const network = document.getElementById("network");
  network.replaceChildren(icon(state.online ? "online" : "offline"), h("span", {}, t(state.online ? "online" : "offline")));
  network.className = `network ${state.online ? "is-online" : "is-offline"}`;
  const count = state.waiting.length;
  const badge = document.getElementById("waiting-count");
  badge.textContent = count ? String(count) : "";
  badge.hidden = !count;
  const banner = document.getElementById("banner");
  const problems = state.waiting.filter((item) => ![box.WAITING, box.SENDING].includes(item.state)).length;
  const notes = [];
  if (!state.online) notes.push(h("p", { class: "banner banner-offline", "data-testid": "offline-banner" }, icon("offline"), t("offline_banner")));
  if (problems) notes.push(h("a", { class: "banner banner-problem", href: "#/outbox" }, icon("warning"), t("outbox_problems", { count: problems })));
  banner.replaceChildren(...notes);
}

async function readWaiting() {
  state.waiting = await box.pending();
  chrome();
}

function show(view, { title, live = false, focus = true } = {}) {
  const main = document.getElementById("main");
  const scroll = window.scrollY;
  main.replaceChildren(view.node || view);
  // A note about the screen before goes with it; one just given (the action sent, kept) stays.
  const region = document.getElementById("toast");
  if (region && focus && Date.now() - (toast.at || 0) > 1500) region.replaceChildren();
  document.title = `${title} · ${t("app_name")}`;
  const tab = location.hash.startsWith("#/tasks") ? "tasks" : location.hash.startsWith("#/outbox") ? "outbox" : location.hash.startsWith("#/cases") || location.hash === "" || location.hash === "#/" ? "cases" : "";
  document.querySelectorAll(".tabs a").forEach((a) => {
    if (a.dataset.tab === tab) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  });
  if (focus) {
    window.scrollTo(0, 0);
    const heading = main.querySelector("h1");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus({ preventScroll: true });
    }
  } else {
    window.scrollTo(0, scroll);
  }
  if (view.after) view.after();
  screen.live = live;
}

// --- Routes ---------------------------------------------------------------------------------

async function route({ focus = true } = {}) {
  if (!state.user) return;
  const [first, second, third] = location.hash.replace(/^#\/?/, "").split("/").filter(Boolean);
  const current = (screen = { live: false });
  let view;
  let options;
  if (!first) [view, options] = await casesScreen();
  else if (first === "tasks") [view, options] = await tasksScreen(second === "queue" ? "queue" : "mine");
  else if (first === "outbox") [view, options] = await outboxScreen();
  else if (first === "cases" && second && third) [view, options] = await actionScreen(Number(second), third);
  else if (first === "cases" && second) [view, options] = await caseScreen(Number(second));
  else [view, options] = await casesScreen();
  if (current !== screen) return; // the member went elsewhere meanwhile
  show(view, { ...options, focus });
}

/** Redraw the screen shown, if it is one that follows the data (not a form being typed). */
function redraw() {
  if (screen.live) route({ focus: false });
}

// --- Sign-in ----------------------------------------------------------------------------------

function deviceName() {
  const agent = navigator.userAgent;
  const system = /iPhone/.test(agent) ? "iPhone" : /iPad/.test(agent) ? "iPad" : /Android/.test(agent) ? "Android" : /Windows/.test(agent) ? "Windows" : /Mac/.test(agent) ? "Mac" : /Linux/.test(agent) ? "Linux" : "";
  const browser = /EdgA?\//.test(agent) ? "Edge" : /SamsungBrowser/.test(agent) ? "Samsung Internet" : /Firefox|FxiOS/.test(agent) ? "Firefox" : /Chrome|CriOS|Chromium/.test(agent) ? "Chrome" : /Safari/.test(agent) ? "Safari" : "";
  return [system, browser].filter(Boolean).join(" · ") || t("this_phone");
}

async function signInScreen(notice) {
  document.title = `${t("sign_in")} · ${t("app_name")}`;
  const errors = h("div", { class: "alert alert-error", role: "alert", hidden: true });
  const known = await kv.get("user"); // signed out by the server: the same person, most likely
  const nationalId = h("input", { id: "national-id", name: "national_id", inputmode: "numeric", autocomplete: "username", maxlength: 17, required: true, value: known ? known.national_id : "" });
  const password = h("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true });
  const device = h("input", { id: "device-name", name: "device_name", maxlength: 100, value: (await kv.get("deviceName")) || deviceName(), required: true });
  const submit = h("button", { type: "submit", class: "button primary block" }, t("sign_in"));
  const form = h(
    "form",
    { class: "stack", novalidate: true },
    h("label", { for: "national-id" }, t("national_id")),
    nationalId,
    h("label", { for: "password" }, t("password")),
    password,
    h("label", { for: "device-name" }, t("device_name")),
    device,
    h("p", { class: "hint", id: "device-hint" }, t("device_name_help")),
    errors,
    submit,
  );
  device.setAttribute("aria-describedby", "device-hint");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    errors.hidden = true;
    const body = { national_id: nationalId.value.replace(/\D/g, ""), password: password.value, device_name: device.value.trim() || deviceName() };
    if (!body.national_id || !body.password) {
      errors.replaceChildren(t("sign_in_missing"));
      errors.hidden = false;
      return;
    }
    submit.disabled = true;
    submit.textContent = t("signing_in");
    try {
      const answer = await call("auth/token/", { method: "POST", json: body });
      await signedIn(answer, body.device_name);
    } catch (error) {
      const messages = [error instanceof OfflineError ? t("sign_in_offline") : error.message];
      if (error instanceof ApiError) messages.push(...Object.values(error.fields).flat());
      errors.replaceChildren(...messages.map((m) => h("p", {}, m)));
      if (error instanceof ApiError && error.code === "password_change_required") {
        errors.append(h("p", {}, h("a", { href: config.passwordChange, target: "_blank", rel: "noopener" }, t("change_password_on_web"))));
      }
      errors.hidden = false;
      submit.disabled = false;
      submit.textContent = t("sign_in");
    }
  });
  root.replaceChildren(
    h(
      "main",
      { id: "main", class: "sign-in" },
      h("div", { class: "sign-in-head" }, h("img", { src: config.icon, alt: "", width: 72, height: 72 }), h("h1", {}, t("app_name")), h("p", {}, t("app_for"))),
      notice ? h("p", { class: "alert alert-info", role: "status" }, notice) : null,
      navigator.onLine ? null : h("p", { class: "alert alert-warning" }, t("sign_in_offline")),
      form,
    ),
    h("div", { id: "toast", class: "toasts", role: "status", "aria-live": "polite" }),
  );
}

async function signedIn(answer, device) {
  const previous = await kv.get("user");
  if (previous && previous.id !== answer.user.id) await forget(); // another person's data stays theirs
  await kv.set("token", answer.token);
  await kv.set("tokenId", answer.token_id);
  await kv.set("expiresAt", answer.expires_at);
  await kv.set("user", answer.user);
  await kv.set("deviceName", device);
  setToken(answer.token);
  state.user = answer.user;
  // Ask that the outbox and the cases be kept when the phone runs short of space
  // (Chrome grants it to an installed app; Safari keeps an installed app's data anyway).
  if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
  frame();
  await readWaiting();
  if (location.hash && location.hash !== "#/") location.hash = "#/";
  await route();
  await catchUp();
}

async function signOut() {
  const waiting = (await box.pending()).length;
  const message = waiting ? t("sign_out_waiting", { count: waiting }) : t("sign_out_confirm");
  if (!(await confirmDialog(message, t("sign_out")))) return;
  let revoked = false;
  try {
    await call("auth/token/", { method: "DELETE" });
    revoked = true;
  } catch (error) {
    revoked = error instanceof ApiError && error.status === 401; // already void
  }
  await forget();
  setToken(null);
  state.user = null;
  state.waiting = [];
  await signInScreen(revoked ? t("signed_out") : t("signed_out_offline"));
}

/** Remove from the phone everything of the person signed in: the data, the photos' thumbnails. */
async function forget() {
  await clearAll();
  if ("caches" in window) await caches.delete("field-thumbnails");
  sync.forgetThumbnails();
}

/** The server refused the token (revoked, expired): sign in again; the outbox stays. */
async function tokenRefused() {
  await kv.set("token", null);
  setToken(null);
  state.user = null;
  await signInScreen(t("signed_in_again"));
}

// --- Sending and fetching ----------------------------------------------------------------------

/** Send what waits, then fetch the lists: at start, on "online", after an action. */
async function catchUp() {
  if (!state.user || !navigator.onLine) return;
  const result = await box.flush();
  if (result.stopped === "signed_out") return tokenRefused();
  if (result.sent) toast(t("sent_count", { count: result.sent }), "success");
  await refresh();
}

async function refresh({ quiet = true } = {}) {
  if (!state.user || state.syncing) return;
  if (!navigator.onLine) {
    if (!quiet) toast(t("refresh_offline"), "warning");
    return;
  }
  state.syncing = true;
  redraw();
  try {
    state.lastSync = await sync.refresh();
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.code === "password_change_required")) return tokenRefused();
    if (!quiet) toast(error instanceof OfflineError ? t("refresh_offline") : error.message, "warning");
  } finally {
    state.syncing = false;
  }
  redraw();
}

function refreshButton() {
  return h(
    "button",
    { type: "button", class: "button small", onclick: () => refresh({ quiet: false }), disabled: state.syncing },
    icon("refresh"),
    h("span", {}, state.syncing ? t("refreshing") : t("refresh")),
  );
}

function lastSyncLine() {
  return h("p", { class: "muted small" }, state.lastSync ? t("last_sync", { at: thaiTime(state.lastSync) }) : t("never_synced"));
}

// --- My cases -----------------------------------------------------------------------------------

function caseCard(summary, waiting) {
  const mine = waiting.filter((item) => item.caseId === summary.id).length;
  return h(
    "li",
    {},
    h(
      "a",
      { class: "card case-card", href: `#/cases/${summary.id}`, "data-testid": "case-card" },
      h("div", { class: "card-top" }, h("span", { class: "number" }, summary.number), statusPill(summary.status, summary.status_label)),
      h("strong", { class: "subject" }, summary.subject),
      h("span", { class: "meta" }, icon("pin"), [name(summary.subdistrict), name(summary.district)].filter(Boolean).join(", ")),
      h(
        "span",
        { class: "badges" },
        summary.overdue ? h("span", { class: "pill pill-danger" }, icon("clock"), t("overdue")) : null,
        mine ? h("span", { class: "pill pill-waiting" }, icon("outbox"), t("waiting_count", { count: mine })) : null,
        h("span", { class: "muted small" }, t("received_on", { date: thaiDate(summary.received_on) })),
      ),
    ),
  );
}

async function casesScreen() {
  const stored = await lists.get("cases");
  const results = stored ? stored.results : [];
  return [
    h(
      "section",
      {},
      h("div", { class: "screen-head" }, h("h1", {}, t("my_cases")), refreshButton()),
      lastSyncLine(),
      results.length
        ? h("ul", { class: "cards" }, results.map((summary) => caseCard(summary, state.waiting)))
        : h("p", { class: "empty" }, stored ? t("no_cases") : t("not_loaded")),
    ),
    { title: t("my_cases"), live: true },
  ];
}

// --- Tasks --------------------------------------------------------------------------------------

async function taskAct(task, verb) {
  if (!navigator.onLine) {
    toast(t("task_needs_signal"), "warning");
    return;
  }
  try {
    await call(`tasks/${task.id}/${verb}/`, { method: "POST" });
    toast(verb === "claim" ? t("task_claimed") : t("task_released"), "success");
    await refresh();
  } catch (error) {
    toast(error instanceof OfflineError ? t("task_needs_signal") : error.message, "warning");
  }
}

async function tasksScreen(tab) {
  const stored = await lists.get(`tasks-${tab}`);
  const results = stored ? stored.results : [];
  const cards = [];
  for (const task of results) {
    // A queued task is taken by a case action (accept), done from the case like any
    // other, offline too; the others are claimed (online only).
    let take = null;
    if (tab === "queue" && task.opening_action) {
      const detail = await caseStore.get(task.case.id);
      const action = detail && (detail.actions || []).find((a) => a.name === task.opening_action);
      if (action) take = h("a", { class: "button primary", href: `#/cases/${task.case.id}/${action.name}` }, action.label);
    }
    if (!take && tab === "queue") take = h("button", { type: "button", class: "button primary", onclick: () => taskAct(task, "claim") }, t("claim"));
    if (tab === "mine") take = h("button", { type: "button", class: "button", onclick: () => taskAct(task, "release") }, t("release"));
    cards.push(
      h(
        "li",
        { class: "card task-card", "data-testid": "task-card" },
        h("div", { class: "card-top" }, h("strong", {}, task.label || task.task), task.overdue ? h("span", { class: "pill pill-danger" }, icon("clock"), t("overdue")) : null),
        h("a", { href: `#/cases/${task.case.id}`, class: "task-case" }, h("span", { class: "number" }, task.case.number), " ", task.case.subject),
        h("span", { class: "meta" }, task.due_at ? t("due_at", { date: thaiTime(task.due_at) }) : "", task.owner ? ` · ${t("owner", { name: name(task.owner) })}` : ""),
        h("div", { class: "buttons" }, h("a", { class: "button", href: `#/cases/${task.case.id}` }, t("open_case")), take),
      ),
    );
  }
  return [
    h(
      "section",
      {},
      h("div", { class: "screen-head" }, h("h1", {}, t("tasks")), refreshButton()),
      h(
        "div",
        { class: "segments", role: "group", "aria-label": t("tasks") },
        h("a", { href: "#/tasks", "aria-current": tab === "mine" ? "page" : null }, t("tasks_mine")),
        h("a", { href: "#/tasks/queue", "aria-current": tab === "queue" ? "page" : null }, t("tasks_queue")),
      ),
      tab === "queue" ? h("p", { class: "muted small" }, t("queue_help")) : null,
      lastSyncLine(),
      cards.length ? h("ul", { class: "cards" }, cards) : h("p", { class: "empty" }, stored ? t("no_tasks") : t("not_loaded")),
    ),
    { title: t("tasks"), live: true },
  ];
}

// --- A case -------------------------------------------------------------------------------------

function section(title, ...content) {
  return h("section", { class: "panel" }, h("h2", {}, title), ...content);
}

function partyList(parties, kind) {
  if (!parties || !parties.length) return h("p", { class: "muted" }, t("none"));
  return h(
    "ul",
    { class: "parties" },
    parties.map((party) =>
      h(
        "li",
        { class: "party", "data-testid": kind },
        h("div", { class: "party-name" }, h("strong", {}, party.name), party.confidential ? h("span", { class: "pill pill-secret" }, icon("lock"), t("confidential")) : null),
        party.kind_label || party.position ? h("p", { class: "small muted" }, [party.kind_label, party.position].filter(Boolean).join(" · ")) : null,
        party.address ? h("p", { class: "small" }, party.address) : null,
        party.phone
          ? h("a", { class: "button call", href: `tel:${String(party.phone).replace(/[^\d+]/g, "")}` }, icon("phone"), t("call", { phone: party.phone }))
          : kind === "complainant"
            ? h("p", { class: "muted small" }, party.confidential ? t("phone_hidden") : t("no_phone"))
            : null,
      ),
    ),
  );
}

function navigationLinks(point) {
  const where = `${point.lat},${point.lng}`;
  return h(
    "div",
    { class: "buttons wrap" },
    h("a", { class: "button primary", href: `geo:${where}?q=${where}` }, icon("navigate"), t("navigate")),
    h("a", { class: "button", href: `https://www.google.com/maps/dir/?api=1&destination=${where}`, target: "_blank", rel: "noopener" }, "Google Maps"),
    h("a", { class: "button", href: `https://maps.apple.com/?daddr=${where}`, target: "_blank", rel: "noopener" }, "Apple Maps"),
  );
}

function placeSection(detail) {
  const point = detail.location;
  const where = detail.incident_place || [t("subdistrict_of", { name: name(detail.subdistrict) }), t("district_of", { name: name(detail.district) })].join(" ");
  const parts = [h("p", {}, where)];
  let after = null;
  if (point && point.lat !== null && point.lat !== undefined) {
    const place = { lat: Number(point.lat), lng: Number(point.lng) };
    const mapBox = h("div", { class: "map", role: "region", "aria-label": t("map_label", { lat: place.lat, lng: place.lng }) });
    const distance = h("p", { class: "small", "aria-live": "polite" });
    const locate = h("button", { type: "button", class: "button" }, icon("pin"), t("where_am_i"));
    let drawn = null;
    const showHere = (here) => {
      state.here = here;
      distance.textContent = geo.describe(here, place);
      if (drawn) drawn.showMe(here);
    };
    locate.addEventListener("click", async () => {
      locate.disabled = true;
      try {
        showHere(await geo.position());
      } catch (error) {
        distance.textContent = error.message;
      } finally {
        locate.disabled = false;
      }
    });
    parts.push(mapBox, h("p", { class: "small muted" }, `${place.lat}, ${place.lng}`), distance, h("div", { class: "buttons wrap" }, locate), navigationLinks(place));
    after = () => {
      drawn = drawMap(mapBox, place);
      if (state.here) showHere(state.here);
    };
  } else {
    parts.push(h("p", { class: "muted small" }, t("no_location")));
  }
  return { node: section(t("place"), ...parts), after };
}

function attachmentsSection(detail) {
  const attachments = detail.attachments || [];
  if (!attachments.length) return null;
  const items = attachments.map((attachment) => {
    const picture = h("div", { class: "thumb" }, h("span", { class: "muted small" }, attachment.name));
    if (attachment.thumbnail_url) {
      sync.thumbnail(attachment.thumbnail_url).then((address) => {
        if (address) picture.replaceChildren(h("img", { src: address, alt: attachment.name, loading: "lazy" }));
      });
    }
    return h("li", {}, picture);
  });
  return section(t("attachments"), h("ul", { class: "thumbs", "data-testid": "attachments" }, items));
}

function timelineSection(detail) {
  const steps = detail.timeline || [];
  if (!steps.length) return null;
  return section(
    t("timeline"),
    h(
      "ul",
      { class: "timeline" },
      [...steps].reverse().map((step) =>
        h("li", {}, h("strong", {}, step.label || step.action), h("span", { class: "muted small" }, ` ${thaiTime(step.at)} · ${name(step.actor)}`), step.note ? h("p", {}, step.note) : null),
      ),
    ),
  );
}

/** The actions the member may take now, as the server listed them; one that changes the
 *  case's state waits while another such action on it waits to be sent. */
function actionsSection(detail, waiting) {
  const actions = detail.actions || [];
  const stateChange = waiting.find((item) => item.action !== PROGRESS);
  const buttons = actions.map((action) => {
    if (stateChange && action.name !== PROGRESS) {
      return h("span", { class: "button block disabled", "aria-disabled": "true" }, action.label);
    }
    return h("a", { class: `button block ${action.name === PROGRESS || action.name === "accept" ? "primary" : ""}`, href: `#/cases/${detail.id}/${action.name}` }, action.label);
  });
  return section(
    t("what_next"),
    stateChange ? h("p", { class: "alert alert-info" }, t("state_change_waiting", { action: stateChange.label })) : null,
    buttons.length ? h("div", { class: "stack", "data-testid": "actions" }, buttons) : h("p", { class: "muted" }, t("no_actions")),
  );
}

function waitingSection(waiting) {
  if (!waiting.length) return null;
  return h(
    "a",
    { class: "alert alert-waiting", href: "#/outbox", "data-testid": "case-waiting" },
    icon("outbox"),
    t("case_waiting", { count: waiting.length }),
  );
}

let freshened = { id: null, at: 0 }; // the case last fetched afresh for its screen, and when

async function caseScreen(id) {
  let detail = await caseStore.get(id);
  if (!detail && navigator.onLine) {
    try {
      detail = await sync.fetchCase(id);
    } catch (error) {
      return [h("section", {}, h("h1", {}, t("case")), h("p", { class: "alert alert-error" }, error.message)), { title: t("case") }];
    }
  }
  if (!detail) {
    return [h("section", {}, h("h1", {}, t("case")), h("p", { class: "alert alert-warning" }, t("case_not_on_phone"))), { title: t("case") }];
  }
  const waiting = state.waiting.filter((item) => item.caseId === id);
  const place = placeSection(detail);
  const node = h(
    "article",
    { class: "case" },
    h("a", { class: "back", href: "#/" }, icon("back"), t("back_to_cases")),
    h(
      "header",
      { class: "panel case-head" },
      h("div", { class: "card-top" }, h("span", { class: "number" }, detail.number), statusPill(detail.status, detail.status_label)),
      h("h1", {}, detail.subject),
      h("p", { class: "meta" }, [name(detail.category), t("received_on", { date: thaiDate(detail.received_on) })].filter(Boolean).join(" · ")),
      detail.overdue ? h("span", { class: "pill pill-danger" }, icon("clock"), t("overdue")) : null,
      h("p", { class: "muted small" }, t("as_of", { at: thaiTime(detail.fetchedAt) })),
    ),
    waitingSection(waiting),
    actionsSection(detail, waiting),
    section(t("description"), h("p", { class: "prose" }, detail.description || "—")),
    place.node,
    section(t("complainants"), partyList(detail.complainants, "complainant")),
    section(t("respondents"), partyList(detail.respondents, "respondent")),
    attachmentsSection(detail),
    timelineSection(detail),
  );
  // Freshen the copy in the background (once a minute at most); the screen follows when it changed.
  if (navigator.onLine && !(freshened.id === id && Date.now() - freshened.at < 60000)) {
    freshened = { id, at: Date.now() };
    sync
      .fetchCase(id)
      .then((fresh) => {
        const changed = fresh.updated_at !== detail.updated_at || fresh.version !== detail.version || JSON.stringify(fresh.actions) !== JSON.stringify(detail.actions);
        if (changed && location.hash === `#/cases/${id}`) redraw();
      })
      .catch(() => {});
  }
  return [{ node, after: place.after }, { title: detail.number || t("case"), live: true }];
}

// --- Acting on a case ------------------------------------------------------------------------------

const TEXT_TYPES = new Set(["text", "textarea"]);
// Files and the position have controls of their own (the camera, the GPS button).
const skipped = (field) => ["file", "files"].includes(field.type) || ["latitude", "longitude", "expected_status"].includes(field.name);

function choicesOf(field) {
  return (field.choices || []).map((choice) => (Array.isArray(choice) ? { value: choice[0], label: choice[1] } : choice));
}

/** The form controls of an action, from its fields as the API lists them. */
function controls(fields, values, errors) {
  const out = [];
  for (const field of fields) {
    if (skipped(field)) continue;
    const id = `f-${field.name}`;
    const label = `${field.label}${field.required ? " *" : ""}`;
    const described = errors && errors[field.name] ? `${field.name}-error` : null;
    const choices = choicesOf(field);
    if (choices.length) {
      out.push(
        h(
          "fieldset",
          { class: "choices", "aria-describedby": described },
          h("legend", {}, label),
          choices.map((choice, index) =>
            h("label", { class: "choice" }, h("input", { type: "radio", name: field.name, value: choice.value, checked: values[field.name] === choice.value, required: field.required && index === 0 }), h("span", {}, choice.label)),
          ),
          fieldError(errors, field.name),
        ),
      );
      continue;
    }
    let input;
    if (TEXT_TYPES.has(field.type)) input = h("textarea", { id, name: field.name, rows: 5, required: field.required, "aria-describedby": described });
    else if (field.type === "date") input = h("input", { id, name: field.name, type: "date", required: field.required });
    else if (field.type === "boolean") input = h("input", { id, name: field.name, type: "checkbox", checked: Boolean(values[field.name]) });
    else if (["decimal", "number", "integer"].includes(field.type)) input = h("input", { id, name: field.name, inputmode: "decimal", required: field.required });
    else input = h("input", { id, name: field.name, required: field.required, "aria-describedby": described });
    if (field.type !== "boolean" && values[field.name] !== undefined) input.value = values[field.name];
    out.push(h("div", { class: "control" }, h("label", { for: id }, label), input, fieldError(errors, field.name)));
  }
  return out;
}

function readControls(form, fields) {
  const values = {};
  const data = new FormData(form);
  for (const field of fields) {
    if (skipped(field)) continue;
    if (field.type === "boolean") values[field.name] = form.elements[field.name].checked;
    else values[field.name] = (data.get(field.name) || "").toString().trim();
  }
  return values;
}

function missing(fields, values) {
  return fields.filter((field) => field.required && field.type !== "boolean" && field.name in values && !values[field.name]).map((field) => field.label);
}

/** The photo picker: camera photos, made small at once, shown with a remove button. */
function photoPicker(photos) {
  const previews = h("ul", { class: "thumbs", "data-testid": "photo-previews" });
  const input = h("input", { id: "f-photos", type: "file", accept: "image/*", capture: "environment", multiple: true, class: "visually-hidden" });
  const status = h("p", { class: "small muted", "aria-live": "polite" });
  const picker = { busy: Promise.resolve() };
  const draw = () => {
    previews.replaceChildren(
      ...photos.map((photo, index) => {
        const address = URL.createObjectURL(photo.blob);
        return h(
          "li",
          { class: "thumb" },
          h("img", { src: address, alt: t("photo_n", { n: index + 1 }), onload: () => URL.revokeObjectURL(address) }),
          h("button", { type: "button", class: "thumb-remove", "aria-label": t("remove_photo", { n: index + 1 }), onclick: () => { photos.splice(index, 1); draw(); } }, "×"),
        );
      }),
    );
    status.textContent = photos.length ? t("photos_ready", { count: photos.length }) : "";
  };
  input.addEventListener("change", () => {
    const files = [...input.files];
    input.value = "";
    status.textContent = t("resizing");
    picker.busy = picker.busy.then(async () => {
      for (const file of files) {
        try {
          photos.push({ blob: await resize(file), name: `photo-${Date.now()}-${photos.length + 1}.jpg` });
        } catch {
          toast(t("not_a_photo", { name: file.name }), "warning");
        }
      }
      draw();
    });
  });
  picker.node = h(
    "div",
    { class: "control" },
    h("span", { class: "label" }, t("photos")),
    h("label", { for: "f-photos", class: "button block camera" }, icon("camera"), t("take_photo")),
    input,
    status,
    previews,
  );
  draw();
  return picker;
}

/** The phone's position for a report: asked for at once when already allowed, else on a tap. */
function gpsPicker(values) {
  const shown = h("p", { class: "small", "aria-live": "polite", "data-testid": "gps" });
  const button = h("button", { type: "button", class: "button block" }, icon("pin"), t("use_my_position"));
  const clear = h("button", { type: "button", class: "button small", hidden: true }, t("clear_position"));
  const fill = (position) => {
    if (position) {
      values.latitude = position.lat;
      values.longitude = position.lng;
      shown.textContent = t("position_is", { lat: position.lat, lng: position.lng, accuracy: position.accuracy });
    } else {
      delete values.latitude;
      delete values.longitude;
      shown.textContent = t("no_position");
    }
    clear.hidden = !position;
  };
  const locate = async () => {
    button.disabled = true;
    shown.textContent = t("locating");
    try {
      const position = await geo.position();
      state.here = position;
      fill(position);
    } catch (error) {
      shown.textContent = error.message;
    } finally {
      button.disabled = false;
    }
  };
  button.addEventListener("click", locate);
  clear.addEventListener("click", () => fill(null));
  fill(null);
  geo.allowed().then((yes) => yes && locate());
  return h("div", { class: "control" }, h("span", { class: "label" }, t("position")), button, shown, clear);
}

async function actionScreen(id, actionName) {
  const detail = await caseStore.get(id);
  const action = detail && (detail.actions || []).find((a) => a.name === actionName);
  if (!action) {
    return [h("section", {}, h("a", { class: "back", href: `#/cases/${id}` }, icon("back"), t("back_to_case")), h("h1", {}, t("case")), h("p", { class: "alert alert-warning" }, t("action_not_available"))), { title: t("case") }];
  }
  const fields = action.fields || [];
  const progress = action.name === PROGRESS;
  const photos = [];
  const position = {};
  const picker = progress ? photoPicker(photos) : null;
  const errorBox = h("div", { class: "alert alert-error", role: "alert", hidden: true });
  const submit = h("button", { type: "submit", class: "button primary block" }, action.label);
  const form = h(
    "form",
    { class: "stack", novalidate: true },
    controls(fields, {}, {}),
    picker ? picker.node : null,
    progress ? gpsPicker(position) : null,
    errorBox,
    submit,
    h("a", { class: "button block", href: `#/cases/${id}` }, t("cancel")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (picker) await picker.busy;
    const values = { ...readControls(form, fields), ...position };
    const absent = missing(fields, values);
    if (absent.length) {
      errorBox.replaceChildren(t("please_fill", { fields: absent.join(", ") }));
      errorBox.hidden = false;
      return;
    }
    submit.disabled = true;
    let item;
    if (progress) {
      // The progress endpoint (multipart, with the photos) calls the report's text "note".
      const text = fields.find((field) => TEXT_TYPES.has(field.type));
      const target = { ...action, url: `cases/${id}/progress/`, multipart: true, fields: [{ ...text, name: "note" }] };
      item = await box.enqueue(detail, target, { note: values[text.name], ...position }, photos);
    } else {
      item = await box.enqueue(detail, action, values);
    }
    await readWaiting();
    if (!navigator.onLine) {
      toast(t("kept_offline"), "info");
      go(`#/cases/${id}`);
      return;
    }
    toast(t("sending"), "info");
    const result = await box.flush();
    await readWaiting();
    if (result.stopped === "signed_out") return tokenRefused();
    const left = state.waiting.find((w) => w.id === item.id);
    if (!left) {
      toast(t("sent_one", { action: action.label }), "success");
      go(`#/cases/${id}`);
      refresh();
    } else if (left.state === box.WAITING) {
      toast(t("kept_offline"), "info");
      go(`#/cases/${id}`);
    } else {
      go("#/outbox");
    }
  });
  return [
    h(
      "section",
      {},
      h("a", { class: "back", href: `#/cases/${id}` }, icon("back"), t("back_to_case")),
      h("p", { class: "muted" }, `${detail.number} · ${detail.subject}`),
      h("h1", {}, action.label),
      state.online ? null : h("p", { class: "alert alert-info" }, t("will_send_later")),
      form,
    ),
    { title: action.label },
  ];
}

// --- The outbox ---------------------------------------------------------------------------------------

const STATE_LABELS = {
  [box.WAITING]: "state_waiting",
  [box.SENDING]: "state_sending",
  [box.CONFLICT]: "state_conflict",
  [box.INVALID]: "state_invalid",
  [box.REFUSED]: "state_refused",
};

function textFields(item) {
  return (item.fields || []).filter((field) => field.name in item.values && typeof item.values[field.name] === "string");
}

function outboxCard(item) {
  const problem = [box.CONFLICT, box.INVALID, box.REFUSED].includes(item.state);
  const draft = state.drafts.get(item.id) || {};
  const labelOf = Object.fromEntries((item.fields || []).map((field) => [field.name, field.label]));
  const photos = item.photos.map((photo, index) => {
    const address = URL.createObjectURL(photo.blob);
    return h("li", { class: "thumb" }, h("img", { src: address, alt: t("photo_n", { n: index + 1 }), onload: () => URL.revokeObjectURL(address) }));
  });
  const parts = [
    h(
      "div",
      { class: "card-top" },
      h("strong", {}, item.label),
      h("span", { class: `pill state-${item.state}`, "data-testid": "outbox-state" }, t(STATE_LABELS[item.state])),
    ),
    h("a", { href: `#/cases/${item.caseId}`, class: "task-case" }, h("span", { class: "number" }, item.caseNumber), " ", item.caseSubject),
    h("p", { class: "muted small" }, t("made_at", { at: thaiTime(item.createdAt) })),
  ];
  if (problem) {
    const server = item.serverCase;
    const canResend = item.state !== box.REFUSED && (!server || (server.actions || []).some((a) => a.name === item.action));
    parts.push(
      h(
        "div",
        { class: "alert alert-error", role: "alert", "data-testid": "outbox-problem" },
        h("p", {}, h("strong", {}, item.state === box.CONFLICT ? t("conflict_title") : t("refused_title"))),
        h("p", {}, item.message),
        server ? h("p", { "data-testid": "server-status" }, t("server_now", { status: server.status_label || server.status })) : null,
        server && !canResend ? h("p", {}, t("cannot_resend")) : null,
        h("p", { class: "small" }, t("text_kept")),
      ),
    );
    const editors = textFields(item).map((field) => {
      const id = `edit-${item.id}-${field.name}`;
      const editor = h("textarea", { id, rows: 4, "data-field": field.name });
      editor.value = draft[field.name] ?? item.values[field.name];
      editor.addEventListener("input", () => state.drafts.set(item.id, { ...(state.drafts.get(item.id) || {}), [field.name]: editor.value }));
      return h("div", { class: "control" }, h("label", { for: id }, labelOf[field.name] || field.name), editor, fieldError(item.errors, field.name));
    });
    const card = h("li", { class: "card outbox-card problem", "data-testid": "outbox-item" }, parts, editors, photos.length ? h("ul", { class: "thumbs" }, photos) : null);
    const values = () => {
      const edited = { ...item.values };
      card.querySelectorAll("textarea[data-field]").forEach((editor) => {
        edited[editor.dataset.field] = editor.value.trim();
      });
      return edited;
    };
    card.append(
      h(
        "div",
        { class: "buttons wrap" },
        canResend
          ? h("button", { type: "button", class: "button primary", onclick: async () => {
              state.drafts.delete(item.id);
              await box.resend(item, values());
              await readWaiting();
              redraw();
            } }, t("send_again"))
          : null,
        navigator.clipboard && editors.length
          ? h("button", { type: "button", class: "button", onclick: async () => {
              await navigator.clipboard.writeText(Object.values(values()).filter((v) => typeof v === "string").join("\n\n"));
              toast(t("copied"), "success");
            } }, t("copy_text"))
          : null,
        h("button", { type: "button", class: "button danger", onclick: async () => {
            if (!(await confirmDialog(t("discard_confirm"), t("discard")))) return;
            state.drafts.delete(item.id);
            await box.discard(item);
            await readWaiting();
            redraw();
          } }, icon("trash"), t("discard")),
      ),
    );
    return card;
  }
  const texts = Object.entries(item.values)
    .filter(([, value]) => typeof value === "string" && value)
    .map(([field, value]) => h("p", { class: "quote" }, h("span", { class: "muted small" }, `${labelOf[field] || field}: `), value));
  const gps = item.values.latitude ? h("p", { class: "small" }, icon("pin"), ` ${item.values.latitude}, ${item.values.longitude}`) : null;
  return h("li", { class: "card outbox-card", "data-testid": "outbox-item" }, parts, texts, gps, photos.length ? h("ul", { class: "thumbs" }, photos) : null);
}

async function outboxScreen() {
  const items = state.waiting;
  const sent = (await kv.get("sent")) || [];
  const sendNow = async () => {
    const result = await box.flush();
    await readWaiting();
    if (result.stopped === "signed_out") return tokenRefused();
    if (result.stopped === "offline") toast(t("still_offline"), "warning");
    else if (result.sent) toast(t("sent_count", { count: result.sent }), "success");
    redraw();
    refresh();
  };
  return [
    h(
      "section",
      {},
      h("div", { class: "screen-head" }, h("h1", {}, t("outbox")), items.some((i) => i.state === box.WAITING) ? h("button", { type: "button", class: "button small primary", onclick: sendNow }, t("send_now")) : null),
      h("p", { class: "muted small" }, state.online ? t("outbox_help_online") : t("outbox_help_offline")),
      items.length
        ? h("ul", { class: "cards", "data-testid": "outbox" }, items.map(outboxCard))
        : h("p", { class: "empty", "data-testid": "outbox-empty" }, icon("check"), t("outbox_empty")),
      sent.length
        ? section(
            t("recently_sent"),
            h("ul", { class: "sent" }, sent.map((entry) => h("li", {}, icon("check"), ` ${entry.label} · ${entry.caseNumber} · ${thaiTime(entry.at)}`))),
          )
        : null,
    ),
    { title: t("outbox"), live: true },
  ];
}

// --- Start --------------------------------------------------------------------------------------------

function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register(config.serviceWorker, { scope: config.scope }).catch((error) => console.warn("field: service worker", error));
}

async function start() {
  registerServiceWorker();
  box.events.addEventListener("change", async () => {
    await readWaiting();
    redraw();
  });
  window.addEventListener("online", () => {
    state.online = true;
    chrome();
    redraw();
    catchUp();
  });
  window.addEventListener("offline", () => {
    state.online = false;
    chrome();
    redraw();
  });
  window.addEventListener("hashchange", () => route());
  // Back to the app after a while (the phone was in a pocket): send and fetch.
  let lastVisible = Date.now();
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && Date.now() - lastVisible > 120000) catchUp();
    if (document.visibilityState === "visible") lastVisible = Date.now();
  });
  setInterval(() => {
    if (state.user && navigator.onLine && state.waiting.some((item) => item.state === box.WAITING)) catchUp();
  }, 60000);

  const token = await kv.get("token");
  const user = await kv.get("user");
  if (!token || !user) {
    await signInScreen();
    return;
  }
  setToken(token);
  state.user = user;
  state.lastSync = (await kv.get("lastSync")) || null;
  frame();
  await readWaiting();
  await route();
  catchUp();
}

start();
