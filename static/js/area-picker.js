// The province → district picker (core.forms.DistrictField): choosing a province
// reloads the district select with that province's districts from /geo/districts/,
// so the page never carries the whole country. The district select then fires
// "change", so what hangs on it (the intake's sub-districts) follows. Without this
// script the form still works: submitting it shows the chosen province's districts.
(function () {
  "use strict";

  function setUp(picker) {
    var province = picker.querySelector("[data-area-province]");
    var district = picker.querySelector("[data-area-district]");
    if (!province || !district) return;
    var emptyLabel = district.options.length && district.options[0].value === "" ? district.options[0].text : "---------";
    var latest = 0;

    function fill(rows) {
      district.innerHTML = "";
      district.appendChild(new Option(emptyLabel, ""));
      rows.forEach(function (row) { district.appendChild(new Option(row.name, row.code)); });
      district.dispatchEvent(new Event("change", {bubbles: true}));
    }

    province.addEventListener("change", function () {
      var request = ++latest;
      if (!province.value) { fill([]); return; }
      district.setAttribute("aria-busy", "true");
      fetch(picker.getAttribute("data-districts-url") + "?province=" + encodeURIComponent(province.value), {
        credentials: "same-origin",
        headers: {Accept: "application/json"},
      })
        .then(function (response) { return response.ok ? response.json() : {districts: []}; })
        .then(function (data) {
          // A slower answer for a province chosen before must not overwrite the newer one.
          if (request === latest) fill(data.districts);
        })
        .catch(function () { /* the districts stay; a submit re-renders them for the province */ })
        .finally(function () { if (request === latest) district.removeAttribute("aria-busy"); });
    });
  }

  document.querySelectorAll("[data-area-picker]").forEach(setUp);
})();
