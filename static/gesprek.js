// gesprek.js: the timer per phase of the run-sheet (/gesprekken/{id}/houden). Progressive
// enhancement only: without JavaScript the page shows the planned minutes as text. No inline
// script or style (CSP); the clock is announced politely only when the planned time is up.
// Every word comes from data-label-* attributes the page renders through gettext
// (web/page_conversation_hold.c): this file holds no Dutch or English text. Without the labels
// the timer is not added and the planned minutes stay as text.
"use strict";
(function () {
  function fmt(s) {
    var neg = s < 0;
    s = Math.abs(s);
    var m = Math.floor(s / 60);
    var r = s % 60;
    return (neg ? "-" : "") + m + ":" + (r < 10 ? "0" : "") + r;
  }
  function setup(p) {
    var label = {};
    var keys = ["start", "pauze", "verder", "opnieuw", "om", "klok"];
    for (var k = 0; k < keys.length; k++) {
      label[keys[k]] = p.getAttribute("data-label-" + keys[k]);
      if (!label[keys[k]]) return;
    }
    var planned = parseInt(p.getAttribute("data-minuten"), 10) || 0;
    // No time planned: a stopwatch that counts up; else a countdown that shows overtime as -m:ss.
    var up = planned <= 0;
    var left = up ? 0 : planned * 60;
    var timer = null;
    var clock = document.createElement("span");
    clock.className = "duiding-timer__clock";
    clock.setAttribute("role", "timer");
    clock.setAttribute("aria-label", label.klok);
    clock.textContent = fmt(left);
    var live = document.createElement("span");
    live.className = "duiding-visually-hidden";
    live.setAttribute("aria-live", "polite");
    var start = document.createElement("button");
    start.type = "button";
    start.className = "utrecht-button utrecht-button--secondary-action";
    start.textContent = label.start;
    var reset = document.createElement("button");
    reset.type = "button";
    reset.className = "utrecht-button utrecht-button--subtle";
    reset.textContent = label.opnieuw;
    function tick() {
      left += up ? 1 : -1;
      clock.textContent = fmt(left);
      if (!up && left === 0) {
        p.classList.add("duiding-timer--over");
        live.textContent = label.om;
      }
    }
    start.addEventListener("click", function () {
      if (timer) {
        clearInterval(timer);
        timer = null;
        start.textContent = label.verder;
      } else {
        timer = setInterval(tick, 1000);
        start.textContent = label.pauze;
      }
    });
    reset.addEventListener("click", function () {
      if (timer) clearInterval(timer);
      timer = null;
      left = up ? 0 : planned * 60;
      clock.textContent = fmt(left);
      start.textContent = label.start;
      p.classList.remove("duiding-timer--over");
      live.textContent = "";
    });
    p.textContent = "";
    p.appendChild(clock);
    p.appendChild(start);
    p.appendChild(reset);
    p.appendChild(live);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var all = document.querySelectorAll(".duiding-timer[data-minuten]");
    for (var i = 0; i < all.length; i++) setup(all[i]);
  });
})();
