// Live status on an application page. static/js/realtime.js (the chat socket)
// dispatches each server frame as a DOM event "b2b:<type>"; when a frame is
// about the application shown here, refetch this page and swap the parts that
// change (status badge, decision, timeline, open actions, documents). Without realtime.js
// no event ever arrives and this file does nothing.
(function () {
  "use strict";
  var root = document.getElementById("application-live");
  if (!root) { return; }
  var applicationId = String(root.dataset.application);
  var pending = null;

  function typing() {
    var el = document.activeElement;
    var busy = el && root.contains(el) && (el.tagName === "TEXTAREA" || el.tagName === "INPUT") && el.value;
    // A file chosen (or uploading) in the documents section is not wiped either.
    var chosen = Array.prototype.some.call(root.querySelectorAll("input[type=file]"), function (input) {
      return input.files && input.files.length;
    });
    return busy || chosen || root.querySelector("[data-uploading]");
  }

  function refresh() {
    pending = null;
    fetch(window.location.href, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var moved = false;
        root.querySelectorAll("[data-live-part]").forEach(function (part) {
          var name = part.getAttribute("data-live-part");
          // Never wipe what the user is typing into an action form.
          if ((name === "actions" || name === "documents") && typing()) { return; }
          var next = fresh.querySelector('[data-live-part="' + name + '"]');
          if (next && next.innerHTML !== part.innerHTML) {
            part.innerHTML = next.innerHTML;
            part.classList.remove("live-flash");
            void part.offsetWidth;
            part.classList.add("live-flash");
            moved = true;
          }
        });
        // A flash message ("LA-000012 has been sent") spoke of the page as it
        // was; once the application moved on it would sit above a status it
        // no longer describes.
        if (moved) {
          document.querySelectorAll("#main > .messages").forEach(function (old) { old.remove(); });
        }
      })
      .catch(function () { /* the next event or a reload will catch up */ });
  }

  function onFrame(event) {
    var frame = event.detail || {};
    if (String(frame.application) !== applicationId) { return; }
    // Several frames in a burst cost one fetch.
    if (pending) { window.clearTimeout(pending); }
    pending = window.setTimeout(refresh, 150);
  }

  ["application.status", "document.new", "document.reviewed", "document_request.new"].forEach(function (type) {
    document.addEventListener("b2b:" + type, onFrame);
  });
})();
