"""The journey's details form and its stages: save, refuse bad input, conflicts, undo."""

import html as html_lib
import re

import pytest

from journeys.store import services as store
from tests.factories import make_journey


@pytest.fixture
def app(database_url):
    """The app with CSRF checked off (one test below checks the token on these forms)."""
    from journeys.web import create_app

    return create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test",
                       "WTF_CSRF_ENABLED": False})


@pytest.fixture
def journey_id(session):
    journey = make_journey(
        title="Renew a permit",
        stages=[{"id": "a", "name": "Find out"}, {"id": "b", "name": "Apply"},
                {"id": "c", "name": "Wait"}],
        steps=[{"id": "read", "stage": "a"}, {"id": "apply", "stage": "b"},
               {"id": "send", "stage": "b"}, {"id": "wait", "stage": "c"}],
        transitions=[("read", "apply"), ("apply", "send"), ("send", "wait")])
    return store.import_journey(session=session, actor=store.SYSTEM, journey=journey)


def _version(session, journey_id):
    session.expire_all()
    return store.get_journey_row(session=session, actor=store.SYSTEM,
                                 journey_id=journey_id).version


def _stored(session, journey_id):
    session.expire_all()
    return store.load_journey(session=session, actor=store.SYSTEM, journey_id=journey_id)


def _errors(html):
    return [html_lib.unescape(re.sub(r"<[^>]+>", "", m)).replace("Error:", "").strip()
            for m in re.findall(r'class="govuk-error-message"[^>]*>(.*?)</p>', html, re.S)]


def _details(**overrides):
    data = {"title": "Renew a parking permit", "service": "Parking", "service_type": "",
            "organization": "City council", "state": "to-be", "reviewed_on": "2026-03-31",
            "persona_name": "Sam", "persona_description": "Drives to work",
            "persona_needs": "Park near home\n\nKnow the cost\n"}
    return {**data, **overrides}


def test_the_details_are_saved_and_undo_takes_them_back(client, session, journey_id):
    page = client.get(f"/journeys/{journey_id}/details")
    assert page.status_code == 200
    assert 'value="Renew a permit"' in page.get_data(as_text=True)
    version = _version(session, journey_id)
    response = client.post(f"/journeys/{journey_id}/details",
                           data={**_details(), "expected_version": version})
    assert response.status_code == 303
    journey = _stored(session, journey_id)
    assert (journey.title, journey.service, journey.organization, journey.state) == \
        ("Renew a parking permit", "Parking", "City council", "to-be")
    assert journey.reviewed_on.isoformat() == "2026-03-31"
    assert (journey.persona.name, journey.persona.needs) == ("Sam",
                                                              ["Park near home", "Know the cost"])
    assert "Journey details saved." in client.get(response.headers["Location"]).get_data(
        as_text=True)
    undo = client.post(f"/journeys/{journey_id}/undo", data={
        "expected_version": version + 1, "next": f"/journeys/{journey_id}/details"})
    assert undo.headers["Location"] == f"/journeys/{journey_id}/details"
    assert (_stored(session, journey_id).title, _stored(session, journey_id).persona) == \
        ("Renew a permit", None)


def test_saving_unchanged_details_records_nothing(client, session, journey_id):
    version = _version(session, journey_id)
    client.post(f"/journeys/{journey_id}/details", data={
        **_details(), "expected_version": version})
    again = client.post(f"/journeys/{journey_id}/details", data={
        **_details(), "expected_version": version + 1})
    assert again.status_code == 303
    assert _version(session, journey_id) == version + 1
    assert "Nothing changed." in client.get(again.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("title", "  ", "must contain at least one character that is not white space"),
    ("title", "x" * 201, "at most 200"),
    ("state", "maybe", '"maybe" is not one of'),
    ("service_type", "magic", '"magic" is not one of'),
    ("reviewed_on", "31/03/2026", "YYYY-MM-DD"),
    ("persona_name", "", "must contain at least one character"),
    ("persona_needs", "x" * 201, "at most 200"),
])
def test_bad_details_are_refused_next_to_their_field_and_kept(client, session, journey_id,
                                                              field, value, message):
    version = _version(session, journey_id)
    response = client.post(f"/journeys/{journey_id}/details",
                           data={**_details(**{field: value}), "expected_version": version})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<title>Error:" in html
    assert any(message in e for e in _errors(html)), _errors(html)
    assert f'id="{field}-error"' in html
    assert f'href="#{field}"' in html  # the summary links to the field
    assert "Drives to work" in html  # what was typed is kept
    assert _version(session, journey_id) == version
    assert _stored(session, journey_id).title == "Renew a permit"


def test_a_stale_details_edit_shows_who_changed_what(client, session, journey_id):
    version = _version(session, journey_id)
    store.update_journey(session=session, actor=store.SYSTEM, journey_id=journey_id,
                         changes={"title": "Theirs"}, expected_version=version)
    response = client.post(f"/journeys/{journey_id}/details",
                           data={**_details(title="Mine"), "expected_version": version})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Changed by command line" in html
    assert "Theirs" in html and 'value="Mine"' in html
    assert f'name="expected_version" value="{version + 1}"' in html
    assert _stored(session, journey_id).title == "Theirs"
    mine = client.post(f"/journeys/{journey_id}/details",
                       data={**_details(title="Mine"), "expected_version": version + 1})
    assert mine.status_code == 303
    assert _stored(session, journey_id).title == "Mine"


def test_a_stage_is_renamed_and_a_bad_name_refused(client, session, journey_id):
    version = _version(session, journey_id)
    ok = client.post(f"/journeys/{journey_id}/stages/b", data={
        "name": "Apply online", "description": "On the council's site",
        "expected_version": version})
    assert ok.status_code == 303
    assert _stored(session, journey_id).stages[1].name == "Apply online"
    bad = client.post(f"/journeys/{journey_id}/stages/b", data={
        "name": "x" * 101, "expected_version": version + 1})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert any("at most 100" in e for e in _errors(html))
    assert 'href="#stage-b-name"' in html and 'id="stage-b-name"' in html
    assert _stored(session, journey_id).stages[1].name == "Apply online"


def test_stages_move_up_and_down_by_buttons(client, session, journey_id):
    version = _version(session, journey_id)
    moved = client.post(f"/journeys/{journey_id}/stages/c/move",
                        data={"to": "earlier", "expected_version": version})
    assert moved.headers["Location"] == f"/journeys/{journey_id}/details#stage-c"  # back to it
    assert [s.id for s in _stored(session, journey_id).stages] == ["a", "c", "b"]
    client.post(f"/journeys/{journey_id}/stages/a/move",
                data={"to": "later", "expected_version": version + 1})
    assert [s.id for s in _stored(session, journey_id).stages] == ["c", "a", "b"]
    assert client.post(f"/journeys/{journey_id}/stages/a/move", data={
        "to": "sideways", "expected_version": version + 2}).status_code == 400


def test_deleting_a_stage_moves_its_steps_where_the_user_chose(client, session, journey_id):
    version = _version(session, journey_id)
    response = client.post(f"/journeys/{journey_id}/stages/b/delete", data={
        "steps": "move", "move_to": "c", "expected_version": version})
    assert response.status_code == 303
    journey = _stored(session, journey_id)
    assert [s.id for s in journey.stages] == ["a", "c"]
    assert [(s.id, s.stage) for s in journey.steps][1:3] == [("apply", "c"), ("send", "c")]
    client.post(f"/journeys/{journey_id}/undo", data={"expected_version": version + 1})
    assert [s.id for s in _stored(session, journey_id).stages] == ["a", "b", "c"]


def test_deleting_a_stage_with_its_steps(client, session, journey_id):
    version = _version(session, journey_id)
    client.post(f"/journeys/{journey_id}/stages/b/delete", data={
        "steps": "delete", "expected_version": version})
    journey = _stored(session, journey_id)
    assert [s.id for s in journey.steps] == ["read", "wait"]


@pytest.mark.parametrize(("data", "field", "message"), [
    ({}, "steps", "Choose what happens to the stage's steps"),
    ({"steps": "move", "move_to": ""}, "move_to", "Choose the stage the steps move to"),
    ({"steps": "move", "move_to": "b"}, "move_to", "Choose the stage the steps move to"),
    ({"steps": "move", "move_to": "zzz"}, "move_to", "Choose the stage the steps move to"),
])
def test_deleting_a_stage_needs_a_choice_for_its_steps(client, session, journey_id, data,
                                                       field, message):
    version = _version(session, journey_id)
    response = client.post(f"/journeys/{journey_id}/stages/b/delete",
                           data={**data, "expected_version": version})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in _errors(html)
    assert f'href="#stage-b-{"steps-move" if field == "steps" else field}"' in html
    assert len(_stored(session, journey_id).stages) == 3


def test_the_last_stage_cannot_be_deleted(client, session):
    journey_id = store.import_journey(session=session, actor=store.SYSTEM, journey=make_journey(
        stages=[{"id": "a", "name": "Only"}], steps=[{"id": "s1"}]))
    response = client.post(f"/journeys/{journey_id}/stages/a/delete", data={
        "steps": "delete", "expected_version": _version(session, journey_id)})
    assert response.status_code == 422
    assert any("at least one" in e for e in _errors(response.get_data(as_text=True)))


def test_a_stale_stage_edit_is_refused_with_who_changed_it(client, session, journey_id):
    version = _version(session, journey_id)
    store.update_journey(session=session, actor=store.SYSTEM, journey_id=journey_id,
                         changes={"title": "Theirs"}, expected_version=version)
    response = client.post(f"/journeys/{journey_id}/stages/b", data={
        "name": "Mine", "expected_version": version})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "command line changed the journey" in html
    assert 'value="Mine"' in html
    assert _stored(session, journey_id).stages[1].name == "Apply"


@pytest.mark.parametrize("path", ["stages/zzz", "stages/zzz/move", "stages/zzz/delete"])
def test_an_unknown_stage_is_404(client, session, journey_id, path):
    response = client.post(f"/journeys/{journey_id}/{path}", data={
        "name": "x", "to": "later", "expected_version": _version(session, journey_id)})
    assert response.status_code == 404


def test_another_teams_journey_is_404_and_a_viewer_cannot_edit(app, client, session,
                                                              journey_id):
    from journeys.store import accounts
    from tests.journeys.web.conftest import sign_in

    other = store.import_journey(session=session, actor=store.SYSTEM, journey=make_journey(),
                                 team_name="Another team")
    assert client.get(f"/journeys/{other}/details").status_code == 404
    accounts.create_user(session=session, email="vi@example.org", password="a long password!")
    team = store.get_journey_row(session=session, actor=store.SYSTEM,
                                 journey_id=journey_id).team_id
    accounts.add_member(session=session, actor=store.SYSTEM, team_id=team,
                        email="vi@example.org", role="viewer")
    viewer = app.test_client()
    sign_in(viewer, "vi@example.org", "a long password!")
    response = viewer.post(f"/journeys/{journey_id}/details", data={
        **_details(), "expected_version": _version(session, journey_id)})
    assert response.status_code == 403
    assert _stored(session, journey_id).title == "Renew a permit"


def test_the_forms_need_the_csrf_token(database_url, designer, session, journey_id):
    from journeys.web import create_app
    from tests.journeys.web.conftest import sign_in

    client = create_app({"TESTING": True, "DATABASE_URL": database_url,
                         "SECRET_KEY": "test"}).test_client()
    sign_in(client, designer.email)
    for path in ("details", "stages/b", "stages/b/move", "stages/b/delete"):
        response = client.post(f"/journeys/{journey_id}/{path}", data={
            **_details(), "name": "x", "to": "later", "steps": "delete",
            "expected_version": _version(session, journey_id)})
        assert response.status_code == 400, path
    html = client.get(f"/journeys/{journey_id}/details").get_data(as_text=True)
    assert html.count('name="csrf_token"') >= 4
    assert _stored(session, journey_id).title == "Renew a permit"
