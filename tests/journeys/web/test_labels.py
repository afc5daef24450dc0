"""The interface's names for the format's values: the levels come from the domain's words."""

from pathlib import Path

from babel.messages.pofile import read_po
from flask_babel import force_locale

from journeys.domain.document import LEVEL_MEANINGS, level_meaning
from journeys.web import labels

CATALOGUE = Path(labels.__file__).parent / "translations" / "fr" / "LC_MESSAGES" / "messages.po"


def test_the_level_labels_are_the_domains_words(app):
    with app.test_request_context():
        assert {n: str(text) for n, text in labels.LEVELS.items()} == \
            {n: level_meaning(n) for n in LEVEL_MEANINGS}


def test_every_level_meaning_is_translated(app):
    # Babel cannot extract them from the domain, so the catalogue must carry each by hand.
    with CATALOGUE.open("rb") as f:
        catalogue = read_po(f)
    for meaning in LEVEL_MEANINGS.values():
        assert catalogue.get(meaning) is not None and catalogue.get(meaning).string, meaning
    with app.test_request_context(), force_locale("fr"):
        assert str(labels.LEVELS[2]) == "Niveau 2 : résout bien les problèmes"
