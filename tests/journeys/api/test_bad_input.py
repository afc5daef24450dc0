"""Every client mistake gets its 4xx in the one error shape, and nothing is stored."""

import pytest

from journeys.domain.schemas import MAX_BYTES
from tests.journeys.api.test_basics import assert_error


def journeys_of(client, world) -> int:
    return len(client.get("/api/v1/journeys", headers=world.auth("editor")).get_json())


@pytest.mark.parametrize(("body", "status"), [
    (b"{not json", 400),
    (b'{"format": "citizen-journey/1",}', 400),
    (b"\xff\xfe", 400),
    (b"[" * 50_000 + b"]" * 50_000, 400),
    (b'{"a":' * 50_000 + b"1" + b"}" * 50_000, 400),
    (b"", 400),
    (b"[]", 422),
    (b'{"format": "citizen-journey/1", "title": "T", "colour": "red"}', 422),
])
def test_bodies_that_are_not_journey_documents_are_refused(client, world, body, status):
    before = journeys_of(client, world)
    response = client.post("/api/v1/journeys", data=body, content_type="application/json",
                           headers=world.auth("editor"))
    assert_error(response, status)
    assert journeys_of(client, world) == before


def test_an_unknown_field_is_named(client, world):
    body = assert_error(client.post(
        "/api/v1/journeys", content_type="application/json", headers=world.auth("editor"),
        data=b'{"format": "citizen-journey/1", "title": "T", "colour": "red", '
             b'"stages": [{"id": "a", "name": "A"}], '
             b'"steps": [{"id": "s", "stage": "a", "title": "S"}]}'), 422)
    assert [e["path"] for e in body["errors"]] == ["colour"]


def test_a_body_over_the_size_limit_is_413(client, world):
    big = b'{"format": "citizen-journey/1", "title": "' + b"x" * MAX_BYTES + b'"}'
    assert_error(client.post("/api/v1/journeys", data=big, content_type="application/json",
                             headers=world.auth("editor")), 413)


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", None])
def test_a_wrong_content_type_is_415(client, world, samples_dir, content_type):
    raw = (samples_dir / "register-a-birth.json").read_bytes()
    headers = world.auth("editor")
    if content_type:
        headers["Content-Type"] = content_type
    assert_error(client.post("/api/v1/journeys", data=raw, headers=headers), 415)


def test_duplicate_keys_are_refused_at_their_path(client, world):
    body = assert_error(client.patch(
        f"/api/v1/journeys/{world.journey}/steps/report-app", content_type="application/json",
        data=b'{"channel": "phone", "channel": "web"}',
        headers={**world.auth("editor"), "If-Match": '"1"'}), 400)
    assert [e["path"] for e in body["errors"]] == ["channel"]


@pytest.mark.parametrize("query", ["team_id=0", "team_id=-3", "team_id=x",
                                   "team_id=99999999999999999999999", "deleted=maybe", "page=2"])
def test_list_parameters_out_of_range_are_422(client, world, query):
    assert_error(client.get(f"/api/v1/journeys?{query}", headers=world.auth("viewer")), 422)


@pytest.mark.parametrize("token", ["cj_" + "x" * 5000, "cj_\u00e9\u00e9", "x" * 10, "cj_"])
def test_a_malformed_token_is_401(client, world, token):
    assert_error(client.get("/api/v1/journeys", headers={"Authorization": f"Bearer {token}"}),
                 401)


def test_an_id_past_any_integer_is_404(client, world):
    assert_error(client.get("/api/v1/journeys/" + "9" * 40, headers=world.auth("viewer")), 404)


def test_api_bodies_may_be_larger_than_the_pages_allow(database_url, world, samples_dir):
    from journeys.web import create_app

    raw = (samples_dir / "register-a-birth.json").read_bytes()
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test",
                      "MAX_CONTENT_LENGTH": len(raw) // 2})
    response = app.test_client().post("/api/v1/journeys", data=raw,
                                      content_type="application/json",
                                      headers=world.auth("editor"))
    assert response.status_code == 201, response.get_json()
