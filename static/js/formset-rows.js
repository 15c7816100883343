// Removable rows of a Django formset (the intake's complainants and respondents).
// A removed row leaves the DOM and the rows after it are renumbered, so the
// formset posts contiguous indexes and TOTAL_FORMS stays true; a formset keeps
// at least data-min-forms rows (the complainant's first row cannot go).
(function () {
  "use strict";

  function rows(box) {
    return Array.prototype.filter.call(box.children, function (el) { return el.hasAttribute("data-party"); });
  }

  function renumber(box, prefix) {
    var pattern = new RegExp("^(id_)?" + prefix + "-\\d+-");
    var list = rows(box);
    list.forEach(function (row, index) {
      row.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach(function (el) {
        ["name", "id", "for"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value && pattern.test(value)) {
            el.setAttribute(attr, value.replace(pattern, function (match, id) { return (id || "") + prefix + "-" + index + "-"; }));
          }
        });
        var described = el.getAttribute("aria-describedby");
        if (described) {
          el.setAttribute("aria-describedby", described.split(" ").map(function (token) {
            return token.replace(pattern, function (match, id) { return (id || "") + prefix + "-" + index + "-"; });
          }).join(" "));
        }
      });
    });
    document.getElementById("id_" + prefix + "-TOTAL_FORMS").value = list.length;
  }

  function refresh(box) {
    var min = parseInt(box.getAttribute("data-min-forms") || "0", 10);
    var list = rows(box);
    list.forEach(function (row) {
      var button = row.querySelector("[data-remove-form]");
      if (button) { button.hidden = list.length <= min; }
    });
  }

  document.querySelectorAll("[data-formset]").forEach(function (box) {
    var prefix = box.getAttribute("data-formset");
    refresh(box);
    box.addEventListener("click", function (event) {
      var button = event.target.closest("[data-remove-form]");
      if (!button || !box.contains(button)) { return; }
      var row = button.closest("[data-party]");
      var next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      renumber(box, prefix);
      refresh(box);
      var focus = next && next.querySelector("input:not([type=hidden]), select");
      (focus || document.querySelector("[data-add-form=" + prefix + "]")).focus();
    });
    // Rows added by the page's "add" buttons get the right buttons too.
    new MutationObserver(function () { refresh(box); }).observe(box, {childList: true});
  });
})();
