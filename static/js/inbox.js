// The inbox updates in place on new activity: the page is fetched again and
// only its list is swapped in, so order, previews, times and unread badges
// are the server's own render (no second template in JavaScript) and the
// page neither reloads nor loses its scroll position. Bursts of events are
// coalesced into one fetch. realtime.js dispatches the b2b:* events.
(function () {
  "use strict";
  var pending = null;
  var inFlight = false;
  var again = false;

  function refresh() {
    pending = null;
    if (inFlight) { again = true; return; }
    inFlight = true;
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-inbox-region]");
        var current = document.querySelector("[data-inbox-region]");
        if (fresh && current) {
          current.replaceChildren.apply(current, Array.prototype.slice.call(fresh.childNodes));
          document.dispatchEvent(new CustomEvent("b2b:inbox.updated"));
        }
      })
      .catch(function () {})
      .then(function () {
        inFlight = false;
        if (again) { again = false; schedule(); }
      });
  }

  function schedule() {
    if (pending === null) pending = window.setTimeout(refresh, 150);
  }

  ["b2b:message.new", "b2b:conversation.new", "b2b:read", "b2b:reconnected"].forEach(function (type) {
    document.addEventListener(type, schedule);
  });
})();
