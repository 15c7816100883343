// The "print" buttons of the printable pages (no inline handlers: the pages keep to a strict CSP).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
