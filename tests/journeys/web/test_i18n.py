"""The interface in English and French; journey content stays as written."""

import re

from journeys.store import services as store
from tests.factories import make_journey


def _choose(client, language, next_path="/"):
    html = client.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    return client.post("/language", data={"language": language, "next": next_path,
                                          "csrf_token": token})


def test_english_by_default(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="en"' in html
    assert "Skip to content" in html


def test_choosing_french_translates_the_interface_not_the_journey(client, session):
    journey_id = store.import_journey(session=session, actor=store.SYSTEM,
                                      journey=make_journey(title="Register a birth"))
    response = _choose(client, "fr", f"/journeys/{journey_id}")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/journeys/{journey_id}"
    html = client.get(f"/journeys/{journey_id}").get_data(as_text=True)
    assert '<html lang="fr"' in html
    assert "Carte du parcours" in html
    assert "Aller au contenu" in html
    assert "Register a birth" in html  # the team's own words are not translated


def test_dates_are_formatted_for_the_locale(client, session):
    store.import_journey(session=session, actor=store.SYSTEM, journey=make_journey())
    english = client.get("/").get_data(as_text=True)
    _choose(client, "fr")
    french = client.get("/").get_data(as_text=True)
    months_en = re.search(r"<time[^>]*>([^<]+)</time>", english).group(1)
    months_fr = re.search(r"<time[^>]*>([^<]+)</time>", french).group(1)
    assert months_en != months_fr
    assert re.search(r"\d{4}", months_fr)
    # English as public services write it: day before month, 24-hour time.
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2,3} \d{4}, \d{2}:\d{2}:\d{2}", months_en), months_en


def test_an_unknown_language_is_ignored(client):
    _choose(client, "xx")
    assert '<html lang="en"' in client.get("/").get_data(as_text=True)


def test_the_language_switch_never_redirects_off_the_site(client):
    response = _choose(client, "fr", "//evil.example/")
    assert response.headers["Location"] == "/"
    response = _choose(client, "fr", "https://evil.example/")
    assert response.headers["Location"] == "/"


def test_every_french_message_is_translated():
    from babel.messages.pofile import read_po

    from journeys.web import i18n

    folder = i18n.__file__.rsplit("/", 1)[0] + "/translations"
    with open(f"{folder}/fr/LC_MESSAGES/messages.po", "rb") as f:
        catalogue = read_po(f)
    untranslated = [m.id for m in catalogue if m.id and not (
        all(m.string) if isinstance(m.string, tuple) else m.string)]
    assert untranslated == []


def test_every_message_of_the_pages_is_in_the_french_catalogue():
    # A sentence added to a page or a view without its translation would show in
    # English to a French room.
    from pathlib import Path

    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import read_po

    from journeys.web import i18n

    root = Path(__file__).resolve().parents[3]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None,
                "lazy_gettext": None}
    wanted = set()
    for folder, method in ((root / "journeys" / "web", ("**.py", "python")),
                           (root / "templates", ("**.html", "jinja2"))):
        for *_where, message, _comments, _context in extract_from_dir(
                folder, [method], keywords=keywords):
            wanted.add(message if isinstance(message, str) else message[0])
    folder = Path(i18n.__file__).parent / "translations"
    with open(folder / "fr" / "LC_MESSAGES" / "messages.po", "rb") as f:
        catalogue = read_po(f)
    assert len(wanted) > 500
    assert sorted(m for m in wanted if m not in catalogue) == []

