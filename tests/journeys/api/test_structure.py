"""Stages, steps, transitions and pain points as sub-resources, on the edit services."""

import pytest

from tests.journeys.api.test_basics import assert_error


def url(world, rest: str) -> str:
    return f"/api/v1/journeys/{world.journey}/{rest}"


def w(world, version: int, who: str = "editor") -> dict:
    return {**world.auth(who), "If-Match": f'"{version}"'}


def test_a_step_is_read_changed_with_if_match_and_a_stale_change_refused(client, world):
    step = client.get(url(world, "steps/report-app"), headers=world.auth("viewer"))
    assert step.status_code == 200 and step.headers["ETag"] == '"1"'
    assert step.get_json()["id"] == "report-app"
    changed = client.patch(url(world, "steps/report-app"), json={"channel": "phone"},
                           headers=w(world, 1))
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["version"] == 2 and changed.headers["ETag"] == '"2"'
    assert client.get(url(world, "steps/report-app"),
                      headers=world.auth("viewer")).get_json()["channel"] == "phone"
    stale = assert_error(client.patch(url(world, "steps/report-app"), json={"channel": "web"},
                                      headers=w(world, 1)), 412)
    assert stale["current_version"] == 2
    assert stale["current"]["channel"] == "phone"
    assert client.get(url(world, "steps/report-app"),
                      headers=world.auth("viewer")).get_json()["channel"] == "phone"


def test_an_invalid_step_change_names_the_field_and_writes_nothing(client, world):
    body = assert_error(client.patch(url(world, "steps/report-app"),
                                     json={"channel": "fax", "level": 9}, headers=w(world, 1)), 422)
    paths = [e["path"] for e in body["errors"]]
    assert any(p.endswith(".channel") for p in paths) and any(p.endswith(".level") for p in paths)
    assert paths[0].startswith("steps[2].")
    revisions = client.get(url(world, "revisions"), headers=world.auth("viewer")).get_json()
    assert len(revisions) == 1


def test_steps_are_added_moved_and_deleted(client, world):
    added = client.post(url(world, "steps?position=0"), headers=w(world, 1),
                        json={"id": "hear-of-it", "stage": "notice", "title": "Hears of it"})
    assert added.status_code == 201, added.get_json()
    steps = client.get(url(world, "steps"), headers=world.auth("viewer")).get_json()
    assert steps[0]["id"] == "hear-of-it" and steps[0]["channel"] == "web"
    moved = client.post(url(world, "steps/hear-of-it/move"), json={"stage": "close"},
                        headers=w(world, 2))
    assert moved.status_code == 200, moved.get_json()
    assert client.get(url(world, "steps/hear-of-it"),
                      headers=world.auth("viewer")).get_json()["stage"] == "close"
    assert client.delete(url(world, "steps/hear-of-it"), headers=w(world, 3)).status_code == 200
    assert_error(client.get(url(world, "steps/hear-of-it"), headers=world.auth("viewer")), 404)


def test_a_duplicate_step_id_is_refused_at_its_path(client, world):
    body = assert_error(client.post(url(world, "steps"), headers=w(world, 1),
                                    json={"id": "triage", "stage": "notice", "title": "X"}), 422)
    assert body["errors"][0]["path"].endswith(".id")


def test_check_answers_are_set_and_cleared(client, world):
    done = client.put(url(world, "steps/report-app/checks/ACC-03"), headers=w(world, 1),
                      json={"result": "fail", "note": "no captions"})
    assert done.status_code == 200, done.get_json()
    checks = client.get(url(world, "steps/report-app"),
                        headers=world.auth("viewer")).get_json()["checks"]
    assert checks["ACC-03"] == {"result": "fail", "note": "no captions"}
    assert client.delete(url(world, "steps/report-app/checks/ACC-03"),
                         headers=w(world, 2)).status_code == 200
    assert "ACC-03" not in client.get(url(world, "steps/report-app"),
                                      headers=world.auth("viewer")).get_json()["checks"]
    body = assert_error(client.put(url(world, "steps/report-app/checks/ACC-03"),
                                   headers=w(world, 3), json={"result": "maybe"}), 422)
    assert body["errors"][0]["path"] == "result"


def test_stages_with_steps_need_to_say_what_happens_to_them(client, world):
    refused = client.delete(url(world, "stages/close"), headers=w(world, 1))
    assert 400 <= refused.status_code < 500
    assert client.get(url(world, "stages/close"), headers=world.auth("viewer")).status_code == 200
    moved = client.delete(url(world, "stages/close?move_to=repair"), headers=w(world, 1))
    assert moved.status_code == 200, moved.get_json()
    stages = client.get(url(world, "stages"), headers=world.auth("viewer")).get_json()
    assert [s["id"] for s in stages] == ["notice", "report", "triage", "repair"]
    assert client.get(url(world, "steps/closure"),
                      headers=world.auth("viewer")).get_json()["stage"] == "repair"


def test_stages_are_added_renamed_and_moved(client, world):
    assert client.post(url(world, "stages"), json={"id": "feedback", "name": "Feedback"},
                       headers=w(world, 1)).status_code == 201
    assert client.patch(url(world, "stages/feedback"), json={"name": "Give feedback"},
                        headers=w(world, 2)).status_code == 200
    assert client.post(url(world, "stages/feedback/move"), json={"position": 0},
                       headers=w(world, 3)).status_code == 200
    stages = client.get(url(world, "stages"), headers=world.auth("viewer")).get_json()
    assert stages[0] == {"id": "feedback", "name": "Give feedback"}


def test_transitions_are_named_by_their_ends(client, world):
    t = client.get(url(world, "transitions/find-how/report-phone"), headers=world.auth("viewer"))
    assert t.status_code == 200 and t.get_json()["to"] == "report-phone"
    assert client.patch(url(world, "transitions/find-how/report-phone"),
                        json={"kind": "alternative", "label": "by phone"},
                        headers=w(world, 1)).status_code == 200
    assert client.get(url(world, "transitions/find-how/report-phone"),
                      headers=world.auth("viewer")).get_json()["kind"] == "alternative"
    body = assert_error(client.post(url(world, "transitions"), headers=w(world, 2),
                                    json={"from": "find-how", "to": "nowhere"}), 422)
    assert body["errors"][0]["path"].endswith(".to")
    assert client.delete(url(world, "transitions/find-how/report-phone"),
                         headers=w(world, 2)).status_code == 200
    assert_error(client.get(url(world, "transitions/find-how/report-phone"),
                            headers=world.auth("viewer")), 404)


def test_pain_points_are_added_changed_deleted_and_voted(client, world):
    base = "steps/report-app/pain-points"
    assert client.post(url(world, base), json={"text": "The app logs me out"},
                       headers=w(world, 1)).status_code == 201
    pains = client.get(url(world, base), headers=world.auth("viewer")).get_json()
    assert pains[-1]["text"] == "The app logs me out" and pains[-1]["severity"] == 2
    index = len(pains) - 1
    assert client.patch(url(world, f"{base}/{index}"), json={"severity": 3},
                        headers=w(world, 2)).status_code == 200
    # Anyone who reads the journey may endorse a pain point; votes need no If-Match.
    voted = client.post(url(world, f"{base}/{index}/votes"), json={"delta": 2},
                        headers=world.auth("viewer"))
    assert voted.status_code == 200 and voted.get_json() == {"votes": 2}
    voted = client.post(url(world, f"{base}/{index}/votes"), json={}, headers=world.auth("editor"))
    assert voted.get_json() == {"votes": 3}
    pain = client.get(url(world, f"{base}/{index}"), headers=world.auth("viewer"))
    assert pain.get_json()["votes"] == 3
    # Votes make no new version: the designers' open forms stay current.
    assert pain.headers["ETag"] == '"3"'
    assert client.delete(url(world, f"{base}/{index}"), headers=w(world, 3)).status_code == 200
    assert_error(client.get(url(world, f"{base}/{index}"), headers=world.auth("viewer")), 404)


@pytest.mark.parametrize(("method", "rest", "body"), [
    ("patch", "steps/report-app", {"channel": "phone"}),
    ("post", "steps", {"id": "x", "stage": "notice", "title": "X"}),
    ("delete", "steps/report-app", None),
    ("post", "stages", {"id": "x", "name": "X"}),
    ("patch", "transitions/find-how/report-phone", {"kind": "failure"}),
    ("post", "steps/report-app/pain-points", {"text": "slow"}),
    ("put", "steps/report-app/checks/ACC-03", {"result": "pass"}),
])
def test_the_authorisation_matrix_of_writes(client, world, method, rest, body):
    send = getattr(client, method)
    kwargs = {"json": body} if body is not None else {}
    assert_error(send(url(world, rest), headers=w(world, 1, "viewer"), **kwargs), 403)
    other = f"/api/v1/journeys/{world.other_journey}/{rest}"
    assert_error(send(other, headers=w(world, 1, "editor"), **kwargs), 404)
    assert_error(send(url(world, rest), **kwargs), 401)
    assert_error(send(url(world, rest), headers=w(world, 1, "revoked"), **kwargs), 401)
    assert_error(send(url(world, rest), headers=world.auth("editor"), **kwargs), 428)
    assert len(client.get(url(world, "revisions"), headers=world.auth("viewer")).get_json()) == 1
