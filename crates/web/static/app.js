// kfq: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  var toggle = document.querySelector(".menu-toggle");
  var nav = document.getElementById("nav");
  if (toggle && nav) {
    toggle.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  // Forms that destroy something ask first (the text comes from the page).
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });
  // Scripts calling the JSON API with the session cookie send the CSRF token.
  var meta = document.querySelector('meta[name="csrf-token"]');
  window.kfqFetch = function (url, options) {
    options = options || {};
    options.headers = options.headers || {};
    options.credentials = "same-origin";
    if (meta) { options.headers["X-CSRF-Token"] = meta.getAttribute("content"); }
    return window.fetch(url, options);
  };
  // Selecting the zone type only matters for zones.
  var kind = document.querySelector('select[name="kind"]');
  if (kind) {
    var zoneFields = document.querySelectorAll(".zone-only");
    var sync = function () {
      zoneFields.forEach(function (el) { el.hidden = kind.value !== "zone"; });
    };
    kind.addEventListener("change", sync);
    sync();
  }
})();
