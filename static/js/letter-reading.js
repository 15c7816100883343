// The page that waits while a letter is read (documents/views_letter.py): it asks the
// reading's progress every few seconds, shows it, and opens the next page (the intake
// form, or this page again with the reason a reading failed) when the reading ends.
(function () {
  "use strict";

  var box = document.querySelector("[data-letter-reading]");
  if (!box || box.getAttribute("data-status") === "failed") { return; }
  var label = box.querySelector("[data-reading-label]");
  var pages = box.querySelector("[data-reading-pages]");
  var bar = box.querySelector("[data-reading-bar]");
  var fill = box.querySelector("[data-reading-fill]");
  var delay = 1500;

  function show(data) {
    label.textContent = data.label;
    var total = data.page_count || 0;
    if (total) {
      pages.hidden = false;
      pages.textContent = " · " + pages.getAttribute("data-template")
        .replace("%(read)s", data.pages_read).replace("%(total)s", total);
      bar.setAttribute("aria-valuemax", total);
      bar.setAttribute("aria-valuenow", data.pages_read);
    }
    // Queued shows a sliver; reading, the share of pages read (at least a little).
    var share = total ? data.pages_read / total : 0;
    fill.style.width = Math.max(data.status === "queued" ? 5 : 15, Math.round(share * 100)) + "%";
  }

  function ask() {
    fetch(box.getAttribute("data-status-url"), {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (response) {
        if (!response.ok) { throw new Error("status " + response.status); }
        return response.json();
      })
      .then(function (data) {
        show(data);
        if (data.next) { window.location.assign(data.next); return; }
        delay = 1500;
        window.setTimeout(ask, delay);
      })
      .catch(function () {
        // The server busy or the network down a moment: ask again, less often.
        delay = Math.min(delay * 2, 15000);
        window.setTimeout(ask, delay);
      });
  }

  show({label: label.textContent, status: box.getAttribute("data-status"), pages_read: 0, page_count: 0});
  window.setTimeout(ask, 800);
})();
