// The workshop's live board and projector poll with htmx (the pages work without it:
// reload them). This keeps the polling out of the way of the facilitator.

const polled = (event) => event.target instanceof Element && event.target.closest("[data-poll]");

// Where focus was, to put it back on the same control in the refreshed board: its id,
// else its link's address, else its form's.
const focusKey = (el) => {
  if (el.id) return `#${CSS.escape(el.id)}`;
  if (el.matches("a[href]")) return `a[href="${CSS.escape(el.getAttribute("href"))}"]`;
  const form = el.closest("form[action]");
  if (form && el.matches("button")) {
    return `form[action="${CSS.escape(form.getAttribute("action"))}"] button`;
  }
  return null;
};
let refocus = null;

// A poll's swap is not the user's doing: the page's focus handling must not move focus,
// and a facilitator going through the board with the keyboard keeps their place.
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
      refocus = !busy && active && region.contains(active) ? focusKey(active) : null;
    } else if (refocus) {
      const again = document.querySelector(refocus);
      if (again) again.focus({ preventScroll: true });
      refocus = null;
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
