"""Workshops over the API: start, list, read with the board, contributions, close."""

import pytest

from journeys.store import workshops as ws
from journeys.store.services.common import J
from tests.journeys.api.test_basics import assert_error


def start(client, world, who="editor", journey=None, **body):
    body = {"title": "Evening with residents", "open_stages": ["notice", "report"], **body}
    return client.post(f"/api/v1/journeys/{journey or world.journey}/workshops", json=body,
                       headers=world.auth(who))


@pytest.fixture
def workshop(client, world) -> dict:
    started = start(client, world)
    assert started.status_code == 201, started.get_json()
    return started.get_json()


def test_an_editor_starts_a_workshop_that_is_listed_and_read(client, world, workshop):
    assert len(workshop["code"]) == 6 and workshop["closed_at"] is None
    assert workshop["open_stages"] == ["notice", "report"]
    listed = client.get(f"/api/v1/journeys/{world.journey}/workshops",
                        headers=world.auth("viewer"))
    assert listed.status_code == 200 and listed.headers["ETag"] == '"1"'
    assert [w["id"] for w in listed.get_json()] == [workshop["id"]]
    read = client.get(f"/api/v1/workshops/{workshop['id']}", headers=world.auth("viewer"))
    assert read.status_code == 200 and read.headers["ETag"] == '"1"'
    assert read.get_json()["board"] == {"participants": 0, "closed": False, "steps": {}}
    # Starting a workshop does not change the journey.
    assert client.get(f"/api/v1/journeys/{world.journey}",
                      headers=world.auth("viewer")).headers["ETag"] == '"1"'


def test_contributions_are_listed_and_the_close_adds_them_as_one_revision(
        client, world, workshop, session):
    _participant, token = ws.join(session=session, code=workshop["code"])
    item = ws.add_pain_point(session=session, workshop_id=workshop["id"], token=token,
                             step="report-app", text="The map does not load")
    url = f"/api/v1/workshops/{workshop['id']}"
    board = client.get(url, headers=world.auth("viewer")).get_json()["board"]
    assert board["participants"] == 1 and board["steps"]["report-app"]["pain_points"] == 1
    listed = client.get(url + "/contributions", headers=world.auth("viewer")).get_json()
    assert [(c["id"], c["text"], c["kind"]) for c in listed] == [
        (item, "The map does not load", "pain")]
    assert client.get(url + f"/contributions?after_id={item}",
                      headers=world.auth("viewer")).get_json() == []
    closed = client.post(url + "/close", headers={**world.auth("editor"), "If-Match": '"1"'})
    assert closed.status_code == 200, closed.get_json()
    assert closed.get_json() == {"id": workshop["id"], "journey_id": world.journey,
                                 "version": 2}
    assert closed.headers["ETag"] == '"2"'
    step = client.get(f"/api/v1/journeys/{world.journey}/steps/report-app",
                      headers=world.auth("viewer")).get_json()
    assert "The map does not load" in [p["text"] for p in step["pain_points"]]
    again = assert_error(client.post(url + "/close",
                                     headers={**world.auth("editor"), "If-Match": '"2"'}), 409)
    assert "closed" in again["message"]


def test_close_needs_if_match_and_refuses_a_stale_version_changing_nothing(
        client, world, workshop):
    url = f"/api/v1/workshops/{workshop['id']}/close"
    assert_error(client.post(url, headers=world.auth("editor")), 428)
    client.patch(f"/api/v1/journeys/{world.journey}/steps/report-app",
                 json={"channel": "phone"},
                 headers={**world.auth("editor"), "If-Match": '"1"'})
    stale = assert_error(client.post(url, headers={**world.auth("editor"), "If-Match": '"1"'}),
                         412)
    assert stale["current_version"] == 2
    read = client.get(f"/api/v1/workshops/{workshop['id']}", headers=world.auth("viewer"))
    assert read.get_json()["closed_at"] is None and read.headers["ETag"] == '"2"'


@pytest.mark.parametrize("who,status", [("viewer", 403), ("outsider", 404)])
def test_start_is_for_editors_of_the_journeys_team(client, world, who, status):
    assert_error(start(client, world, who), status)
    assert client.get(f"/api/v1/journeys/{world.journey}/workshops",
                      headers=world.auth("owner")).get_json() == []


@pytest.mark.parametrize("who,status", [(None, 401), ("revoked", 401), ("outsider", 404)])
@pytest.mark.parametrize("method,path", [
    ("get", ""), ("get", "/contributions"), ("post", "/close")])
def test_another_team_or_no_valid_token_sees_no_workshop(client, world, workshop, who,
                                                         status, method, path):
    headers = {"If-Match": '"1"', **(world.auth(who) if who else {})}
    assert_error(getattr(client, method)(f"/api/v1/workshops/{workshop['id']}{path}",
                                         headers=headers), status)


def test_a_viewer_cannot_close(client, world, workshop):
    assert_error(client.post(f"/api/v1/workshops/{workshop['id']}/close",
                             headers={**world.auth("viewer"), "If-Match": '"1"'}), 403)


@pytest.mark.parametrize("workshop_id", [0, 999_999, 2**31, 2**63])
def test_unknown_workshops_are_404(client, world, workshop_id):
    assert_error(client.get(f"/api/v1/workshops/{workshop_id}", headers=world.auth("owner")),
                 404)


@pytest.mark.parametrize("body,path", [
    ({"open_stages": ["notice"]}, "title"),
    ({"title": "x", "open_stages": []}, "open_stages"),
    ({"title": "x", "open_stages": ["nowhere"]}, "open_stages[0]"),
    ({"title": "x", "open_stages": ["notice"], "moderation": "never"}, "moderation"),
    ({"title": "x", "open_stages": ["notice"], "closes_at": "2000-01-01T00:00:00+00:00"},
     "closes_at"),
    ({"title": "x", "open_stages": ["notice"], "closes_at": "2030-01-01T00:00:00"},
     "closes_at"),
    ({"title": "x", "open_stages": ["notice"], "colour": "red"}, "colour"),
])
def test_a_bad_workshop_is_422_naming_the_field(client, world, body, path):
    answer = client.post(f"/api/v1/journeys/{world.journey}/workshops", json=body,
                         headers=world.auth("editor"))
    error = assert_error(answer, 422)
    assert path in [e["path"] for e in error["errors"]] or path in error.get("message", ""), \
        error
    assert client.get(f"/api/v1/journeys/{world.journey}/workshops",
                      headers=world.auth("owner")).get_json() == []


def test_a_write_between_the_if_match_and_the_delete_gives_412(client, world, monkeypatch):
    # The journey moves on after the API has read If-Match but before the delete's
    # transaction looks at it: the delete's own version check refuses it.
    from journeys.store.services import journeys as services

    real = services.get_journey_row

    def moved_on(*, session, **kwargs):
        row = real(session=session, **kwargs)
        session.execute(J.update().where(J.c.id == row.id)
                        .values(version=J.c.version + 1))
        return row

    monkeypatch.setattr(services, "get_journey_row", moved_on)
    url = f"/api/v1/journeys/{world.journey}"
    body = assert_error(client.delete(url, headers={**world.auth("owner"), "If-Match": '"1"'}),
                        412)
    assert body["current_version"] == 2
    monkeypatch.undo()
    # Refused whole: the journey is still there, at version 1.
    assert client.get(url, headers=world.auth("owner")).headers["ETag"] == '"1"'
