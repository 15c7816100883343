// The proof of work of the public complaint form (public/online/pow.py): find a counter
// such that SHA-256("<challenge>:<counter>") begins with the asked number of zero bits.
// It starts when the page opens, so the citizen rarely waits; on submit it is awaited,
// and a challenge older than 25 minutes (the server takes one for 30) is replaced
// first. A browser without crypto.subtle (a page not on HTTPS) sends no proof: the
// server then files the complaint after an e-mailed confirmation, as without script.
(function () {
  "use strict";

  var form = document.querySelector("[data-online-form]");
  if (!form) return;
  var words = JSON.parse(document.getElementById("online-messages").textContent);
  var challengeInput = form.querySelector("[name=proof_challenge]");
  var counterInput = form.querySelector("[name=proof_counter]");
  var button = form.querySelector("[data-submit]");
  var status = form.querySelector("[data-submit-status]");
  var subtle = window.crypto && window.crypto.subtle;
  if (!subtle || !window.TextEncoder) {
    Array.prototype.forEach.call(document.querySelectorAll("[data-no-proof]"), function (note) { note.hidden = false; });
    return;
  }

  var FRESH_FOR_MS = 25 * 60 * 1000;
  var BATCH = 64;  // digests in flight at once: crypto.subtle answers each through a promise
  var encoder = new TextEncoder();

  function zeroBits(buffer) {
    var bytes = new Uint8Array(buffer), count = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] !== 0) return count + Math.clz32(bytes[i]) - 24;
      count += 8;
    }
    return count;
  }

  function solve(challenge, bits) {
    var prefix = challenge + ":";
    return new Promise(function (resolve, reject) {
      var start = 0;
      (function round() {
        var digests = [];
        for (var i = 0; i < BATCH; i++) digests.push(subtle.digest("SHA-256", encoder.encode(prefix + (start + i))));
        Promise.all(digests).then(function (results) {
          for (var j = 0; j < results.length; j++) {
            if (zeroBits(results[j]) >= bits) { resolve(String(start + j)); return; }
          }
          start += BATCH;
          round();
        }, reject);
      })();
    });
  }

  function begin(challenge, bits) {
    return {challenge: challenge, startedAt: Date.now(), counter: solve(challenge, bits)};
  }

  var job = begin(challengeInput.value, parseInt(form.getAttribute("data-pow-bits"), 10));

  function freshJob() {
    if (Date.now() - job.startedAt < FRESH_FOR_MS) return Promise.resolve(job);
    return fetch(form.getAttribute("data-challenge-url"), {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (response) { return response.ok ? response.json() : Promise.reject(new Error(String(response.status))); })
      .then(function (data) { job = begin(data.challenge, data.bits); return job; });
  }

  var sending = false;
  form.addEventListener("submit", function (event) {
    if (event.defaultPrevented) return;  // online-form.js stopped it (files over the limits)
    if (event.submitter && event.submitter.name === "refresh_areas") return;
    event.preventDefault();
    if (sending) return;
    sending = true;
    button.disabled = true;
    status.textContent = words.checking;
    freshJob()
      .then(function (current) {
        return current.counter.then(function (counter) {
          challengeInput.value = current.challenge;
          counterInput.value = counter;
        });
      })
      .catch(function () { counterInput.value = ""; })  // no proof: the server asks for the e-mail way
      .then(function () {
        status.textContent = words.sending;
        form.submit();
      });
  });
  // A page brought back by Back: the button works again.
  window.addEventListener("pageshow", function () {
    sending = false;
    button.disabled = false;
    status.textContent = "";
  });
})();
