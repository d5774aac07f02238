// Document uploads on an application page: drag and drop onto the file field
// and a progress bar while the file travels. Without this script the form is a
// plain multipart form and works the same (the server answers with a redirect
// back to the application page and a message either way).
(function () {
  "use strict";

  function mb(bytes) { return Math.round(bytes / (1024 * 1024)); }

  function enhance(form) {
    if (form.dataset.enhanced) { return; }
    form.dataset.enhanced = "1";
    var input = form.querySelector("input[type=file]");
    var zone = form.querySelector("[data-dropzone]");
    var progress = form.querySelector("[data-progress]");
    var bar = progress && progress.querySelector("progress");
    var text = form.querySelector("[data-progress-text]");
    var error = form.querySelector("[data-upload-error]");
    var limit = Number(form.dataset.maxBytes || 0);
    if (!input || !zone || !window.FormData || !window.XMLHttpRequest) { return; }

    var hint = zone.querySelector(".dropzone-hint");
    if (hint) { hint.hidden = false; }
    zone.classList.add("dropzone-ready");

    function fail(message) {
      error.textContent = message;
      error.hidden = false;
      progress.hidden = true;
      delete form.dataset.uploading;
    }

    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("dropzone-over");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("dropzone-over"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });

    form.addEventListener("submit", function (event) {
      var file = input.files && input.files[0];
      error.hidden = true;
      if (file && limit && file.size > limit) {
        event.preventDefault();
        fail("This file is " + mb(file.size) + " MB; the limit is " + mb(limit) + " MB.");
        return;
      }
      if (!file) { return; }  // the server explains what is missing
      event.preventDefault();
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      request.upload.addEventListener("progress", function (progressEvent) {
        if (!progressEvent.lengthComputable) { return; }
        var percent = Math.round((progressEvent.loaded / progressEvent.total) * 100);
        bar.value = percent;
        text.textContent = percent + "%";
      });
      request.addEventListener("load", function () {
        // The server answers where to go (the application page, with its message).
        var next = window.location.pathname;
        try { next = JSON.parse(request.responseText).redirect || next; } catch (e) { /* a proxy's error page */ }
        if (request.status === 413) { fail("This file is over the size limit."); return; }
        var target = new URL(next, window.location.href);
        if (target.pathname === window.location.pathname) {
          window.location.hash = target.hash;
          window.location.reload();  // the same page: show its new state and message
        } else {
          window.location.assign(target.href);
        }
      });
      request.addEventListener("error", function () { fail("The upload did not finish. Check the file and try again."); });
      form.dataset.uploading = "1";
      progress.hidden = false;
      bar.value = 0;
      text.textContent = "0%";
      request.send(new FormData(form));
    });
  }

  function enhanceAll() { document.querySelectorAll("form[data-upload]").forEach(enhance); }
  enhanceAll();
  // The live refresh (application_live.js) may swap the section in.
  new MutationObserver(enhanceAll).observe(document.body, { childList: true, subtree: true });
})();
