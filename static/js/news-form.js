// The officers' news form (public/news): the sub-districts follow the district
// (as on the intake form), and, where a map is configured, a click on it fills the
// latitude and longitude. The form works without this script: submitting it with
// another district shows that district's sub-districts.
(function () {
  "use strict";
  var form = document.querySelector("[data-news-form]");
  if (!form) return;
  var script = document.getElementById("news-form-script");

  var district = document.getElementById("id_district");
  var subdistrict = document.getElementById("id_subdistrict");
  if (district && subdistrict) {
    var latest = 0;
    district.addEventListener("change", function () {
      var request = ++latest;
      function fill(rows) {
        subdistrict.innerHTML = "";
        subdistrict.appendChild(new Option("---------", ""));
        rows.forEach(function (row) { subdistrict.appendChild(new Option(row.name, row.code)); });
      }
      if (!district.value) { fill([]); return; }
      fetch(script.dataset.subdistrictsUrl + "?district=" + encodeURIComponent(district.value), {
        credentials: "same-origin",
        headers: {Accept: "application/json"},
      })
        .then(function (response) { return response.ok ? response.json() : {subdistricts: []}; })
        .then(function (data) { if (request === latest) fill(data.subdistricts); })
        .catch(function () { /* a submit re-renders the sub-districts for the district */ });
    });
  }

  // One click, one post: the button locks after the first submit.
  form.addEventListener("submit", function () { form.querySelector("[data-submit]").disabled = true; });
  window.addEventListener("pageshow", function () { form.querySelector("[data-submit]").disabled = false; });

  var box = document.getElementById("news-map-picker");
  if (!box || typeof L === "undefined") return;
  var latitude = document.getElementById("id_latitude");
  var longitude = document.getElementById("id_longitude");
  var start = latitude.value && longitude.value ? [parseFloat(latitude.value), parseFloat(longitude.value)] : [13.75, 100.5];
  var map = L.map(box).setView(start, latitude.value ? 15 : 6);
  L.tileLayer(box.dataset.tiles, {maxZoom: 19, attribution: box.dataset.attribution}).addTo(map);
  L.Icon.Default.imagePath = box.dataset.icons;
  var marker = latitude.value ? L.marker(start).addTo(map) : null;
  map.on("click", function (event) {
    var lat = event.latlng.lat.toFixed(6), lng = event.latlng.lng.toFixed(6);
    latitude.value = lat; longitude.value = lng;
    if (marker) { marker.setLatLng(event.latlng); } else { marker = L.marker(event.latlng).addTo(map); }
  });
})();
