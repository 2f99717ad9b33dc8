/*
 * duiding.js: progressive enhancement only. Every page works without it; this file adds
 * conveniences: focus on the error summary after a failed submit, links in that summary that
 * focus their field, and a confirmation before destructive actions (forms with data-confirm).
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

  function init() {
    focusErrorSummary();
    document.addEventListener("click", onSummaryClick);
    document.addEventListener("submit", onSubmit);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
