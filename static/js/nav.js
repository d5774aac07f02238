// The main navigation folds behind a "Menu" button on narrow screens (the CSS
// decides when: below 1024px). Without this script the links simply wrap.
(function () {
  "use strict";
  var header = document.querySelector(".site-header");
  var toggle = header && header.querySelector(".nav-toggle");
  var nav = document.getElementById("site-nav");
  if (!toggle || !nav) { return; }
  var dot = toggle.querySelector(".nav-toggle-dot");

  header.classList.add("nav-collapsible");
  toggle.hidden = false;

  function setOpen(open) {
    header.classList.toggle("nav-open", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }
  toggle.addEventListener("click", function () {
    setOpen(toggle.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && header.classList.contains("nav-open")) {
      setOpen(false);
      toggle.focus();
    }
  });

  // Unread notifications or messages show as a dot on the closed menu; the
  // messages count is updated live by realtime.js.
  function refreshDot() {
    var unread = Array.prototype.some.call(nav.querySelectorAll(".nav-count"), function (badge) {
      return !badge.hidden && badge.textContent.trim() !== "" && badge.textContent.trim() !== "0";
    });
    dot.hidden = !unread;
  }
  refreshDot();
  new MutationObserver(refreshDot).observe(nav, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["hidden"] });
})();
