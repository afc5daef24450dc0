"""The journey list page."""

from journeys.store import services as store
from tests.factories import make_journey


def test_lists_stored_journeys_with_their_team(client, session):
    store.import_journey(
        session=session, actor=store.SYSTEM, journey=make_journey(title="Renew a passport"),
        team_name="Passports")
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Renew a passport" in html
    assert "Passports" in html


def test_user_text_is_escaped(client, session):
    store.import_journey(
        session=session, actor=store.SYSTEM,
        journey=make_journey(title="<script>alert(1)</script>"))
    html = client.get("/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_empty_list_says_how_to_start(client):
    html = client.get("/").get_data(as_text=True)
    assert "No journeys yet" in html
    assert "journeys demo" in html


def test_each_journey_shows_the_id_the_command_line_takes(client, session):
    journey_id = store.import_journey(
        session=session, actor=store.SYSTEM, journey=make_journey(title="Renew"))
    html = client.get("/").get_data(as_text=True)
    assert f"<td>{journey_id}</td>" in html


def test_without_a_configured_secret_one_is_made_once_and_kept_private(database_url, tmp_path,
                                                                       monkeypatch):
    from journeys.web import create_app

    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = create_app({"DATABASE_URL": database_url})
    again = create_app({"DATABASE_URL": database_url})
    key_file = tmp_path / "instance" / "secret_key"
    assert first.config["SECRET_KEY"] == again.config["SECRET_KEY"] == key_file.read_text()
    assert len(first.config["SECRET_KEY"]) == 64
    assert key_file.stat().st_mode & 0o777 == 0o600
