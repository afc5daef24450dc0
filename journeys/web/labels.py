"""The format's values as the interface names them, in the interface's language.

The document keeps its English keys (``back-office``, ``counter``); only what a person
reads is translated.
"""

from flask_babel import lazy_gettext as _l

from journeys.domain.document import LEVEL_MEANINGS

ACTORS = {
    "citizen": _l("Citizen"), "frontline": _l("Frontline staff"),
    "back-office": _l("Back office"), "partner": _l("Partner"), "system": _l("System"),
}
CHANNELS = {
    "web": _l("web"), "app": _l("app"), "email": _l("email"), "sms": _l("SMS"),
    "phone": _l("phone"), "letter": _l("letter"), "counter": _l("counter"),
    "home-visit": _l("home visit"), "kiosk": _l("kiosk"), "video": _l("video"),
    "chat": _l("chat"), "partner": _l("partner"), "none": _l("no contact"),
}
# The domain's own words for each level (the diagram draws the same), translated: one source.
# Babel cannot extract them from a variable, so the catalogue carries them by hand and a
# test keeps every one translated.
LEVELS = {n: _l("Level %(n)s: %(meaning)s", n=n, meaning=_l(meaning))  # noqa: INT001
          for n, meaning in LEVEL_MEANINGS.items()}
STATES = {"as-is": _l("as-is"), "to-be": _l("to-be")}
RESULTS = {"pass": _l("pass"), "fail": _l("fail"), "partial": _l("partial"), "n/a": _l("n/a")}
EVIDENCE = {"observed": _l("observed"), "reported": _l("reported"), "data": _l("data"),
            "assumed": _l("assumed")}
SOURCES = {"team": _l("the team"), "citizen": _l("a citizen"), "data": _l("data")}
CATEGORIES = {
    "waiting": _l("waiting"), "effort": _l("effort"), "confusion": _l("confusion"),
    "access": _l("access"), "cost": _l("cost"), "trust": _l("trust"),
    "repetition": _l("repetition"), "emotional": _l("emotional"), "other": _l("other"),
}
KINDS = {"flow": _l("flow"), "alternative": _l("alternative"), "failure": _l("failure"),
         "rework": _l("rework")}
ROLES = {"viewer": _l("viewer"), "editor": _l("editor"), "owner": _l("owner")}


def all_labels() -> dict:
    """Every table, for templates (``labels.actors['citizen']``)."""
    return {"actors": ACTORS, "channels": CHANNELS, "levels": LEVELS, "states": STATES,
            "results": RESULTS, "evidence": EVIDENCE, "sources": SOURCES,
            "categories": CATEGORIES, "kinds": KINDS, "roles": ROLES}
