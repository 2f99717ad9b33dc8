/*
 * duiding.js: progressive enhancement only. Every page works without it; this file adds
 * conveniences: focus on the error summary after a failed submit, links in that summary that
 * focus their field, a confirmation before destructive actions (forms with data-confirm), and
 * live progress on the import progress page (data-voortgang).
 * Loaded with `defer` from /static (CSP script-src 'self'; no inline script anywhere).
 */
(function () {
  "use strict";

  // After a failed submit, screen-reader and keyboard users should land on the list of
  // problems first, not at the top of the page.
  function focusErrorSummary() {
    var summary = document.querySelector(".duiding-error-summary");
    if (!summary) {
      return;
    }
    if (!summary.hasAttribute("tabindex")) {
      summary.setAttribute("tabindex", "-1");
    }
    summary.focus();
    summary.scrollIntoView({ block: "start" });
  }

  // A link "#veld-x" in the summary: focus the field and show its label above it. Without
  // this the browser scrolls to the input but leaves focus where it was.
  function onSummaryClick(event) {
    var link = event.target.closest ? event.target.closest("a[href^='#veld-']") : null;
    if (!link || !link.closest(".duiding-error-summary")) {
      return;
    }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) {
      return;
    }
    event.preventDefault();
    var wrapper = field.closest(".utrecht-form-field, .utrecht-form-fieldset") || field;
    wrapper.scrollIntoView({ block: "start" });
    var target = field;
    if (field.tagName === "FIELDSET") {
      target = field.querySelector("input, select, textarea") || field;
    }
    target.focus({ preventScroll: true });
  }

  // Forms that change something hard to undo carry data-confirm="question".
  function onSubmit(event) {
    var form = event.target;
    if (!form || !form.getAttribute) {
      return;
    }
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  }

  // The progress page of an import: poll its JSON status every 500 ms, move the bar, and go
  // to the report when the import is over. Without JavaScript the page reloads itself every
  // two seconds instead (a <meta refresh> inside <noscript>). Texts come from the page, which
  // is translated, as templates with {p} (percentage) and {r} (records).
  function watchProgress() {
    var box = document.querySelector("[data-voortgang]");
    if (!box || !window.fetch || !window.JSON) {
      return;
    }
    var url = box.getAttribute("data-voortgang");
    var bar = box.querySelector("progress");
    var status = box.querySelector(".duiding-progress__status");
    var template = box.getAttribute("data-tekst") || "";
    var lang = document.documentElement.getAttribute("lang") || "nl";
    var failures = 0;

    function show(j) {
      if (bar && typeof j.percentage === "number" && j.percentage >= 0) {
        bar.value = j.percentage;
        bar.textContent = j.percentage + "%";
      }
      if (status && template && j.status !== "wachtrij") {
        var records = typeof j.records === "number" ? j.records.toLocaleString(lang) : "";
        status.textContent = template
          .replace("{p}", j.percentage >= 0 ? String(j.percentage) : "?")
          .replace("{r}", records);
      }
    }

    function tick() {
      window
        .fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (res) {
          if (!res.ok) {
            throw new Error("HTTP " + res.status);
          }
          return res.json();
        })
        .then(function (j) {
          failures = 0;
          show(j);
          if (j.klaar) {
            // Over: go to the report, or reload this page for its final message.
            var here = window.location.pathname + window.location.search;
            if (j.doel && j.doel !== here) {
              window.location.assign(j.doel);
            } else {
              window.location.reload();
            }
            return;
          }
          window.setTimeout(tick, 500);
        })
        .catch(function () {
          // A few misses (a restart, a network blip) are retried; then reload the page, which
          // tells what happened.
          failures += 1;
          if (failures > 5) {
            window.location.reload();
            return;
          }
          window.setTimeout(tick, 2000);
        });
    }
    window.setTimeout(tick, 500);
  }

  function init() {
    focusErrorSummary();
    watchProgress();
    document.addEventListener("click", onSummaryClick);
    document.addEventListener("submit", onSubmit);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
