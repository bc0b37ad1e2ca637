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
  // On a phone, filters and secondary actions fold away (unless a filter is
  // set); on a wider screen they stay open and their summary is hidden.
  if (window.matchMedia && window.matchMedia("(max-width: 700px)").matches) {
    document.querySelectorAll('details.fold[data-fold="phone"]').forEach(function (d) {
      d.removeAttribute("open");
    });
  }
  // A table that scrolls in its box can be scrolled from the keyboard.
  document.querySelectorAll(".table-wrap, .gantt-page").forEach(function (wrap) {
    if (wrap.scrollWidth > wrap.clientWidth || wrap.scrollHeight > wrap.clientHeight) {
      wrap.setAttribute("tabindex", "0");
    }
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
  // 月度填报: Enter moves down the column, a column pasted from Excel fills
  // down from the cell pasted into, and the month's total follows.
  document.querySelectorAll("form[data-month-sheet]").forEach(function (form) {
    var cells = Array.prototype.slice.call(form.querySelectorAll("input[data-amount]"));
    var total = form.querySelector("[data-month-total]");
    var number = function (text) {
      var n = Number(String(text).replace(/[,，\s]/g, "").replace(/[０-９．－]/g, function (c) {
        return String.fromCharCode(c.charCodeAt(0) - 0xFEE0);
      }));
      return isNaN(n) ? 0 : n;
    };
    var sum = function () {
      if (!total) { return; }
      var s = cells.reduce(function (acc, cell) { return acc + number(cell.value); }, 0);
      total.textContent = s.toFixed(2);
    };
    cells.forEach(function (cell, i) {
      cell.addEventListener("keydown", function (event) {
        if (event.key !== "Enter" || event.isComposing) { return; }
        event.preventDefault();
        var next = cells[i + 1];
        if (next) { next.focus(); next.select(); } else { form.querySelector("button[type=submit]").focus(); }
      });
      cell.addEventListener("paste", function (event) {
        var text = (event.clipboardData || window.clipboardData).getData("text");
        var lines = text.replace(/\r/g, "").split("\n");
        while (lines.length && lines[lines.length - 1] === "") { lines.pop(); }
        if (lines.length < 2) { return; }
        event.preventDefault();
        lines.forEach(function (line, k) {
          var target = cells[i + k];
          if (target) { target.value = line.split("\t")[0].trim(); }
        });
        sum();
      });
      cell.addEventListener("input", sum);
    });
    sum();
  });
  // A refused form comes back at the address it was sent to. Put back the
  // address of the page it was filled on, so the address bar never shows a
  // POST address and a reload opens that page instead of resending.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.method && form.method.toLowerCase() === "post") {
      try { sessionStorage.setItem("kfq.formPage", location.pathname + location.search); } catch (e) { /* private mode */ }
    }
  }, true);
  var formPage = null;
  try {
    formPage = sessionStorage.getItem("kfq.formPage");
    sessionStorage.removeItem("kfq.formPage");
  } catch (e) { /* private mode */ }
  var refused = document.querySelector('[aria-invalid="true"], .field-error, [role="alert"]');
  if (formPage && refused && formPage !== location.pathname + location.search) {
    history.replaceState(null, "", formPage);
  }
  // A refused form shows its first error where the eye and the cursor are.
  var firstError = document.querySelector('[aria-invalid="true"]');
  if (firstError) {
    firstError.scrollIntoView({ block: "center" });
    firstError.focus();
  }
})();
