"""The journey list and the journey page: Map, Flow, Text, Proposals, step, downloads."""

import io
import re

import pytest

from journeys.domain.schemas import load_document
from journeys.formats import registry
from journeys.store import services as store
from tests.factories import make_journey

EVIL = "<script>alert(1)</script>"


def _journey(**overrides):
    return make_journey(
        steps=[
            {"id": "apply", "stage": "a", "title": "Applies online", "channel": "web",
             "level": 2, "moment_of_truth": True, "emotion": 2,
             "pain_points": [{"text": "Form times out", "severity": 3, "votes": 4}],
             "checks": {}},
            {"id": "review", "stage": "a", "title": "Checks the form", "actor": "back-office"},
            {"id": "decide", "stage": "b", "title": "Gets a decision", "channel": "letter"},
        ],
        transitions=[("apply", "review"), ("review", "decide"),
                     ("review", "apply", "missing evidence", "failure")],
        **overrides)


@pytest.fixture
def journey_id(session):
    return store.import_journey(session=session, actor=store.SYSTEM,
                                journey=_journey(title="Renew a permit"))


def test_lists_the_teams_journeys_with_their_figures_and_a_link(client, session, designer):
    from journeys.store import accounts

    journey_id = store.import_journey(session=session, actor=store.SYSTEM,
                                      journey=_journey(title="Renew a passport"),
                                      team_name="Passports")
    assert "Renew a passport" not in client.get("/").get_data(as_text=True)
    team = accounts.find_team(session=session, actor=store.SYSTEM, name="Passports")
    accounts.add_member(session=session, actor=store.SYSTEM, team_id=team.id,
                        email=designer.email, role="viewer")
    html = client.get("/").get_data(as_text=True)
    assert "Passports" in html
    assert f'href="/journeys/{journey_id}">Renew a passport</a>' in html
    row = html[html.index("Renew a passport"):].split("</tr>", 1)[0]
    assert "L2: 1" in row and "?: 2" in row  # the level mix
    assert ">1 pain point<" in row


def test_user_text_is_escaped(client, session):
    store.import_journey(session=session, actor=store.SYSTEM, journey=make_journey(title=EVIL))
    html = client.get("/").get_data(as_text=True)
    assert EVIL not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_empty_list_says_how_to_start(client):
    html = client.get("/").get_data(as_text=True)
    assert "No journeys yet" in html
    assert "New journey" in html


def test_each_journey_shows_the_id_the_command_line_takes(client, session):
    journey_id = store.import_journey(session=session, actor=store.SYSTEM,
                                      journey=make_journey(title="Renew"))
    html = client.get("/").get_data(as_text=True)
    assert f'numeric">{journey_id}</td>' in html


def test_map_puts_steps_in_actor_lanes_under_their_stage(client, journey_id):
    html = client.get(f"/journeys/{journey_id}").get_data(as_text=True)
    assert "Journey map" in html
    front, back = html.split("Line of visibility", 1)
    assert "Applies online" in front and "Checks the form" not in front
    assert "Checks the form" in back
    assert f'href="/journeys/{journey_id}/steps/apply"' in html
    assert "★ Moment of truth" in html
    assert "Level 2: fixes problems well" in html
    assert "1 pain point" in html
    # The emotion row says the score in words as well as in the bar.
    assert "2 of 5" in html
    assert "Form times out" in html and "severity 3" in html and "4 votes" in html


def test_flow_is_inline_svg_whose_steps_link_to_their_page(client, journey_id):
    html = client.get(f"/journeys/{journey_id}/flow").get_data(as_text=True)
    assert '<svg role="group"' in html
    assert "<?xml" not in html
    links = re.findall(r'<a href="([^"]+)" class="app-flow__link"', html)
    assert links == [f"/journeys/{journey_id}/steps/{s}" for s in ("apply", "review", "decide")]


def test_flow_links_come_from_our_routes_not_from_user_text(client, session):
    journey = _journey(title="T")
    journey.steps[0].title = '"><a href="https://evil.example">x</a>'
    journey_id = store.import_journey(session=session, actor=store.SYSTEM, journey=journey)
    html = client.get(f"/journeys/{journey_id}/flow").get_data(as_text=True)
    assert 'href="https://evil.example"' not in html


def test_text_view_gives_each_step_a_heading_with_an_edit_link(client, journey_id):
    html = client.get(f"/journeys/{journey_id}/text").get_data(as_text=True)
    for n, (step_id, title) in enumerate(
            [("apply", "Applies online"), ("review", "Checks the form"),
             ("decide", "Gets a decision")], start=1):
        assert re.search(rf'<h4 class="govuk-heading-s" id="text-{step_id}">{n}\. {title} '
                         rf'<a class="govuk-link govuk-body-s" '
                         rf'href="/journeys/{journey_id}/steps/{step_id}">Edit', html)
    assert html.count("<h1") == 1


def test_text_view_escapes_user_text(client, session):
    journey = _journey(title="T")
    journey.steps[0].description = EVIL
    journey_id = store.import_journey(session=session, actor=store.SYSTEM, journey=journey)
    html = client.get(f"/journeys/{journey_id}/text").get_data(as_text=True)
    assert EVIL not in html
    assert "&lt;script&gt;" in html


def test_step_page_lists_every_check_and_says_why_some_do_not_apply(client, journey_id):
    html = client.get(f"/journeys/{journey_id}/steps/decide").get_data(as_text=True)
    assert "Gets a decision" in html
    assert "ACC-01" in html and "TRA-01" in html
    # ACC-01 is for digital citizen-facing steps; a letter is not one.
    row = html[html.index("ACC-01"):html.index("ACC-02")]
    assert "Does not apply here" in row
    assert 'name="result"' not in row  # nothing to answer where the check does not apply


def test_step_of_another_journey_or_unknown_is_404(client, journey_id):
    assert client.get(f"/journeys/{journey_id}/steps/nope").status_code == 404
    assert client.get(f"/journeys/{journey_id + 1}/steps/apply").status_code == 404


def test_proposals_can_be_filtered_by_rule_and_stage(client, journey_id):
    page = client.get(f"/journeys/{journey_id}/proposals").get_data(as_text=True)
    total = int(re.search(r"Showing (\d+) of (\d+)", page).group(2))
    assert total > 0
    rule = re.search(r'<option value="(DR\d+)"', page).group(1)
    filtered = client.get(f"/journeys/{journey_id}/proposals?rule={rule}").get_data(as_text=True)
    shown = int(re.search(r"Showing (\d+) of", filtered).group(1))
    assert 0 < shown <= total
    assert set(re.findall(r'govuk-tag--grey">(DR\d+)<', filtered)) == {rule}
    by_stage = client.get(f"/journeys/{journey_id}/proposals?stage=b").get_data(as_text=True)
    assert "apply" not in re.findall(r'/steps/(\w+)"', by_stage.split("app-proposals", 1)[1])


def test_brief_downloads_as_markdown(client, journey_id):
    response = client.get(f"/journeys/{journey_id}/brief.md")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == "attachment; filename=renew-a-permit-brief.md"
    assert response.get_data(as_text=True).startswith("# Design brief: Renew a permit")


def test_rule_reference_lists_every_rule_of_the_registry(client):
    from designer.rules import RULES

    html = client.get("/rules").get_data(as_text=True)
    for rule in RULES:
        assert f'id="{rule.id}"' in html


@pytest.mark.parametrize("fmt", ["json", "mermaid", "md", "dot"])
def test_text_downloads_are_the_bytes_the_registry_writes(client, session, journey_id, fmt):
    journey = store.load_journey(session=session, actor=store.SYSTEM, journey_id=journey_id)
    response = client.get(f"/journeys/{journey_id}/download/{fmt}")
    assert response.status_code == 200
    assert response.data == registry.export(journey, fmt)
    assert response.headers["Content-Type"] == registry.FORMATS[fmt].media_type
    name = registry.export_name(journey, fmt)
    assert response.headers["Content-Disposition"] == f"attachment; filename={name}"


def test_downloads_match_what_the_command_line_writes(client, journeys_cli, journey_id,
                                                       tmp_path):
    for fmt, ext in (("svg", "svg"), ("json", "json"), ("csv", "csv")):
        result = journeys_cli("export", journey_id, "-o", f"out.{ext}")
        assert result.code == 0, result.err
        assert client.get(f"/journeys/{journey_id}/download/{fmt}").data == \
            (tmp_path / f"out.{ext}").read_bytes()


def test_png_and_pdf_download_as_images(client, journey_id):
    assert client.get(f"/journeys/{journey_id}/download/png").data[:8] == b"\x89PNG\r\n\x1a\n"
    assert client.get(f"/journeys/{journey_id}/download/pdf").data[:5] == b"%PDF-"


def test_json_download_round_trips(client, journey_id):
    journey = load_document(client.get(f"/journeys/{journey_id}/download/json").data)
    assert journey.title == "Renew a permit"


def test_an_unknown_format_or_journey_is_404(client, journey_id):
    assert client.get(f"/journeys/{journey_id}/download/exe").status_code == 404
    assert client.get("/journeys/999/download/svg").status_code == 404
    assert client.get("/journeys/999/flow").status_code == 404


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


def _token(client, path="/journeys/new"):
    return re.search(r'name="csrf_token" value="([^"]+)"',
                     client.get(path).get_data(as_text=True)).group(1)


def test_a_blank_journey_starts_with_a_stage_and_a_step(client, session):
    response = client.post("/journeys/new/blank", data={"csrf_token": _token(client),
                                                        "title": "Renew a licence"})
    assert response.status_code == 303
    journey_id = int(response.headers["Location"].rsplit("/", 1)[1])
    journey = store.load_journey(session=session, actor=store.SYSTEM, journey_id=journey_id)
    assert journey.title == "Renew a licence"
    assert len(journey.stages) == len(journey.steps) == 1


def test_a_blank_journey_needs_a_title(client):
    response = client.post("/journeys/new/blank", data={"csrf_token": _token(client),
                                                        "title": " "})
    assert response.status_code == 422
    assert "Enter the journey&#39;s title" in response.get_data(as_text=True)


def test_a_journey_from_a_template(client, session):
    name = store.demo_documents()[0][0]
    response = client.post("/journeys/new/template", data={"csrf_token": _token(client),
                                                           "template": name})
    assert response.status_code == 303


def test_an_upload_lists_every_problem_next_to_it(client, session):
    bad = (b'{"format": "citizen-journey/1", "title": "", "stages": [], '
           b'"steps": [{"id": "a", "stage": "x", "title": "A", "channel": "fax"}]}')
    response = client.post("/journeys/new/upload", content_type="multipart/form-data", data={
        "csrf_token": _token(client), "file": (io.BytesIO(bad), "bad.json")})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for path in ("title", "stages", "steps[0].channel"):
        assert f"<code>{path}</code>" in html
    assert store.list_journeys(session=session, actor=store.SYSTEM) == []


def test_an_upload_of_the_wrong_type_is_refused(client):
    response = client.post("/journeys/new/upload", content_type="multipart/form-data", data={
        "csrf_token": _token(client), "file": (io.BytesIO(b"MZ"), "tool.exe")})
    assert response.status_code == 422
    assert "Upload a .json journey document" in response.get_data(as_text=True)


def test_a_mermaid_upload_is_imported(client, session):
    text = b"journey\n  title Renew\n  section Apply\n    Fill the form: 3: Citizen\n"
    response = client.post("/journeys/new/upload", content_type="multipart/form-data", data={
        "csrf_token": _token(client), "file": (io.BytesIO(text), "renew.mmd")})
    assert response.status_code == 303


def test_duplicate_as_to_be_then_delete_and_bring_back(client, session, journey_id):
    token = _token(client)
    copy = client.post(f"/journeys/{journey_id}/duplicate", data={"csrf_token": token})
    copy_id = int(copy.headers["Location"].rsplit("/", 1)[1])
    assert store.load_journey(session=session, actor=store.SYSTEM,
                              journey_id=copy_id).state == "to-be"
    client.post(f"/journeys/{copy_id}/delete", data={"csrf_token": token})
    assert client.get(f"/journeys/{copy_id}").status_code == 404
    assert "Renew a permit" in client.get("/journeys/deleted").get_data(as_text=True)
    client.post(f"/journeys/{copy_id}/undelete", data={"csrf_token": token})
    assert client.get(f"/journeys/{copy_id}").status_code == 200
