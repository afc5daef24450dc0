"""The step editor: saves, errors next to the field, conflicts, undo and history."""

import html as html_lib
import re

import pytest

from journeys.store import services as store
from tests.factories import make_journey

HX = {"HX-Request": "true"}


@pytest.fixture
def app(database_url):
    """The app with CSRF checked off: the security tests cover the token itself."""
    from journeys.web import create_app

    return create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test",
                       "WTF_CSRF_ENABLED": False})


@pytest.fixture
def journey_id(session):
    journey = make_journey(steps=[
        {"id": "apply", "stage": "a", "title": "Applies online"},
        {"id": "wait", "stage": "a", "title": "Waits", "actor": "back-office"},
        {"id": "decide", "stage": "b", "title": "Gets a decision", "channel": "letter"},
    ], transitions=[("apply", "wait"), ("wait", "decide")])
    return store.import_journey(session=session, actor=store.SYSTEM, journey=journey)


def _version(client, journey_id):
    html = client.get(f"/journeys/{journey_id}/steps/apply").get_data(as_text=True)
    return int(re.search(r'name="expected_version" value="(\d+)"', html).group(1))


def _stored(session, journey_id):
    session.expire_all()
    return store.load_journey(session=session, actor=store.SYSTEM, journey_id=journey_id)


def _errors(html):
    return [html_lib.unescape(re.sub(r"<[^>]+>", "", m)).replace("Error:", "").strip()
            for m in re.findall(r'class="govuk-error-message"[^>]*>(.*?)</p>', html, re.S)]


def test_saving_a_step_field_without_javascript_redirects_to_the_step(client, session,
                                                                      journey_id):
    response = client.post(f"/journeys/{journey_id}/steps/apply", data={
        "expected_version": _version(client, journey_id), "title": "Applies on the web",
        "level": "3", "moment_of_truth_shown": "1", "moment_of_truth": "1",
        "effort_minutes": "12,5"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/journeys/{journey_id}/steps/apply#details"
    step = _stored(session, journey_id).steps[0]
    assert (step.title, step.level, step.moment_of_truth, step.effort_minutes) == \
        ("Applies on the web", 3, True, 12.5)
    assert "Step saved." in client.get(response.headers["Location"]).get_data(as_text=True)


def test_with_htmx_the_section_comes_back_with_the_new_version(client, journey_id):
    version = _version(client, journey_id)
    response = client.post(f"/journeys/{journey_id}/steps/apply", headers=HX, data={
        "expected_version": version, "title": "Applies", "level": "2"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="details"')
    assert 'data-status="Step saved."' in html
    assert response.headers["X-Journey-Version"] == str(version + 1)
    assert response.headers["HX-Trigger"] == "journey-changed"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("effort_minutes", "abc", 'expected a number ≥ 0 or null, got "abc"'),
    ("title", "   ", "must contain at least one character that is not white space"),
    ("title", "x" * 201, "at most 200"),
    ("channel", "fax", '"fax" is not one of'),
])
def test_a_bad_value_is_refused_next_to_its_field_and_kept(client, session, journey_id,
                                                           field, value, message):
    data = {"expected_version": _version(client, journey_id), "title": "Applies online",
            "agency": "Typed agency", field: value}
    response = client.post(f"/journeys/{journey_id}/steps/apply", headers=HX, data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert any(message in e for e in _errors(html)), _errors(html)
    group = html[html.index(f'for="{field}"') - 300:html.index(f'id="{field}"') + 200]
    assert "govuk-form-group--error" in group
    assert 'value="Typed agency"' in html  # nothing typed is lost
    assert _stored(session, journey_id).steps[0].agency is None  # nothing stored


def test_a_stale_edit_shows_who_changed_it_both_values_and_a_choice(client, session,
                                                                   journey_id):
    stale = _version(client, journey_id)
    store.update_step(session=session, actor=store.SYSTEM, journey_id=journey_id,
                      step_id="apply", changes={"title": "Their title"},
                      expected_version=stale)
    response = client.post(f"/journeys/{journey_id}/steps/apply", headers=HX, data={
        "expected_version": stale, "title": "My title"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Changed by command line at" in html
    assert "Their title" in html and "My title" in html
    assert "Apply mine" in html and "Keep theirs" in html
    # Applying mine sends the form again on the current version.
    current = re.search(r'name="expected_version" value="(\d+)"', html).group(1)
    assert int(current) == stale + 1
    again = client.post(f"/journeys/{journey_id}/steps/apply", headers=HX, data={
        "expected_version": current, "title": "My title"})
    assert again.status_code == 200
    assert _stored(session, journey_id).steps[0].title == "My title"


def test_answering_a_check_with_a_note(client, session, journey_id):
    response = client.post(f"/journeys/{journey_id}/steps/apply/checks/ACC-01", headers=HX,
                           data={"expected_version": _version(client, journey_id),
                                 "result": "fail", "note": "No phone route"})
    assert response.status_code == 200
    assert response.get_data(as_text=True).lstrip().startswith('<div class="app-check"')
    answer = _stored(session, journey_id).steps[0].checks["ACC-01"]
    assert (answer.result, answer.note) == ("fail", "No phone route")


def test_an_unknown_check_is_404(client, journey_id):
    response = client.post(f"/journeys/{journey_id}/steps/apply/checks/XYZ-99",
                           data={"expected_version": _version(client, journey_id),
                                 "result": "fail"})
    assert response.status_code == 404


def test_pain_points_and_ideas_are_added_and_deleted(client, session, journey_id):
    client.post(f"/journeys/{journey_id}/steps/apply/pain-points", data={
        "expected_version": _version(client, journey_id), "text": "Times out",
        "category": "effort", "severity": "3", "source": "citizen"})
    client.post(f"/journeys/{journey_id}/steps/apply/ideas", data={
        "expected_version": _version(client, journey_id), "idea": "Save as you go"})
    step = _stored(session, journey_id).steps[0]
    assert [(p.text, p.severity, p.source) for p in step.pain_points] == \
        [("Times out", 3, "citizen")]
    assert step.ideas == ["Save as you go"]
    client.post(f"/journeys/{journey_id}/steps/apply/pain-points/0/delete",
                data={"expected_version": _version(client, journey_id)})
    assert _stored(session, journey_id).steps[0].pain_points == []


def test_an_empty_pain_point_is_refused_and_the_rest_kept(client, journey_id):
    response = client.post(f"/journeys/{journey_id}/steps/apply/pain-points", data={
        "expected_version": _version(client, journey_id), "text": " ", "severity": "3",
        "category": "cost"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert _errors(html)
    assert '<option value="cost" selected>' in html


def test_a_failure_transition_picked_from_the_journeys_steps(client, session, journey_id):
    response = client.post(f"/journeys/{journey_id}/steps/wait/transitions", data={
        "expected_version": _version(client, journey_id), "to": "apply", "kind": "failure",
        "label": "missing evidence"})
    assert response.status_code == 303
    transitions = _stored(session, journey_id).transitions
    assert ("wait", "apply", "failure", "missing evidence") in \
        [(t.source, t.target, t.kind, t.label) for t in transitions]


def test_a_transition_to_a_step_of_another_journey_is_refused(client, session, journey_id):
    other = store.import_journey(session=session, actor=store.SYSTEM, journey=make_journey(
        steps=[{"id": "elsewhere", "stage": "a"}]))
    assert other != journey_id
    response = client.post(f"/journeys/{journey_id}/steps/wait/transitions", data={
        "expected_version": _version(client, journey_id), "to": "elsewhere", "kind": "flow"})
    assert response.status_code == 422
    assert any("is not a step of this journey" in e
               for e in _errors(response.get_data(as_text=True)))


def test_steps_move_earlier_and_later_by_buttons(client, session, journey_id):
    client.post(f"/journeys/{journey_id}/steps/wait/move",
                data={"expected_version": _version(client, journey_id), "to": "earlier"})
    assert [s.id for s in _stored(session, journey_id).steps] == ["wait", "apply", "decide"]


def test_adding_a_stage_and_a_step_from_the_map(client, session, journey_id):
    client.post(f"/journeys/{journey_id}/stages", data={
        "expected_version": _version(client, journey_id), "stage_name": "Follow up"})
    response = client.post(f"/journeys/{journey_id}/steps", data={
        "expected_version": _version(client, journey_id), "step_title": "Gets a reminder",
        "step_stage": "follow-up"})
    assert response.headers["Location"] == f"/journeys/{journey_id}/steps/gets-a-reminder"
    journey = _stored(session, journey_id)
    assert journey.stages[-1].name == "Follow up"
    assert (journey.steps[-1].title, journey.steps[-1].stage) == ("Gets a reminder",
                                                                  "follow-up")


def test_an_empty_step_title_is_refused_on_the_map_with_the_choice_kept(client, journey_id):
    response = client.post(f"/journeys/{journey_id}/steps", data={
        "expected_version": _version(client, journey_id), "step_title": "",
        "step_stage": "b"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<title>Error:" in html
    assert _errors(html)
    assert '<option value="b" selected>' in html


def test_undo_takes_back_the_last_change(client, session, journey_id):
    client.post(f"/journeys/{journey_id}/steps/apply", data={
        "expected_version": _version(client, journey_id), "title": "Changed"})
    response = client.post(f"/journeys/{journey_id}/undo", data={
        "expected_version": _version(client, journey_id),
        "next": f"/journeys/{journey_id}/steps/apply"})
    assert response.headers["Location"] == f"/journeys/{journey_id}/steps/apply"
    assert _stored(session, journey_id).steps[0].title == "Applies online"
    assert "Undone: step `apply`" in client.get(response.headers["Location"]).get_data(
        as_text=True)


def test_history_lists_revisions_and_restores_one(client, session, journey_id):
    for title in ("One", "Two"):
        client.post(f"/journeys/{journey_id}/steps/apply", data={
            "expected_version": _version(client, journey_id), "title": title})
    html = client.get(f"/journeys/{journey_id}/history").get_data(as_text=True)
    assert "step `apply`: title" in html
    assert html.count("Restore") >= 2
    client.post(f"/journeys/{journey_id}/history/1/restore",
                data={"expected_version": _version(client, journey_id)})
    assert _stored(session, journey_id).steps[0].title == "Applies online"


def test_deleting_a_step_goes_back_to_the_map(client, session, journey_id):
    response = client.post(f"/journeys/{journey_id}/steps/decide/delete",
                           data={"expected_version": _version(client, journey_id)})
    assert response.headers["Location"] == f"/journeys/{journey_id}"
    assert [s.id for s in _stored(session, journey_id).steps] == ["apply", "wait"]


def test_a_post_without_a_version_is_a_400(client, journey_id):
    assert client.post(f"/journeys/{journey_id}/steps/apply",
                       data={"title": "x"}).status_code == 400


def test_editing_a_missing_journey_or_step_is_404(client, journey_id):
    assert client.post("/journeys/999/steps/apply", data={"expected_version": 1,
                                                          "title": "x"}).status_code == 404
    assert client.post(f"/journeys/{journey_id}/steps/nope", data={
        "expected_version": 1, "title": "x"}).status_code == 404


def test_empty_fields_are_shown_empty_and_saved_as_nothing(client, session, journey_id):
    html = client.get(f"/journeys/{journey_id}/steps/apply").get_data(as_text=True)
    assert 'value="None"' not in html and ">None</textarea>" not in html


def test_a_pain_point_is_edited_and_undone(client, session, journey_id):
    store.add_pain_point(session=session, actor=store.SYSTEM, journey_id=journey_id,
                         step_id="apply", pain_point={"text": "Slow"}, expected_version=1)
    response = client.post(f"/journeys/{journey_id}/steps/apply/pain-points/0", headers=HX,
                           data={"expected_version": 2, "text": "Times out",
                                 "category": "waiting", "severity": "3", "source": "citizen"})
    assert response.status_code == 200
    assert 'data-status="Pain point saved."' in response.get_data(as_text=True)
    pain = _stored(session, journey_id).steps[0].pain_points[0]
    assert (pain.text, pain.category, pain.severity, pain.source) == \
        ("Times out", "waiting", 3, "citizen")
    client.post(f"/journeys/{journey_id}/undo", data={"expected_version": 3})
    assert _stored(session, journey_id).steps[0].pain_points[0].text == "Slow"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("text", "", "must contain at least one character"),
    ("category", "weather", '"weather" is not one of'),
    ("severity", "9", "9"),
])
def test_a_bad_pain_point_edit_is_refused_next_to_its_field(client, session, journey_id,
                                                            field, value, message):
    store.add_pain_point(session=session, actor=store.SYSTEM, journey_id=journey_id,
                         step_id="apply", pain_point={"text": "Slow"}, expected_version=1)
    data = {"expected_version": 2, "text": "Times out", "category": "waiting",
            "severity": "3", "source": "team", field: value}
    response = client.post(f"/journeys/{journey_id}/steps/apply/pain-points/0", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert any(message in e for e in _errors(html)), _errors(html)
    assert f'href="#pain-0-{field}"' in html and f'id="pain-0-{field}"' in html
    assert _stored(session, journey_id).steps[0].pain_points[0].text == "Slow"


def test_a_vote_counts_without_making_open_forms_stale(client, session, journey_id):
    store.add_pain_point(session=session, actor=store.SYSTEM, journey_id=journey_id,
                         step_id="apply", pain_point={"text": "Slow"}, expected_version=1)
    for _ in range(2):
        response = client.post(f"/journeys/{journey_id}/steps/apply/pain-points/0/vote",
                               headers=HX)
        assert response.status_code == 200
    assert "2 votes" in response.get_data(as_text=True)
    assert _stored(session, journey_id).steps[0].pain_points[0].votes == 2
    assert _version(client, journey_id) == 2
    plain = client.post(f"/journeys/{journey_id}/steps/apply/pain-points/0/vote")
    assert plain.status_code == 303
    assert client.post(f"/journeys/{journey_id}/steps/apply/pain-points/5/vote"
                       ).status_code == 404


def test_a_step_moves_to_another_stage_from_its_place_section(client, session, journey_id):
    response = client.post(f"/journeys/{journey_id}/steps/apply/move", data={
        "expected_version": _version(client, journey_id), "to": "stage", "stage": "b"})
    assert response.status_code == 303
    assert _stored(session, journey_id).steps[0].stage == "b"
    bad = client.post(f"/journeys/{journey_id}/steps/apply/move", data={
        "expected_version": _version(client, journey_id), "to": "stage", "stage": "zzz"})
    assert bad.status_code == 422
    assert any("not a stage of this journey" in e for e in _errors(bad.get_data(as_text=True)))
    html = bad.get_data(as_text=True)
    assert html.count('id="stage-error"') == 1  # next to the move form only
