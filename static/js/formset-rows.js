// Removable rows of a Django formset (the intake's complainants and respondents).
// A removed row leaves the DOM and the rows after it are renumbered, so the
// formset posts contiguous indexes and TOTAL_FORMS stays true; a formset keeps
// at least data-min-forms rows (the complainant's first row cannot go) and at
// most MAX_NUM_FORMS (the server's limit): the "add" button then stops, with a note.
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

  // The server's limit (the management form's MAX_NUM_FORMS).
  function limit(prefix) {
    var field = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    return field ? parseInt(field.value, 10) : Infinity;
  }

  function refresh(box) {
    var prefix = box.getAttribute("data-formset");
    var min = parseInt(box.getAttribute("data-min-forms") || "0", 10);
    var list = rows(box);
    list.forEach(function (row) {
      var button = row.querySelector("[data-remove-form]");
      if (button) { button.hidden = list.length <= min; }
    });
    var full = list.length >= limit(prefix);
    var add = document.querySelector("[data-add-form=" + prefix + "]");
    if (add) { add.disabled = full; }
    var note = document.querySelector("[data-form-limit=" + prefix + "]");
    if (note) { note.hidden = !full; }
  }

  function add(box, prefix) {
    if (rows(box).length >= limit(prefix)) { return; }
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var index = parseInt(total.value, 10);
    var html = document.querySelector("[data-empty-form=" + prefix + "]").innerHTML.replace(/__prefix__/g, index);
    box.insertAdjacentHTML("beforeend", html);
    total.value = index + 1;
    var first = box.lastElementChild.querySelector("input:not([type=hidden]), select");
    if (first) { first.focus(); }
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
    var addButton = document.querySelector("[data-add-form=" + prefix + "]");
    if (addButton) { addButton.addEventListener("click", function () { add(box, prefix); }); }
    new MutationObserver(function () { refresh(box); }).observe(box, {childList: true});
  });
})();
