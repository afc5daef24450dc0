// The workshop pages' enhancement: every form works without this script.
// After htmx swaps a step, focus goes to its first error or its thank-you banner, and
// the polite live region says what changed; a poll moves focus only to say it closed.
(function () {
  "use strict";
  var focusedId = null;

  // A refusal that says what is wrong (expired form, not found, too fast) is shown in
  // place, like a 422.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if ((status === 400 || status === 404 || status === 429) &&
        event.detail.xhr.responseText) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
    var active = document.activeElement;
    focusedId = active && active.id ? active.id : null;
  });

  document.body.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (!target || !target.id) { return; }
    var root = document.getElementById(target.id) || target;
    if (target.id === "poll") {
      // The lists were refreshed behind the participant: keep their place.
      var previous = focusedId && document.getElementById(focusedId);
      if (previous && document.activeElement !== previous &&
          (document.activeElement === document.body || !document.activeElement)) {
        previous.focus();
      }
      if (root.getAttribute("role") === "alert") { root.focus(); }
      return;
    }
    var flagged = root.querySelector(".govuk-error-message, [data-focus]");
    var message = root.querySelector("[data-status]");
    var status = document.getElementById("status");
    if (message && status) {
      status.textContent = "";
      window.setTimeout(function () { status.textContent = message.dataset.status; }, 50);
    }
    var next = flagged || (focusedId && document.getElementById(focusedId)) || root;
    if (next) {
      if (!next.matches("a, button, input, select, textarea, [tabindex]")) {
        next.setAttribute("tabindex", "-1");
      }
      next.focus();
    }
  });
})();
