// The panel "อาจเป็นเรื่องซ้ำ" (repeats/): the intake form checks for possible repeats
// while the officer types (debounced, once parties and the subject are entered), and a
// minimal card's button asks the owning center for access. No inline handlers (CSP).
(function () {
  "use strict";

  var DEBOUNCE_MS = 600;
  // The fields the check reads; a change elsewhere (the date, the channel) asks nothing new.
  var MATCHED = /^(complainant-\d+-(national_id|title|first_name|last_name|phone|address|is_anonymous)|respondent-\d+-(kind|name|position|national_id)|subject|description|main_category|incident_subdistrict)$/;
  var PARTY = /^(complainant-\d+-(national_id|first_name|last_name)|respondent-\d+-(name|national_id))$/;

  function post(url, body) {
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: {"X-Requested-With": "XMLHttpRequest"}
    });
  }

  // --- Asking for access from a minimal card (the intake's panel, a case's page) ---------------
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-ask-send]");
    if (!button) { return; }
    var box = button.closest("[data-repeat-ask]");
    var body = new FormData();
    body.append("csrfmiddlewaretoken", box.getAttribute("data-csrf"));
    body.append("token", box.querySelector("[data-ask-token]").value);
    body.append("reason", box.querySelector("[data-ask-reason]").value);
    button.disabled = true;
    post(box.getAttribute("data-ask-url"), body)
      .then(function (response) {
        if (response.redirected || response.status >= 500 || response.status === 403) {
          throw new Error("ask " + response.status);
        }
        return response.text().then(function (html) { return {status: response.status, html: html}; });
      })
      .then(function (answer) {
        // Sent, or refused for good (already asked): the card's part says so. A reason
        // missing: the form again, with its message.
        var target = answer.status === 400 ? (box.querySelector(".collapse") || box) : box;
        target.innerHTML = answer.html;
        var reason = target.querySelector("[data-ask-reason]");
        if (reason) { reason.focus(); }
      })
      .catch(function () {
        button.disabled = false;
        var note = box.querySelector("[data-ask-failed]") || document.createElement("p");
        note.setAttribute("data-ask-failed", "");
        note.setAttribute("role", "alert");
        note.className = "small text-danger mb-0 mt-1";
        note.textContent = box.getAttribute("data-error-text");
        button.after(note);
      });
  });

  // --- The live check on the intake page ---------------------------------------------------------
  var form = document.querySelector("[data-intake-form]");
  var panel = document.querySelector("[data-repeat-panel]");
  if (!form || !panel) { return; }
  var results = panel.querySelector("[data-repeat-results]");
  var timer = null, lastKey = null, sequence = 0, running = null;

  function matchedEntries() {
    var entries = [];
    new FormData(form).forEach(function (value, name) {
      if (MATCHED.test(name) && typeof value === "string") { entries.push(name + "=" + value.trim()); }
    });
    return entries;
  }

  function ready() {
    // After the parties and the subject are entered: a party named or identified, and a subject.
    var party = false, subject = false;
    new FormData(form).forEach(function (value, name) {
      if (typeof value !== "string" || !value.trim()) { return; }
      if (PARTY.test(name)) { party = true; }
      if (name === "subject") { subject = true; }
    });
    return party && subject;
  }

  function check() {
    timer = null;
    if (!ready()) { return; }
    var key = matchedEntries().join("&");
    if (key === lastKey) { return; }  // nothing the check reads has changed
    lastKey = key;
    var mine = ++sequence;
    if (running) { running.abort(); }
    running = new AbortController();
    var body = new FormData(form);
    results.setAttribute("aria-busy", "true");
    fetch(panel.getAttribute("data-check-url"), {
      method: "POST", body: body, credentials: "same-origin", signal: running.signal,
      headers: {"X-Requested-With": "XMLHttpRequest"}
    })
      .then(function (response) {
        // Signed out meanwhile: the answer is the login page, not a panel.
        if (!response.ok || response.redirected) { throw new Error("check " + response.status); }
        return response.text();
      })
      .then(function (html) {
        if (mine !== sequence) { return; }  // an older answer, overtaken by a newer check
        results.innerHTML = html;
        results.setAttribute("aria-busy", "false");
        panel.setAttribute("data-checked", String(mine));
      })
      .catch(function (error) {
        if (error.name === "AbortError" || mine !== sequence) { return; }
        lastKey = null;  // try again on the next change
        results.setAttribute("aria-busy", "false");
        var note = document.createElement("p");
        note.className = "small text-danger mb-0";
        note.textContent = results.getAttribute("data-error-text");
        results.replaceChildren(note);
      });
  }

  function schedule(event) {
    if (!event.target.name || !MATCHED.test(event.target.name)) { return; }
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(check, DEBOUNCE_MS);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  // A page shown again with what was typed (a refused save, Back): check at once.
  if (ready()) { check(); }
})();
