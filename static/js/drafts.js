// Sessions keep work (issue #14): what is typed into a page form is kept in this
// browser until the form is sent successfully. If the session has expired when
// the form is sent, the server sends the person to sign in again ("your session
// expired; nothing was lost") and back to the form, where this script puts the
// text back. Forms with a password field, and file inputs, are never kept.
(function () {
  "use strict";
  // Drafts belong to the signed-in user; logging out forgets them all (a shared computer).
  var OWNER = document.body.getAttribute("data-draft-owner");
  var PREFIX = "b2bbank:draft:" + OWNER + ":";
  var PENDING = "b2bbank:draft-pending";
  var MAX_AGE_MS = 12 * 60 * 60 * 1000;
  var SKIP = { hidden: 1, password: 1, file: 1, submit: 1, button: 1, reset: 1 };

  function storage(kind) {
    try { return window[kind]; } catch (e) { return null; }  // storage may be disabled
  }
  var local = storage("localStorage");
  var session = storage("sessionStorage");
  if (!local || !session || !OWNER) { return; }

  Array.prototype.forEach.call(document.querySelectorAll("form[action$='/logout/']"), function (form) {
    form.addEventListener("submit", function () {
      Object.keys(local).forEach(function (key) {
        if (key.indexOf("b2bbank:draft:") === 0) { local.removeItem(key); }
      });
      session.removeItem(PENDING);
    });
  });

  function keyFor(form, index) {
    return PREFIX + location.pathname + "#" + (form.getAttribute("action") || "") + "#" + index;
  }
  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !SKIP[el.type] && el.name !== "csrfmiddlewaretoken";
    });
  }
  function snapshot(form) {
    var values = {};
    fields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        values[el.name + "=" + el.value] = el.checked;
      } else if (el.tagName === "SELECT" && el.multiple) {
        values[el.name] = Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; });
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }
  function restore(form, values) {
    var changed = false;
    fields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        var key = el.name + "=" + el.value;
        if (key in values && el.checked !== values[key]) { el.checked = values[key]; changed = true; }
      } else if (el.tagName === "SELECT" && el.multiple) {
        if (!(el.name in values)) { return; }
        Array.prototype.forEach.call(el.options, function (o) {
          var want = values[el.name].indexOf(o.value) !== -1;
          if (o.selected !== want) { o.selected = want; changed = true; }
        });
      } else if (el.name in values && el.value !== values[el.name] && values[el.name] !== "") {
        el.value = values[el.name];
        changed = true;
      }
    });
    return changed;
  }
  function announce(form) {
    var note = document.createElement("div");
    note.className = "message message-success";
    note.setAttribute("role", "status");
    note.setAttribute("data-draft-restored", "");
    note.textContent = "We kept what you typed: nothing was lost. Check it and send the form again.";
    form.parentNode.insertBefore(note, form);
  }

  // A form sent from the previous page succeeded if we are now somewhere else
  // (not the sign-in page), or back on the same page with a success message.
  var pending = session.getItem(PENDING);
  if (pending) {
    var onLogin = location.pathname.indexOf("/login/") === 0;
    var samePage = pending.indexOf(PREFIX + location.pathname + "#") === 0;
    if (!onLogin && (!samePage || document.querySelector(".message-success"))) {
      local.removeItem(pending);
      session.removeItem(PENDING);
    }
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[method=post], form[method=POST]"), function (form, index) {
    if (form.querySelector("input[type=password]") || !fields(form).length || form.hasAttribute("data-no-draft")) {
      return;
    }
    var key = keyFor(form, index);
    var saved = null;
    try { saved = JSON.parse(local.getItem(key) || "null"); } catch (e) { saved = null; }
    if (saved && Date.now() - saved.at < MAX_AGE_MS && restore(form, saved.values)) {
      announce(form);
    }
    function save() {
      local.setItem(key, JSON.stringify({ at: Date.now(), values: snapshot(form) }));
    }
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    form.addEventListener("submit", function (event) {
      save();
      session.setItem(PENDING, key);
      // A page script that sends the form itself (chat) cancels the submit: then it was sent.
      setTimeout(function () {
        if (event.defaultPrevented) { local.removeItem(key); session.removeItem(PENDING); }
      }, 0);
    });
  });
})();
