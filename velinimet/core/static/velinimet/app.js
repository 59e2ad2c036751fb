// Velinimet shell behaviour. No inline scripts anywhere: the CSP forbids them.
(function () {
  "use strict";
  // Close open menus when the user clicks elsewhere or presses Escape.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) { menu.removeAttribute("open"); }
    });
    var dropdown = document.getElementById("search-dropdown");
    if (dropdown && !event.target.closest(".global-search")) { dropdown.innerHTML = ""; }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      document.querySelectorAll("details.menu[open]").forEach(function (m) { m.removeAttribute("open"); });
      var nav = document.getElementById("modules");
      if (nav) { nav.classList.remove("open"); }
      var dropdown = document.getElementById("search-dropdown");
      if (dropdown) { dropdown.innerHTML = ""; }
    }
  });
  // The ☰ button opens the module navigation on narrow screens.
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest(".nav-toggle");
    var nav = document.getElementById("modules");
    if (!nav) { return; }
    if (toggle) {
      var open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    } else if (!event.target.closest("#modules")) {
      nav.classList.remove("open");
    }
  });
  // Buttons with data-confirm ask before submitting their form.
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var message = (button && button.dataset.confirm) || event.target.dataset.confirm;
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });
  // Copy buttons: <button data-copy="#id">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) { return; }
    var source = document.querySelector(button.dataset.copy);
    if (source && navigator.clipboard) { navigator.clipboard.writeText(source.textContent.trim()); }
  });
})();
