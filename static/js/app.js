// Progressive enhancement only: every page works without this script.
import { initAll } from "../vendor/govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported");
initAll();

let focusedId = null;
let focusedValue = null;
let swappedId = null;

// Before a swap, remember where the user is and what they are typing there, so a
// section saved behind them never takes their place or their words away.
document.body.addEventListener("htmx:beforeSwap", (event) => {
  swappedId = event.detail.target ? event.detail.target.id : null;
  const active = document.activeElement;
  focusedId = active && active.id ? active.id : null;
  focusedValue = active && "value" in active && active.matches("input[type=text], textarea")
    ? active.value : null;
});

document.body.addEventListener("htmx:afterSwap", (event) => {
  // An outerHTML swap replaces the target: find its successor by id.
  const root = (swappedId && document.getElementById(swappedId)) || document.body;
  // Every form on the page edits the same journey: keep their versions current.
  const version = event.detail.xhr && event.detail.xhr.getResponseHeader("X-Journey-Version");
  if (version) {
    document.querySelectorAll("input[name=expected_version]").forEach((input) => {
      input.value = version;
    });
  }
  const status = document.getElementById("status");
  const message = root.querySelector("[data-status]");
  if (message && status) {
    status.textContent = "";
    window.setTimeout(() => { status.textContent = message.dataset.status; }, 50);
  }
  // Focus: the first error or conflict of the swapped content, else back where it was.
  const flagged = root.querySelector("[data-focus], .govuk-error-message");
  const previous = focusedId ? document.getElementById(focusedId) : null;
  const target = (flagged && !flagged.closest("[hidden]") ? flagged : previous) ||
    (swappedId ? root.querySelector("[data-status]") || root : null);
  if (previous && focusedValue !== null && previous.value !== focusedValue &&
      previous === target) {
    previous.value = focusedValue;
  }
  if (target) {
    if (!target.matches("a, button, input, select, textarea, [tabindex]")) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus();
  }
});
