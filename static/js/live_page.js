/* Live lists and dashboards. static/js/realtime.js turns each server frame into
 * a DOM event "b2b:<type>". This script listens for the frame types named in its
 * data-frames attribute; when one arrives (several in a burst cost one fetch) it
 * refetches the page and swaps the contents of <main>, so counts, statuses and
 * next steps follow the other party's moves. An old flash message is gone after
 * a swap (the server shows each message once). What the user is typing is never
 * wiped: while a field in <main> holds text, the swap waits for the next frame.
 * After a reconnect, missed frames are caught up by one refetch. */
(function () {
  "use strict";
  var script = document.currentScript;
  var main = document.getElementById("main");
  if (!script || !main) { return; }
  var types = (script.dataset.frames || "").split(/\s+/).filter(Boolean);
  var pending = null;
  var announcer = document.createElement("div");
  announcer.className = "visually-hidden";
  announcer.setAttribute("role", "status");
  announcer.setAttribute("aria-live", "polite");
  document.body.appendChild(announcer);

  function typing() {
    var el = document.activeElement;
    if (!el || !main.contains(el)) { return false; }
    return (el.tagName === "TEXTAREA" || el.tagName === "INPUT" || el.tagName === "SELECT") && !!el.value;
  }

  function focusKey(el) {
    // Where focus was, as something that survives the swap: a link's address or an id.
    if (!el || !main.contains(el)) { return null; }
    if (el.id) { return "#" + CSS.escape(el.id); }
    var href = el.getAttribute && el.getAttribute("href");
    return href ? '[href="' + CSS.escape(href) + '"]' : null;
  }

  function swap(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("main");
    if (!fresh) { return; }
    // The server showed the flash message already; a fresh page has none, or a newer one.
    if (fresh.innerHTML === main.innerHTML) { return; }
    var key = focusKey(document.activeElement);
    main.innerHTML = fresh.innerHTML;
    if (key) {
      var again = main.querySelector(key);
      if (again) { again.focus(); }
    }
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = "This page was updated."; }, 50);
    document.dispatchEvent(new CustomEvent("b2b:page-updated"));
  }

  function refresh() {
    pending = null;
    if (typing()) { return; }
    fetch(window.location.href, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(swap)
      .catch(function () { /* the next frame or a reload will catch up */ });
  }

  function schedule() {
    if (pending) { window.clearTimeout(pending); }
    pending = window.setTimeout(refresh, 200);
  }

  types.forEach(function (type) { document.addEventListener("b2b:" + type, schedule); });
  document.addEventListener("b2b:reconnected", schedule);
})();
