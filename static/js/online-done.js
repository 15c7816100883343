// The copy button beside a tracking code (templates/public/online/includes/tracking_code.html):
// shown only where the browser can copy; the code stays on the page to write down either way.
(function () {
  "use strict";

  var button = document.querySelector("[data-copy]");
  if (!button || !navigator.clipboard || !window.isSecureContext) return;
  var status = document.querySelector("[data-copy-status]");
  var code = document.getElementById(button.getAttribute("data-copy"));
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(code.textContent.trim()).then(
      function () { status.textContent = status.getAttribute("data-copied"); },
      function () { status.textContent = status.getAttribute("data-copy-failed"); }
    );
  });
})();
