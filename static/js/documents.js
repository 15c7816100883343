// Scanned documents (documents/): the case page's documents panel, fetched once the page is
// shown and again while a document is being read; a batch's progress bar, following the
// batch's JSON status; and the ZIP upload's own progress bar. Without script the panel is a
// link away (the document pages), the batch page shows where it was when loaded, and the
// upload is a plain form post.
(function () {
  "use strict";

  function fetchText(url) {
    return fetch(url, {credentials: "same-origin", headers: {"X-Requested-With": "fetch"}}).then(function (answer) {
      if (!answer.ok) { throw new Error(answer.status); }
      return answer.text();
    });
  }

  // --- The case page's panel ---------------------------------------------------------------
  function loadPanel(box, rounds) {
    fetchText(box.dataset.url)
      .then(function (html) {
        box.innerHTML = html;
        // The upload and retry forms come back to #documents, which was not on the page yet.
        if (rounds === 0 && window.location.hash === "#documents") {
          var panel = document.getElementById("documents");
          if (panel) { panel.scrollIntoView(); }
        }
        var pending = box.querySelector("[data-documents-pending]");
        // While a document is read, ask again; at most an hour of asking per page load.
        if (pending && rounds < 720) {
          window.setTimeout(function () { loadPanel(box, rounds + 1); }, parseInt(pending.dataset.refresh, 10) || 5000);
        }
      })
      .catch(function () {
        if (rounds > 0) { return; } // keep what was shown; the next load of the page asks again
        box.innerHTML = "";
        var note = document.createElement("p");
        note.className = "small text-body-secondary";
        note.textContent = box.dataset.failed;
        box.appendChild(note);
      })
      .finally(function () { box.removeAttribute("aria-busy"); });
  }
  document.querySelectorAll("[data-documents-panel]").forEach(function (box) { loadPanel(box, 0); });

  // --- A batch's progress --------------------------------------------------------------------
  function setBar(bar, percent) {
    bar.setAttribute("aria-valuenow", String(percent));
    var inner = bar.querySelector(".progress-bar");
    inner.style.width = percent + "%";
    inner.textContent = percent + "%";
  }

  function followBatch(box) {
    var bar = box.querySelector("[data-progress-bar]");
    var delay = parseInt(box.dataset.poll, 10) || 2000;
    function ask() {
      fetch(box.dataset.url, {credentials: "same-origin", headers: {Accept: "application/json"}})
        .then(function (answer) { if (!answer.ok) { throw new Error(answer.status); } return answer.json(); })
        .then(function (status) {
          setBar(bar, status.percent);
          box.querySelectorAll("[data-count]").forEach(function (count) {
            var value = status[count.dataset.count];
            count.textContent = String(Array.isArray(value) ? value.length : value);
          });
          if (status.finished) {
            // The page as the server makes it: the documents' statuses and the files refused.
            window.location.reload();
            return;
          }
          window.setTimeout(ask, delay);
        })
        .catch(function () { window.setTimeout(ask, delay * 5); });
    }
    ask();
  }
  document.querySelectorAll("[data-batch-progress]").forEach(followBatch);

  // --- The ZIP upload ------------------------------------------------------------------------
  document.querySelectorAll("form[data-upload-progress]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.FormData || !window.XMLHttpRequest) { return; }
      event.preventDefault();
      var bar = form.querySelector("[data-upload-bar]");
      var button = form.querySelector("[type=submit]");
      bar.classList.remove("d-none");
      button.disabled = true;
      var request = new XMLHttpRequest();
      request.open("POST", form.action || window.location.href);
      request.upload.addEventListener("progress", function (progress) {
        if (progress.lengthComputable) { setBar(bar, Math.round(100 * progress.loaded / progress.total)); }
      });
      request.addEventListener("load", function () {
        var sent = new URL(form.action || window.location.href, window.location.href).pathname;
        if (request.status < 400 && new URL(request.responseURL).pathname !== sent) {
          window.location.assign(request.responseURL); // the batch's page
          return;
        }
        // Refused (the form with its errors): show the answer's form in place of this one.
        var answer = new DOMParser().parseFromString(request.responseText, "text/html");
        var replacement = answer.querySelector("[data-batch-form]");
        var holder = form.closest("[data-batch-form]");
        if (replacement && holder) {
          holder.replaceWith(replacement);
          replacement.querySelectorAll("form[data-upload-progress]").forEach(function (again) {
            again.addEventListener("submit", function () { again.removeAttribute("data-upload-progress"); });
          });
        } else {
          button.disabled = false;
          bar.classList.add("d-none");
          window.alert(form.dataset.failed);
        }
      });
      request.addEventListener("error", function () {
        button.disabled = false;
        bar.classList.add("d-none");
        window.alert(form.dataset.failed);
      });
      request.send(new FormData(form));
    });
  });
})();
