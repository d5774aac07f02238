/* The live conversation page: messages over the realtime socket (REST when the
 * socket is down), "typing…" that fades, "Seen", older pages on scroll, and a
 * REST backfill after every reconnect so no message is lost. */
(function () {
  "use strict";
  var root = document.querySelector("[data-chat]");
  if (!root) return;
  var conversation = Number(root.dataset.conversation);
  var me = Number(root.dataset.me);
  var theirLastRead = Number(root.dataset.theirLastRead) || 0;
  var myLastRead = Number(root.dataset.myLastRead) || 0;
  var hasMore = root.dataset.hasMore === "1";
  var messagesUrl = root.dataset.messagesUrl;
  var readUrl = root.dataset.readUrl;
  var list = root.querySelector("[data-chat-messages]");
  var scroller = root.querySelector("[data-chat-scroll]");
  var older = root.querySelector("[data-chat-older]");
  var typingEl = root.querySelector("[data-chat-typing]");
  var statusEl = root.querySelector("[data-chat-status]");
  var form = root.querySelector("[data-chat-form]");
  var input = form.querySelector("textarea");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var counterpart = root.querySelector(".chat-title").textContent.trim();
  var pending = {}; // client_id -> {body, timer}
  var loadingOlder = false;
  var typingTimer = null;
  var lastTypingSent = 0;

  function api(url, options) {
    options = options || {};
    options.credentials = "same-origin";
    options.headers = Object.assign({ Accept: "application/json" }, options.headers || {});
    if (options.body) {
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRFToken"] = csrf;
    }
    return fetch(url, options).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    });
  }

  // The user's zone (accounts.time_zones), as the server renders "M j, H:i":
  // "Nov 29, 06:54". The browser's own zone could differ from the profile's.
  var timeZone = root.dataset.timeZone || "UTC";
  var timeFormat;
  try {
    timeFormat = new Intl.DateTimeFormat("en-US", { timeZone: timeZone, month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  } catch (e) {
    timeFormat = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  }
  function formatTime(iso) {
    return timeFormat.format(new Date(iso));
  }

  // The link rule of b2bbank/display.py: http(s) addresses only, trailing
  // punctuation left outside. Built from DOM nodes so user text is never parsed as HTML.
  var LINK_PATTERN = /https?:\/\/[^\s<>"']+/gi;
  var TRAILING = ".,;:!?)]}";
  function appendLinkified(parent, text) {
    var last = 0;
    text.replace(LINK_PATTERN, function (match, offset) {
      var url = match;
      while (url && TRAILING.indexOf(url.charAt(url.length - 1)) !== -1) url = url.slice(0, -1);
      if (/^https?:\/\/$/i.test(url)) return match;
      parent.appendChild(document.createTextNode(text.slice(last, offset)));
      var a = document.createElement("a");
      a.href = url;
      a.rel = "noopener noreferrer nofollow";
      a.textContent = url;
      parent.appendChild(a);
      last = offset + url.length;
      return match;
    });
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function ids() {
    return Array.prototype.map.call(list.querySelectorAll("li[data-id]"), function (li) { return Number(li.dataset.id); });
  }
  function newestId() { var all = ids(); return all.length ? Math.max.apply(null, all) : 0; }
  function oldestId() { var all = ids(); return all.length ? Math.min.apply(null, all) : 0; }
  function nearBottom() { return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 120; }
  function toBottom() { scroller.scrollTop = scroller.scrollHeight; }

  function build(m, isPending) {
    var li = document.createElement("li");
    li.className = "chat-msg " + (m.sender === me ? "chat-msg-mine" : "chat-msg-theirs") + (isPending ? " chat-msg-pending" : "");
    if (m.id) li.dataset.id = m.id;
    li.dataset.sender = m.sender;
    if (m.client_id) li.dataset.clientId = m.client_id;
    var bubble = document.createElement("div");
    bubble.className = "chat-bubble";
    appendLinkified(bubble, m.body || "");
    var time = document.createElement("time");
    time.className = "chat-time";
    if (m.created_at) { time.dateTime = m.created_at; time.textContent = formatTime(m.created_at); }
    else time.textContent = "Sending…";
    if (m.attachment) {
      // A file sent with the message: its name, size and a download link.
      var link = document.createElement("a");
      link.className = "chat-attachment";
      link.href = "/api/v1/attachments/" + Number(m.attachment.id) + "/download/";
      link.setAttribute("download", "");
      var name = document.createElement("span");
      name.className = "chat-attachment-name";
      name.textContent = m.attachment.name;
      var size = document.createElement("span");
      size.className = "chat-attachment-size";
      size.textContent = " " + (m.attachment.size >= 1048576 ? (m.attachment.size / 1048576).toFixed(1) + " MB" : Math.max(1, Math.round(m.attachment.size / 1024)) + " KB");
      link.appendChild(name);
      link.appendChild(size);
      bubble.appendChild(link);
    }
    li.appendChild(bubble);
    li.appendChild(time);
    return li;
  }

  function clearEmpty() { var e = list.querySelector("[data-chat-empty]"); if (e) e.remove(); }

  /* Insert a stored message in id order; replaces its pending copy; ignores duplicates. */
  function place(m) {
    if (list.querySelector('li[data-id="' + m.id + '"]')) return false;
    clearEmpty();
    var li = build(m, false);
    if (m.client_id && m.sender === me) {
      var mine = list.querySelector('li.chat-msg-pending[data-client-id="' + CSS.escape(m.client_id) + '"]');
      if (mine) mine.remove();
      if (pending[m.client_id]) { window.clearTimeout(pending[m.client_id].timer); delete pending[m.client_id]; }
    }
    var after = null;
    Array.prototype.forEach.call(list.querySelectorAll("li[data-id]"), function (el) {
      if (Number(el.dataset.id) > m.id && after === null) after = el;
    });
    if (after) list.insertBefore(li, after);
    else {
      var firstPending = list.querySelector("li.chat-msg-pending");
      list.insertBefore(li, firstPending);
    }
    return true;
  }

  function updateSeen() {
    var old = list.querySelector("[data-chat-seen]");
    if (old) old.remove();
    var mine = list.querySelectorAll("li.chat-msg-mine[data-id]");
    if (!mine.length) return;
    var last = mine[mine.length - 1];
    if (theirLastRead >= Number(last.dataset.id)) {
      var seen = document.createElement("li");
      seen.className = "chat-seen";
      seen.dataset.chatSeen = "";
      seen.textContent = "Seen";
      last.after(seen);
    }
  }

  function markRead() {
    var newest = 0;
    Array.prototype.forEach.call(list.querySelectorAll("li.chat-msg-theirs[data-id]"), function (li) {
      newest = Math.max(newest, Number(li.dataset.id));
    });
    if (!newest || newest <= myLastRead || document.visibilityState !== "visible") return;
    myLastRead = newest;
    var frame = { type: "read", conversation: conversation, message: newest };
    if (!window.b2bRealtime || !window.b2bRealtime.send(frame)) {
      api(readUrl, { method: "POST", body: JSON.stringify({ message: newest }) }).catch(function () { myLastRead = 0; });
    }
  }

  function sendRest(clientId, body) {
    return api(messagesUrl, { method: "POST", body: JSON.stringify({ body: body, client_id: clientId }) })
      .then(function (m) { place(m); updateSeen(); toBottom(); })
      .catch(function () {
        var li = list.querySelector('li.chat-msg-pending[data-client-id="' + CSS.escape(clientId) + '"] .chat-time');
        if (li) li.textContent = "Not sent yet, retrying…";
        pending[clientId].timer = window.setTimeout(function () { sendRest(clientId, body); }, 3000);
      });
  }

  function newClientId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return "c" + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  var fileInput = form.querySelector("[data-chat-file]");

  function sendFile(body) {
    // A file goes over REST (multipart); its message.new frame shows it like any other.
    var data = new FormData();
    data.append("body", body);
    data.append("file", fileInput.files[0]);
    data.append("client_id", newClientId());
    typingEl.textContent = "Sending " + fileInput.files[0].name + "…";
    fetch(messagesUrl, { method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrf, Accept: "application/json" }, body: data })
      .then(function (r) {
        return r.json().then(function (payload) {
          if (!r.ok) throw new Error(payload.detail || (payload.file || payload.body || ["The file was not sent."]).join(" "));
          if (!list.querySelector('li[data-id="' + payload.id + '"]')) { clearEmpty(); list.appendChild(build(payload, false)); toBottom(); }
        });
      })
      .then(function () { fileInput.value = ""; input.value = ""; typingEl.textContent = ""; })
      .catch(function (error) { typingEl.textContent = error.message; });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var body = input.value.trim();
    // Over the limit static/js/limits.js shows: keep the text and say so, send nothing.
    var limit = Number(input.getAttribute("data-limit"));
    if (limit && Array.from(body.replace(/\r?\n/g, "\r\n")).length > limit) {
      typingEl.textContent = "This message is longer than " + limit.toLocaleString("en-US") + " characters: shorten it or split it.";
      return;
    }
    if (fileInput && fileInput.files && fileInput.files.length) { sendFile(body); return; }
    if (!body) return;
    var clientId = newClientId();
    clearEmpty();
    list.appendChild(build({ sender: me, body: body, client_id: clientId }, true));
    toBottom();
    input.value = "";
    input.focus();
    lastTypingSent = 0; // the next keystroke starts a new "typing…"
    pending[clientId] = { body: body, timer: null };
    var frame = { type: "message.send", conversation: conversation, body: body, client_id: clientId };
    if (window.b2bRealtime && window.b2bRealtime.send(frame)) {
      // If the event does not come back soon, the same client_id over REST cannot duplicate it.
      pending[clientId].timer = window.setTimeout(function () { sendRest(clientId, body); }, 5000);
    } else {
      sendRest(clientId, body);
    }
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });
  input.addEventListener("input", function () {
    var now = Date.now();
    if (input.value.trim() && now - lastTypingSent > 2000 && window.b2bRealtime) {
      lastTypingSent = now;
      window.b2bRealtime.send({ type: "typing", conversation: conversation });
    }
  });

  function hideTyping() { typingEl.classList.remove("chat-typing-on"); }

  document.addEventListener("b2b:typing", function (e) {
    var f = e.detail;
    if (f.conversation !== conversation || f.user === me) return;
    typingEl.textContent = counterpart + " is typing…";
    typingEl.classList.add("chat-typing-on");
    if (typingTimer) window.clearTimeout(typingTimer);
    typingTimer = window.setTimeout(hideTyping, 3000);
  });

  document.addEventListener("b2b:message.new", function (e) {
    var f = e.detail;
    if (f.conversation !== conversation) return;
    var stick = nearBottom() || f.message.sender === me;
    place(f.message);
    if (f.message.sender !== me) hideTyping();
    updateSeen();
    if (stick) toBottom();
    markRead();
  });

  document.addEventListener("b2b:read", function (e) {
    var f = e.detail;
    if (f.conversation !== conversation || f.user === me) return;
    theirLastRead = Math.max(theirLastRead, f.message);
    updateSeen();
  });

  function backfill(after) {
    var url = messagesUrl + "?limit=100&after=" + after;
    function page(u) {
      return api(u).then(function (data) {
        data.results.forEach(place);
        if (data.next) return page(data.next);
      });
    }
    return page(url).then(function () { updateSeen(); toBottom(); markRead(); });
  }

  function showLive() {
    statusEl.textContent = "Live";
    statusEl.className = "chat-status chat-status-live";
  }
  document.addEventListener("b2b:open", showLive);
  // The socket may have opened before this deferred script ran.
  if (window.b2bRealtime && window.b2bRealtime.isOpen()) showLive();
  document.addEventListener("b2b:closed", function () {
    statusEl.textContent = "Reconnecting…";
    statusEl.className = "chat-status chat-status-down";
  });
  document.addEventListener("b2b:reconnected", function () {
    backfill(newestId()).catch(function () {});
    // Re-send whatever the dropped socket may have swallowed; client_id makes it idempotent.
    Object.keys(pending).forEach(function (clientId) {
      window.clearTimeout(pending[clientId].timer);
      sendRest(clientId, pending[clientId].body);
    });
  });
  document.addEventListener("visibilitychange", markRead);

  scroller.addEventListener("scroll", function () {
    if (scroller.scrollTop > 80 || !hasMore || loadingOlder) return;
    loadingOlder = true;
    var before = oldestId();
    var height = scroller.scrollHeight;
    api(messagesUrl + "?before=" + before)
      .then(function (data) {
        var first = list.firstChild;
        data.results.slice().reverse().forEach(function (m) {
          if (!list.querySelector('li[data-id="' + m.id + '"]')) list.insertBefore(build(m, false), first);
        });
        hasMore = !!data.next;
        older.hidden = !hasMore;
        scroller.scrollTop += scroller.scrollHeight - height;
        updateSeen();
      })
      .catch(function () {})
      .finally(function () { loadingOlder = false; });
  });

  toBottom();
  updateSeen();
  markRead();
  // Anything sent between the server rendering this page and the socket opening.
  backfill(newestId()).catch(function () {});
})();
