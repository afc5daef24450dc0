"""Journeys as documents over the API: read, create, replace, delete, with tokens and ETags."""

import json

import pytest

from tests.journeys.api.test_basics import assert_error


def write_headers(world, who="editor", version=1) -> dict:
    return {**world.auth(who), "If-Match": f'"{version}"'}


def test_a_journey_is_its_document_with_its_version_as_etag(client, world, samples_dir):
    response = client.get(f"/api/v1/journeys/{world.journey}", headers=world.auth("viewer"))
    assert response.status_code == 200
    assert response.headers["ETag"] == '"1"'
    original = json.loads((samples_dir / "report-a-road-defect.json").read_bytes())
    assert response.get_json()["title"] == original["title"]
    assert len(response.get_json()["steps"]) == len(original["steps"])


def test_the_list_shows_only_the_tokens_teams(client, world):
    listed = client.get("/api/v1/journeys", headers=world.auth("viewer")).get_json()
    assert [j["id"] for j in listed] == [world.journey]
    assert listed[0]["team"] == "Roads" and listed[0]["version"] == 1
    other = client.get("/api/v1/journeys", headers=world.auth("outsider")).get_json()
    assert [j["id"] for j in other] == [world.other_journey]


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nonsense"},
                                     {"Authorization": "Basic dXNlcjpwdw=="},
                                     {"Authorization": "Bearer "}])
def test_no_token_or_a_wrong_one_is_401(client, world, headers):
    response = client.get(f"/api/v1/journeys/{world.journey}", headers=headers)
    assert_error(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_is_401(client, world):
    assert_error(client.get("/api/v1/journeys", headers=world.auth("revoked")), 401)


URLS = ["/api/v1/journeys/{id}", "/api/v1/journeys/{id}/checks",
        "/api/v1/journeys/{id}/proposals", "/api/v1/journeys/{id}/renders/md",
        "/api/v1/journeys/{id}/revisions", "/api/v1/journeys/{id}/revisions/1",
        "/api/v1/journeys/{id}/steps", "/api/v1/journeys/{id}/stages",
        "/api/v1/journeys/{id}/transitions"]


@pytest.mark.parametrize("url", URLS)
def test_another_teams_journey_is_404_exactly_like_a_missing_one(client, world, url):
    theirs = assert_error(client.get(url.format(id=world.other_journey),
                                     headers=world.auth("viewer")), 404)
    missing = assert_error(client.get(url.format(id=999999), headers=world.auth("viewer")), 404)
    assert theirs["message"].replace(str(world.other_journey), "N") == \
        missing["message"].replace("999999", "N")


def test_post_stores_a_document_and_names_it(client, world, samples_dir):
    raw = (samples_dir / "register-a-birth.json").read_bytes()
    response = client.post("/api/v1/journeys", data=raw, content_type="application/json",
                           headers=world.auth("editor"))
    assert response.status_code == 201
    assert response.headers["ETag"] == '"1"'
    created = response.get_json()
    assert created["version"] == 1
    got = client.get(response.headers["Location"], headers=world.auth("viewer"))
    assert got.get_json() == json.loads(client.get(
        f"/api/v1/journeys/{created['id']}", headers=world.auth("editor")).data)
    assert got.get_json()["title"] == json.loads(raw)["title"]


def test_a_viewer_cannot_write(client, world, samples_dir):
    raw = (samples_dir / "register-a-birth.json").read_bytes()
    assert_error(client.post(f"/api/v1/journeys?team_id={world.team}", data=raw,
                             content_type="application/json", headers=world.auth("viewer")), 403)
    assert_error(client.post(f"/api/v1/journeys?team_id={world.other_team}", data=raw,
                             content_type="application/json", headers=world.auth("viewer")), 404)
    assert_error(client.put(f"/api/v1/journeys/{world.journey}", data=raw,
                            content_type="application/json",
                            headers=write_headers(world, "viewer")), 403)
    assert_error(client.patch(f"/api/v1/journeys/{world.journey}/steps/report-app",
                              json={"channel": "phone"},
                              headers=write_headers(world, "viewer")), 403)


def test_an_invalid_document_is_422_with_the_clis_paths_and_nothing_stored(client, world):
    doc = {"format": "citizen-journey/1", "title": "T", "stages": [{"id": "a", "name": "A"}],
           "steps": [{"id": "s", "stage": "b", "title": "S", "channel": "fax"}]}
    body = assert_error(client.post("/api/v1/journeys", data=json.dumps(doc),
                                    content_type="application/json",
                                    headers=world.auth("editor")), 422)
    assert [e["path"] for e in body["errors"]] == ["steps[0].stage", "steps[0].channel"]
    assert body["errors"][0]["message"] == '"b" is not a stage of this journey (stages: a)'
    listed = client.get("/api/v1/journeys", headers=world.auth("editor")).get_json()
    assert len(listed) == 1


def test_put_replaces_with_if_match_and_refuses_a_stale_version(client, world, samples_dir):
    url = f"/api/v1/journeys/{world.journey}"
    doc = client.get(url, headers=world.auth("editor")).get_json()
    doc["title"] = "Report a pothole"
    ok = client.put(url, json=doc, headers=write_headers(world, version=1))
    assert ok.status_code == 200, ok.get_json()
    assert ok.get_json()["version"] == 2 and ok.headers["ETag"] == '"2"'
    stale = assert_error(client.put(url, json=doc, headers=write_headers(world, version=1)), 412)
    assert stale["current_version"] == 2
    assert client.get(url, headers=world.auth("editor")).get_json()["title"] == "Report a pothole"


def test_a_write_without_if_match_is_428(client, world):
    url = f"/api/v1/journeys/{world.journey}"
    doc = client.get(url, headers=world.auth("editor")).get_json()
    assert_error(client.put(url, json=doc, headers=world.auth("editor")), 428)
    body = assert_error(client.put(url, json=doc, headers={**world.auth("editor"),
                                                           "If-Match": "yesterday"}), 400)
    assert body["errors"][0]["path"] == "If-Match"


def test_delete_and_undelete_are_for_owners(client, world):
    url = f"/api/v1/journeys/{world.journey}"
    assert_error(client.delete(url, headers=write_headers(world, "editor")), 403)
    assert_error(client.delete(url, headers=write_headers(world, "owner", 7)), 412)
    deleted = client.delete(url, headers=write_headers(world, "owner"))
    assert deleted.status_code == 200
    assert_error(client.get(url, headers=world.auth("owner")), 404)
    listed = client.get("/api/v1/journeys?deleted=true", headers=world.auth("owner")).get_json()
    assert [j["id"] for j in listed] == [world.journey]
    back = client.post(url + "/undelete", headers=world.auth("owner"))
    assert back.status_code == 200
    assert client.get(url, headers=world.auth("owner")).status_code == 200


def test_history_lists_revisions_and_gives_an_earlier_document(client, world):
    url = f"/api/v1/journeys/{world.journey}"
    doc = client.get(url, headers=world.auth("editor")).get_json()
    original = doc["title"]
    doc["title"] = "Report a pothole"
    client.put(url, json=doc, headers=write_headers(world))
    revisions = client.get(url + "/revisions", headers=world.auth("viewer"))
    assert [r["number"] for r in revisions.get_json()] == [2, 1]
    assert revisions.get_json()[0]["actor"] == "Editor"
    first = client.get(url + "/revisions/1", headers=world.auth("viewer"))
    assert first.get_json()["title"] == original
    assert first.headers["ETag"] == '"2"'
    assert_error(client.get(url + "/revisions/3", headers=world.auth("viewer")), 404)


def test_a_document_naming_its_json_schema_is_accepted(client, world, samples_dir):
    doc = json.loads((samples_dir / "register-a-birth.json").read_bytes())
    doc = {"$schema": "https://journeys.example.gov/api/v1/schema/journey.json", **doc}
    response = client.post("/api/v1/journeys", data=json.dumps(doc),
                           content_type="application/json", headers=world.auth("editor"))
    assert response.status_code == 201, response.get_json()
    stored = client.get(response.headers["Location"], headers=world.auth("editor")).get_json()
    assert "$schema" not in stored and stored["title"] == doc["title"]
