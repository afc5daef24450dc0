// The workshop's live board and projector poll with htmx (the pages work without it:
// reload them). This keeps the polling out of the way of the facilitator.

const polled = (event) => event.target instanceof Element && event.target.closest("[data-poll]");

// A poll's swap is not the user's doing: the page's focus handling must not move focus.
["htmx:beforeSwap", "htmx:afterSwap"].forEach((name) => {
  document.addEventListener(name, (event) => {
    if (!polled(event)) return;
    if (name === "htmx:beforeSwap") {
      const region = polled(event);
      const active = document.activeElement;
      // Never replace what the facilitator is moderating: an open form, a focused field.
      const busy = region.querySelector("details[open]") ||
        (active && region.contains(active) && active.matches("input, textarea, select"));
      if (busy && event.detail.xhr && event.detail.xhr.status === 200) {
        event.detail.shouldSwap = false;
      }
    }
    event.stopPropagation();
  }, true);
});
