/* b2bbank realtime: one websocket per tab at /ws/ (session-authenticated).
 * Every server frame becomes a DOM event "b2b:<type>" with the frame as detail.
 * After a reconnect, "b2b:reconnected" tells pages to backfill over REST.
 * window.b2bRealtime.send(frame) returns true when the frame was handed to an
 * open socket, false otherwise (callers then fall back to REST). */
(function () {
  "use strict";
  if (window.b2bRealtime) return;
  var script = document.currentScript;
  var unreadUrl = script && script.dataset.unreadUrl;
  var socket = null;
  var attempt = 0;
  var everOpened = false;
  var closedForGood = false;
  var timer = null;

  function emit(type, detail) {
    document.dispatchEvent(new CustomEvent("b2b:" + type, { detail: detail || {} }));
  }

  function url() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    return scheme + window.location.host + "/ws/";
  }

  function backoff() {
    // Exponential backoff capped at 30 s, with full jitter so tabs don't reconnect in lockstep.
    var cap = Math.min(30000, 500 * Math.pow(2, attempt));
    attempt += 1;
    return Math.round(cap / 2 + Math.random() * cap / 2);
  }

  function connect() {
    timer = null;
    socket = new WebSocket(url());
    socket.addEventListener("open", function () {
      var reconnect = everOpened;
      everOpened = true;
      attempt = 0;
      emit("open", {});
      if (reconnect) emit("reconnected", {});
      refreshUnread();
    });
    socket.addEventListener("message", function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (frame && typeof frame.type === "string") emit(frame.type, frame);
    });
    socket.addEventListener("close", function (event) {
      socket = null;
      emit("closed", { code: event.code });
      // 4001: logged out; 4003: session expired; 4401: not signed in. Reconnecting would not help.
      if (event.code === 4001 || event.code === 4003 || event.code === 4401) { closedForGood = true; return; }
      if (!closedForGood && timer === null) timer = window.setTimeout(connect, backoff());
    });
  }

  var unreadPending = null;
  function refreshUnread() {
    var badge = document.querySelector("[data-nav-unread]");
    if (!badge || !unreadUrl) return;
    if (unreadPending) window.clearTimeout(unreadPending);
    unreadPending = window.setTimeout(function () {
      unreadPending = null;
      fetch(unreadUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) return;
          badge.textContent = data.unread > 99 ? "99+" : String(data.unread);
          badge.hidden = data.unread === 0;
        })
        .catch(function () {});
    }, 150);
  }
  document.addEventListener("b2b:message.new", refreshUnread);
  document.addEventListener("b2b:read", refreshUnread);

  // The notifications badge: every frame below comes with a notification for
  // this user (loans and documents services send both), so its count is fetched
  // again; after a reconnect too, for what was missed.
  var notificationsUrl = script && script.dataset.notificationsUrl;
  var notificationsPending = null;
  function refreshNotifications() {
    var badge = document.querySelector("[data-nav-notifications]");
    if (!badge || !notificationsUrl) return;
    if (notificationsPending) window.clearTimeout(notificationsPending);
    notificationsPending = window.setTimeout(function () {
      notificationsPending = null;
      fetch(notificationsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) return;
          badge.textContent = data.unread > 99 ? "99+" : String(data.unread);
          badge.setAttribute("aria-label", data.unread + " unread");
          badge.hidden = data.unread === 0;
        })
        .catch(function () {});
    }, 150);
  }
  ["application.status", "document.new", "document.reviewed", "document_request.new", "reconnected"].forEach(
    function (type) { document.addEventListener("b2b:" + type, refreshNotifications); }
  );

  window.b2bRealtime = {
    send: function (frame) {
      if (!socket || socket.readyState !== WebSocket.OPEN) return false;
      socket.send(JSON.stringify(frame));
      return true;
    },
    isOpen: function () { return !!socket && socket.readyState === WebSocket.OPEN; },
    refreshUnread: refreshUnread,
    refreshNotifications: refreshNotifications,
    // For tests and the "reconnect" story: drop the socket as a network failure would.
    drop: function () { if (socket) socket.close(4000, "dropped"); },
  };
  connect();
})();
