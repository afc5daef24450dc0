"""Lay a document out while it is being validated: the render command's head start.

Validating a document (Marshmallow, every rule of the format) takes about as long as
importing and running it; ``dot`` runs in its own process. So ``journeys render`` reads
the document once without checks (:func:`unchecked_journey`), builds the diagram and
starts ``dot`` on it, and validates meanwhile. The picture is used only when the
validated journey equals the unchecked one field for field; otherwise (or when the
document is invalid, which stops ``dot``) nothing of the head start is kept. No output
is ever written for a document that does not validate.
"""

import json
import threading
import time
from datetime import date

from journeys.domain.document import (
    CheckAnswer,
    Journey,
    PainPoint,
    Persona,
    Stage,
    Step,
    Transition,
    default_visibility,
)

_STEP_KEYS = ("description", "channel", "actor", "agency", "visibility", "level",
              "target_level", "emotion", "moment_of_truth", "effort_minutes", "wait_days",
              "ideas", "measure", "evidence", "tags")


def _answer(value) -> CheckAnswer:
    if isinstance(value, str):
        return CheckAnswer(value)
    return CheckAnswer(value["result"], value.get("note"), as_object=True)


def _step(d: dict) -> Step:
    fields = {k: d[k] for k in _STEP_KEYS if k in d}
    fields.setdefault("visibility", default_visibility(d.get("actor", "citizen")))
    return Step(id=d["id"], stage=d["stage"], title=d["title"], **fields,
                checks={cid: _answer(a) for cid, a in d.get("checks", {}).items()},
                pain_points=[PainPoint(**p) for p in d.get("pain_points", [])])


def unchecked_journey(raw: bytes) -> Journey | None:
    """The journey a document would be if it were valid, or None when it cannot even be
    read that way. Never trusted: only compared with the validated journey."""
    try:
        d = json.loads(raw.decode("utf-8-sig"))
        persona = d.get("persona")
        reviewed = d.get("reviewed_on")
        return Journey(
            title=d["title"],
            stages=[Stage(**s) for s in d["stages"]],
            steps=[_step(s) for s in d["steps"]],
            transitions=[Transition(t["from"], t["to"], t.get("label"), t.get("kind", "flow"))
                         for t in d.get("transitions", [])],
            service=d.get("service"), service_type=d.get("service_type"),
            organization=d.get("organization"),
            persona=Persona(**persona) if persona is not None else None,
            state=d.get("state", "as-is"),
            reviewed_on=date.fromisoformat(reviewed) if reviewed else None,
        )
    except Exception:  # noqa: BLE001 - any surprise only means no head start
        return None


class EarlyRender:
    """A diagram of an unchecked journey, laid out by ``dot`` in the background."""

    def __init__(self, journey: Journey, fmt: str, build, *, timeout: float | None):
        from journeys.formats import graphviz

        self.journey = journey
        self._graphviz = graphviz
        self._fmt = fmt
        self._child = None
        self._cancelled = False
        self._result: bytes | None = None
        self._error: BaseException | None = None
        started = time.monotonic()
        self.limit = graphviz.render_timeout(timeout)
        self._dot_text = build(journey)
        self._key = graphviz.cache_key(self._dot_text, fmt)
        self._cached = graphviz.default_cache().get(self._key)
        self._thread = None
        if self._cached is None:
            self._thread = threading.Thread(target=self._run, args=(started,), daemon=True)
            self._thread.start()

    def _started(self, child) -> None:
        self._child = child
        if self._cancelled:
            child.kill()

    def _run(self, started: float) -> None:
        try:
            self._result = self._graphviz.run_dot(self._dot_text, self._fmt, timeout=self.limit,
                                                  started=started, on_start=self._started)
        except BaseException as exc:  # noqa: BLE001 - handed to result()
            self._error = exc

    def cancel(self) -> None:
        """Stop ``dot``: the document turned out invalid or different."""
        self._cancelled = True
        if self._child is not None:
            self._child.kill()
        if self._thread is not None:
            self._thread.join()

    def result(self) -> bytes:
        """The finished output, post-processed and cached, as :func:`graphviz.render` gives
        it; raises :class:`graphviz.RenderError` as it would."""
        if self._cached is not None:
            return self._cached
        self._thread.join()
        if self._error is not None:
            raise self._error
        data = self._graphviz.finish(self._result, self._fmt)
        self._graphviz.default_cache().put(self._key, data)
        return data
