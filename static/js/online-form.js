// The public complaint form (templates/public/online/form.html), made easier with script;
// every part of it also works without: the sub-categories of the chosen main category
// only, the "other" text only for "other", the chosen district's sub-districts, the
// name fields hidden for an anonymous complaint, the files checked against the limits
// before they are sent, the phone's position ("ใช้ตำแหน่งปัจจุบัน") and, with a tile
// server, a map to pin the place on. The proof of work is static/js/online-pow.js.
(function () {
  "use strict";

  var form = document.querySelector("[data-online-form]");
  if (!form) return;
  var words = JSON.parse(document.getElementById("online-messages").textContent);

  function say(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, name) { return name in values ? values[name] : all; });
  }

  // The error summary takes the focus, so that a screen reader reads it first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();

  // --- Categories ---------------------------------------------------------------------
  var otherIds = JSON.parse(document.getElementById("online-other-categories").textContent);
  var main = document.getElementById("id_main_category");
  var sub = document.getElementById("id_category");
  function showCategories() {
    var isOther = otherIds.indexOf(parseInt(main.value, 10)) !== -1;
    form.querySelector("[data-other-text]").hidden = !isOther;
    form.querySelector("[data-subcategory]").hidden = isOther;
    var label = main.value && main.selectedIndex >= 0 ? main.options[main.selectedIndex].text : "";
    Array.prototype.forEach.call(sub.querySelectorAll("optgroup"), function (group) {
      group.hidden = Boolean(label) && group.label !== label;
      group.disabled = group.hidden;
    });
    var chosen = sub.options[sub.selectedIndex];
    if (chosen && chosen.parentNode.tagName === "OPTGROUP" && chosen.parentNode.hidden) sub.value = "";
  }
  main.addEventListener("change", showCategories);
  showCategories();

  // --- Sub-districts of the chosen district (area-picker.js fires "change" on the district) ---
  var district = document.getElementById("id_incident_district");
  var subdistrict = document.getElementById("id_incident_subdistrict");
  var latest = 0;
  district.addEventListener("change", function () {
    var request = ++latest;
    var emptyLabel = subdistrict.options.length ? subdistrict.options[0].text : "---------";
    function fill(rows) {
      subdistrict.innerHTML = "";
      subdistrict.appendChild(new Option(emptyLabel, ""));
      rows.forEach(function (row) { subdistrict.appendChild(new Option(row.name, row.code)); });
    }
    if (!district.value) { fill([]); return; }
    subdistrict.setAttribute("aria-busy", "true");
    fetch(form.getAttribute("data-subdistricts-url") + "?district=" + encodeURIComponent(district.value), {
      credentials: "same-origin", headers: {Accept: "application/json"},
    })
      .then(function (response) { return response.ok ? response.json() : {subdistricts: []}; })
      .then(function (data) { if (request === latest) fill(data.subdistricts); })
      .catch(function () { /* the list stays; submitting shows the district's sub-districts */ })
      .finally(function () { if (request === latest) subdistrict.removeAttribute("aria-busy"); });
  });

  // --- Anonymous: no name asked ---------------------------------------------------------
  var anonymous = document.getElementById("id_is_anonymous");
  var identity = form.querySelector("[data-identity]");
  function showIdentity() { identity.hidden = anonymous.checked; }
  anonymous.addEventListener("change", showIdentity);
  showIdentity();

  // --- Files: the limits said before anything is sent ---------------------------------------
  var files = document.getElementById("id_files");
  var list = form.querySelector("[data-file-list]");
  var maxFiles = parseInt(form.getAttribute("data-max-files"), 10);
  var fileLimit = parseInt(form.getAttribute("data-file-limit"), 10);
  var totalLimit = parseInt(form.getAttribute("data-total-limit"), 10);
  function size(bytes) {
    return bytes >= 1024 * 1024 ? (bytes / 1024 / 1024).toFixed(1) + " MB" : Math.max(1, Math.round(bytes / 1024)) + " KB";
  }
  function fileProblems() {
    var chosen = Array.prototype.slice.call(files.files || []);
    var problems = [];
    if (chosen.length > maxFiles) problems.push(say(words.tooManyFiles, {count: maxFiles}));
    chosen.forEach(function (file) {
      if (file.size > fileLimit) problems.push(say(words.fileTooLarge, {name: file.name, limit: size(fileLimit)}));
    });
    var total = chosen.reduce(function (sum, file) { return sum + file.size; }, 0);
    if (total > totalLimit) problems.push(say(words.totalTooLarge, {limit: size(totalLimit)}));
    return {chosen: chosen, total: total, problems: problems};
  }
  function showFiles() {
    var state = fileProblems();
    list.innerHTML = "";
    state.chosen.forEach(function (file) {
      var item = document.createElement("li");
      item.textContent = file.name + " (" + size(file.size) + ")";
      list.appendChild(item);
    });
    if (state.chosen.length) {
      var summaryLine = document.createElement("li");
      summaryLine.className = "fw-semibold";
      summaryLine.textContent = say(words.chosen, {count: state.chosen.length, size: size(state.total)});
      list.appendChild(summaryLine);
    }
    state.problems.forEach(function (text) {
      var item = document.createElement("li");
      item.className = "text-danger";
      item.setAttribute("data-file-problem", "");
      item.textContent = text;
      list.appendChild(item);
    });
    files.classList.toggle("is-invalid", state.problems.length > 0);
    return state.problems;
  }
  files.addEventListener("change", showFiles);
  form.addEventListener("submit", function (event) {
    if (showFiles().length) {
      event.preventDefault();  // online-pow.js sees it and waits for the next submit
      files.focus();
    }
  });

  // --- Where it happened: the phone's position, or a pin on the map --------------------------
  var latitude = document.getElementById("id_latitude");
  var longitude = document.getElementById("id_longitude");
  var status = form.querySelector("[data-location-status]");
  var mapBox = document.getElementById("online-map");
  var map = null, marker = null;
  function place(lat, lng, zoom) {
    latitude.value = lat.toFixed(6);
    longitude.value = lng.toFixed(6);
    if (!map) return;
    if (marker) marker.setLatLng([lat, lng]); else marker = L.marker([lat, lng]).addTo(map);
    map.setView([lat, lng], zoom || Math.max(map.getZoom(), 15));
  }
  function showMap() {
    L.Icon.Default.imagePath = mapBox.getAttribute("data-marker-images");
    map = L.map(mapBox, {scrollWheelZoom: false}).setView([13.0, 101.0], 5);
    L.tileLayer(mapBox.getAttribute("data-tiles"), {maxZoom: 19, attribution: mapBox.getAttribute("data-attribution")}).addTo(map);
    map.on("click", function (event) { place(event.latlng.lat, event.latlng.lng, map.getZoom()); });
    if (latitude.value && longitude.value) place(parseFloat(latitude.value), parseFloat(longitude.value), 15);
    // Leaflet measures its box once; the page's layout settles later (fonts, a phone turned).
    if (window.ResizeObserver) new ResizeObserver(function () { map.invalidateSize(); }).observe(mapBox);
  }
  if (mapBox && window.L) {
    if (document.readyState === "complete") showMap(); else window.addEventListener("load", showMap);
  }
  var locate = form.querySelector("[data-use-location]");
  if (navigator.geolocation && window.isSecureContext !== false) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      status.textContent = words.locating;
      locate.disabled = true;
      navigator.geolocation.getCurrentPosition(function (position) {
        locate.disabled = false;
        place(position.coords.latitude, position.coords.longitude, 16);
        status.textContent = say(words.located, {accuracy: Math.round(position.coords.accuracy)});
      }, function (error) {
        locate.disabled = false;
        status.textContent = error.code === 1 ? words.locationDenied : words.locationFailed;
      }, {enableHighAccuracy: true, timeout: 20000, maximumAge: 60000});
    });
  }
})();
