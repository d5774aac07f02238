// Text limits made visible. A browser silently cuts pasted text at a box's
// maxlength (10,000 pasted characters became 2,000 with no word), so for
// longer boxes this script takes the hard cut away and shows a counter with the
// limit instead; the server refuses over-long text with a message next to the
// box, and the text stays there to be shortened. Without scripts the
// maxlength attribute stays.
(function () {
  "use strict";
  var COUNT_FROM = 200; // shorter boxes (names, codes, places) keep maxlength and no counter
  var number = new Intl.NumberFormat("en-US");

  // What the server counts: code points, with each line break sent as CR LF.
  function length(value) {
    return Array.from(value.replace(/\r?\n/g, "\r\n")).length;
  }

  function attach(field) {
    var limit = Number(field.getAttribute("maxlength"));
    if (!limit || limit < COUNT_FROM) { return; }
    field.removeAttribute("maxlength");
    field.setAttribute("data-limit", String(limit));
    var id = (field.id || field.name) + "_count";
    var counter = document.createElement("p");
    counter.className = "help char-count";
    counter.id = id;
    // Announced only when it matters (near or over the limit), not per key.
    var live = document.createElement("span");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    var shown = document.createElement("span");
    shown.setAttribute("aria-hidden", "true");
    counter.appendChild(shown);
    counter.appendChild(live);
    field.insertAdjacentElement("afterend", counter);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + id);
    var lastSaid = "";

    function update() {
      var used = length(field.value);
      var over = used - limit;
      var text = over > 0
        ? number.format(over) + " characters too many: the limit is " + number.format(limit) + "."
        : number.format(used) + " / " + number.format(limit) + " characters";
      shown.textContent = text;
      counter.classList.toggle("char-count-over", over > 0);
      var say = over > 0 ? text : (used >= limit * 0.9 ? number.format(limit - used) + " characters left." : "");
      if (say !== lastSaid) { live.textContent = say; lastSaid = say; }
    }
    field.addEventListener("input", update);
    update();
  }

  var boxes = document.querySelectorAll("textarea[maxlength], input[maxlength][type=text], input[maxlength]:not([type])");
  Array.prototype.forEach.call(boxes, attach);
})();
