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

// A quiet room: after the number of empty polls the server named, poll at its slower
// interval until the next change (whose partial comes back with the usual interval).
document.addEventListener("htmx:afterRequest", (event) => {
  const region = event.detail.elt;
  if (!(region instanceof Element) || !region.matches("[data-quiet-trigger]")) return;
  if (!event.detail.xhr || event.detail.xhr.status !== 204) return;
  const quiet = Number(region.dataset.quiet || 0) + 1;
  region.dataset.quiet = String(quiet);
  const active = document.activeElement;
  if (quiet < Number(region.dataset.quietPolls) || (active && region.contains(active))) return;
  const slower = region.cloneNode(true);
  slower.setAttribute("hx-trigger", region.dataset.quietTrigger);
  slower.removeAttribute("data-quiet-trigger");
  region.replaceWith(slower);
  window.htmx.process(slower);
});
