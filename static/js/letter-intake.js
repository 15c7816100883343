// The suggestions panel of a case from a letter (documents/views_letter.py): each button
// puts one suggestion into its field, as if the officer had typed it (the page's own
// scripts hear it: sub-districts, the repeat check). Nothing is filled unasked. A
// suggestion reads "used" while its field holds it, and again after a failed save.
(function () {
  "use strict";

  // On a phone the letter's text comes before the form: folded, it leaves the suggestions
  // and the form within reach (a tap opens it).
  var text = document.querySelector("[data-letter-pages]");
  if (text && window.matchMedia("(max-width: 1199.98px)").matches) { text.open = false; }

  var form = document.querySelector("[data-intake-form]");
  var panel = document.querySelector("[data-letter-suggestions]");
  if (!form || !panel) { return; }
  var COMPLAINANT = ["title", "first_name", "last_name", "national_id", "phone", "address"];

  function byId(id) { return document.getElementById(id); }

  function put(element, value) {
    element.value = value;
    element.dispatchEvent(new Event("input", {bubbles: true}));
    element.dispatchEvent(new Event("change", {bubbles: true}));
  }

  function target(field) {
    if (COMPLAINANT.indexOf(field) !== -1) { return byId("id_complainant-0-" + field); }
    if (field === "subject" || field === "description" || field === "received_on" || field === "incident_subdistrict") {
      return byId("id_" + field);
    }
    return null;
  }

  function same(a, b) {
    // An ID or a phone typed with or without its dashes and spaces is the same.
    return (a || "").replace(/[\s-]/g, "") === (b || "").replace(/[\s-]/g, "");
  }

  // A <select> whose options a request is bringing: act once the option is there.
  function whenOption(select, value, then) {
    function has() { return Array.prototype.some.call(select.options, function (o) { return o.value === value; }); }
    if (has()) { then(); return; }
    var observer = new MutationObserver(function () {
      if (has()) { observer.disconnect(); then(); }
    });
    observer.observe(select, {childList: true, subtree: true});
    window.setTimeout(function () { observer.disconnect(); }, 20000);
  }

  function useSubdistrict(item) {
    var code = item.getAttribute("data-value");
    var districtCode = item.getAttribute("data-district");
    var district = byId("id_incident_district");
    var subdistrict = byId("id_incident_subdistrict");
    var picker = district.closest("[data-area-picker]");
    var province = picker ? picker.querySelector("[data-area-province]") : null;
    function pickSubdistrict() { whenOption(subdistrict, code, function () { put(subdistrict, code); refresh(); }); }
    if (district.value === districtCode) { pickSubdistrict(); return; }
    if (province && province.value !== item.getAttribute("data-province")) {
      put(province, item.getAttribute("data-province"));
    }
    whenOption(district, districtCode, function () { put(district, districtCode); pickSubdistrict(); });
  }

  function respondentRows() {
    return Array.prototype.slice.call(form.querySelectorAll("[data-formset=respondent] [data-party]"));
  }

  function useRespondent(item) {
    var empty = respondentRows().filter(function (row) { return !row.querySelector("[name$='-name']").value.trim(); });
    var row = empty[0];
    if (!row) {
      form.querySelector("[data-add-form=respondent]").click();
      var rows = respondentRows();
      row = rows[rows.length - 1];
    }
    put(row.querySelector("[name$='-kind']"), item.getAttribute("data-kind"));
    put(row.querySelector("[name$='-name']"), item.getAttribute("data-value"));
    if (item.getAttribute("data-position")) { put(row.querySelector("[name$='-position']"), item.getAttribute("data-position")); }
  }

  function inUse(item) {
    var field = item.getAttribute("data-field");
    var value = item.getAttribute("data-value");
    if (field === "respondent") {
      return respondentRows().some(function (row) { return row.querySelector("[name$='-name']").value.trim() === value; });
    }
    var element = target(field);
    return Boolean(element) && same(element.value, value);
  }

  function refresh() {
    panel.querySelectorAll("[data-suggestion]").forEach(function (item) {
      var button = item.querySelector("[data-use-suggestion]");
      if (!button) { return; }
      var used = inUse(item);
      item.toggleAttribute("data-used", used);
      button.classList.toggle("btn-success", used);
      button.classList.toggle("btn-outline-primary", !used);
      button.querySelector("[data-use-label]").textContent = panel.getAttribute(used ? "data-used-text" : "data-use-text");
      var element = target(item.getAttribute("data-field"));
      if (element && used) { element.classList.add("is-valid"); }
    });
    // A field the officer changed after taking a suggestion is no longer marked as taken.
    COMPLAINANT.map(function (f) { return target(f); }).concat(["subject", "description", "received_on", "incident_subdistrict"].map(target))
      .forEach(function (element) {
        if (!element) { return; }
        var taken = Array.prototype.some.call(panel.querySelectorAll("[data-suggestion][data-used]"), function (item) {
          return target(item.getAttribute("data-field")) === element;
        });
        if (!taken) { element.classList.remove("is-valid"); }
      });
  }

  panel.addEventListener("click", function (event) {
    var button = event.target.closest("[data-use-suggestion]");
    if (!button) { return; }
    var item = button.closest("[data-suggestion]");
    var field = item.getAttribute("data-field");
    if (field === "incident_subdistrict") {
      useSubdistrict(item);
    } else if (field === "respondent") {
      useRespondent(item);
    } else {
      put(target(field), item.getAttribute("data-value"));
    }
    refresh();
  });
  form.addEventListener("input", refresh);
  form.addEventListener("change", refresh);
  refresh();
})();
