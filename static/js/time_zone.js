// Sign-up: the browser's own time zone goes with the form (hidden
// time_zone field), so every time is shown in it from the first page.
(function () {
  "use strict";
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone) { return; }
  Array.prototype.forEach.call(document.querySelectorAll("input[type=hidden][name=time_zone]"), function (input) {
    if (!input.value) { input.value = zone; }
  });
})();
