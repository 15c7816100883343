// The intake page's "อ่านบัตรประชาชน" button (templates/cases/includes/idcard_button.html):
// asks the card helper on the officer's PC (cardhelper/, http://127.0.0.1:8765 by default)
// for the card in the reader and fills that complainant's row: national ID, title, names,
// address. The filled fields are framed green until the officer edits them; nothing else
// changes, and typing instead always works (no helper, no reader: a message in the row).
//
// The helper answers only a paired browser: the first time, the officer types the 6-digit
// code the helper shows; the page exchanges it (POST /pair) for a token kept in this
// browser's localStorage and sent with every read (Authorization: Bearer …).
(function () {
  "use strict";

  var configElement = document.getElementById("idcard-config");
  if (!configElement) return;
  var config = JSON.parse(configElement.textContent);
  if (!config.url) return;
  var words = config.messages;
  var TOKEN_KEY = "cardhelper-token " + config.url;
  // A read takes about two seconds on the slowest readers; past this, the helper is stuck.
  var TIMEOUT_MS = 20000;
  var FILLED = ["border-success", "bg-success-subtle"];
  var filling = false;

  function storedToken() {
    try { return window.localStorage.getItem(TOKEN_KEY) || ""; } catch (e) { return ""; }
  }
  function keepToken(token) {
    try { window.localStorage.setItem(TOKEN_KEY, token); } catch (e) { /* private mode: pair again next time */ }
  }
  function forgetToken() {
    try { window.localStorage.removeItem(TOKEN_KEY); } catch (e) { /* nothing kept */ }
  }

  function toArabicDigits(text) {
    return text.replace(/[๐-๙]/g, function (digit) { return String(digit.charCodeAt(0) - 0x0E50); });
  }

  function say(box, text, kind) {
    var status = box.querySelector("[data-idcard-status]");
    status.textContent = text;
    status.className = "small " + ({error: "text-danger", ok: "text-success"}[kind] || "text-body-secondary");
  }

  function busy(box, on) {
    box.setAttribute("aria-busy", on ? "true" : "false");
    box.querySelectorAll("button").forEach(function (button) { button.disabled = on; });
  }

  // The helper's answer as {status, body}; status 0 when it could not be reached at all.
  function ask(path, options) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, TIMEOUT_MS) : null;
    options.mode = "cors";
    options.credentials = "omit";
    options.cache = "no-store";
    if (controller) options.signal = controller.signal;
    return fetch(config.url + path, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return {status: response.status, body: body || {}};
      });
    }, function () {
      return {status: 0, body: {error: "unreachable"}};
    }).then(function (answer) {
      if (timer) clearTimeout(timer);
      return answer;
    });
  }

  function field(row, name) {
    return row.querySelector("[name$='-" + name + "']");
  }

  function fill(row, card) {
    var values = {
      national_id: card.national_id,
      title: card.title,
      first_name: [card.first_name, card.middle_name].filter(Boolean).join(" "),
      last_name: card.last_name,
      address: card.address
    };
    filling = true;
    Object.keys(values).forEach(function (name) {
      var input = field(row, name);
      if (!input || !values[name]) return;
      var max = parseInt(input.getAttribute("maxlength") || "0", 10);
      input.value = max > 0 ? values[name].slice(0, max) : values[name];
      FILLED.forEach(function (name) { input.classList.add(name); });
      input.setAttribute("data-idcard-filled", "");
      // Other scripts of the page (the repeat check) hear of the change as of typing.
      input.dispatchEvent(new Event("input", {bubbles: true}));
      input.dispatchEvent(new Event("change", {bubbles: true}));
    });
    filling = false;
  }

  function showPairing(box, reason) {
    var pair = box.querySelector("[data-idcard-pair]");
    pair.hidden = false;
    say(box, words[reason], "error");
    pair.querySelector("[data-idcard-code]").focus();
  }

  function failure(answer) {
    var code = answer.body.error;
    // A failed read says why in the helper's own (Thai) words: not an ID card, a misread ID…
    if (code === "read_failed" && answer.body.message && document.documentElement.lang === "th") {
      return answer.body.message;
    }
    return words[code] || words.failed;
  }

  function read(box) {
    var token = storedToken();
    if (!token) {
      // Ask for a code only from a helper that is there: otherwise say it is not running.
      busy(box, true);
      ask("/", {method: "GET"}).then(function (answer) {
        busy(box, false);
        if (answer.status === 200) showPairing(box, "unpaired"); else say(box, failure(answer), "error");
      });
      return;
    }
    busy(box, true);
    say(box, words.reading);
    ask("/card", {method: "GET", headers: {Authorization: "Bearer " + token}}).then(function (answer) {
      busy(box, false);
      if (answer.status === 200 && answer.body.national_id) {
        box.querySelector("[data-idcard-pair]").hidden = true;
        fill(box.closest("[data-party]"), answer.body);
        say(box, words.filled, "ok");
      } else if (answer.status === 401) {
        forgetToken();
        showPairing(box, "pairing_lost");
      } else {
        say(box, failure(answer), "error");
      }
    });
  }

  function pair(box) {
    var input = box.querySelector("[data-idcard-code]");
    var code = toArabicDigits(input.value).replace(/[\s-]/g, "");
    if (!/^\d{6}$/.test(code)) {
      say(box, words.code_format, "error");
      input.focus();
      return;
    }
    busy(box, true);
    ask("/pair", {
      method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify({code: code})
    }).then(function (answer) {
      busy(box, false);
      if (answer.status === 200 && answer.body.token) {
        keepToken(answer.body.token);
        input.value = "";
        document.querySelectorAll("[data-idcard-pair]").forEach(function (el) { el.hidden = true; });
        read(box);
      } else {
        say(box, words[answer.body.error] || words.failed, "error");
        input.select();
      }
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-idcard-read], [data-idcard-pair-submit]");
    if (!button) return;
    var box = button.closest("[data-idcard]");
    if (button.hasAttribute("data-idcard-read")) read(box); else pair(box);
  });

  // Enter in the code field pairs; it must not submit the intake form.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !event.target.matches("[data-idcard-code]")) return;
    event.preventDefault();
    pair(event.target.closest("[data-idcard]"));
  });

  // What the officer changes is hers: the green frame goes.
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (filling || !input.hasAttribute || !input.hasAttribute("data-idcard-filled")) return;
    input.removeAttribute("data-idcard-filled");
    FILLED.forEach(function (name) { input.classList.remove(name); });
  });
})();
