// The directory's filters fold behind a "Filters" button on phones, where nine
// boxes came before the first result; on wider screens they start open.
(function () {
  "use strict";
  var details = document.querySelector("[data-directory-filters]");
  if (details && window.matchMedia("(min-width: 641px)").matches) { details.open = true; }
})();
