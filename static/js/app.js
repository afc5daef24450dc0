// Progressive enhancement only: every page works without this script.
import { initAll } from "../vendor/govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported");
initAll();

// After an htmx swap, move focus where the user expects (an element marked
// data-focus, else the first error) and announce the swap's status message.
document.body.addEventListener("htmx:afterSwap", (event) => {
  const root = event.detail.target;
  const target = root.querySelector("[data-focus], .govuk-error-message") ||
    (root.matches("[data-focus]") ? root : null);
  if (target) {
    if (!target.hasAttribute("tabindex") && !target.matches("a, button, input, select, textarea")) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus();
  }
  const message = root.querySelector("[data-status]");
  const status = document.getElementById("status");
  if (message && status) {
    status.textContent = message.dataset.status;
  }
});
