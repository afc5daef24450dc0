"""The API's description, reference resources and its one error shape."""

import json

import jsonschema
import pytest

from journeys.api.jsonschema import journey_schema
from journeys.domain.checks import CHECKS


def assert_error(response, status: int) -> dict:
    """The response is ``status`` in the one JSON error shape; its body."""
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["status"] == status
    assert isinstance(body["message"], str) and body["message"]
    for problem in body.get("errors", []):
        assert set(problem) == {"path", "message"}
    return body


def test_openapi_3_1_describes_the_api(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert spec["openapi"].startswith("3.1")
    assert "/api/v1/checks" in spec["paths"]
    assert "/api/v1/schema/journey.json" in spec["paths"]
    assert spec["components"]["schemas"]["Step"]["properties"]["channel"]["enum"][0] == "web"


def test_the_documentation_page_uses_assets_served_here(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert "https://" not in html and "<script>" not in html
    with client.get("/api/v1/docs-static/docs.js") as script:
        assert script.status_code == 200 and b"SwaggerUIBundle" in script.data


def test_check_catalogues(client):
    response = client.get("/api/v1/checks")
    assert response.status_code == 200
    catalogues = response.get_json()
    assert [c["id"] for c in catalogues] == ["ACC", "TRA"]
    ids = [check["id"] for c in catalogues for check in c["checks"]]
    assert ids == list(CHECKS)
    assert catalogues[0]["checks"][0]["question"] == CHECKS["ACC-01"].question


def test_the_json_schema_is_served(client, samples_dir):
    response = client.get("/api/v1/schema/journey.json")
    assert response.status_code == 200
    assert response.mimetype == "application/schema+json"
    served = json.loads(response.data)
    assert served == journey_schema()
    for path in samples_dir.glob("*.json"):
        jsonschema.validate(json.loads(path.read_bytes()), served,
                            cls=jsonschema.Draft202012Validator)


@pytest.mark.parametrize("url", ["/api/v1/nothing", "/api/v1/checks/ACC-99", "/api/v1"])
def test_an_unknown_address_is_a_json_404(client, url):
    assert_error(client.get(url), 404)


def test_a_wrong_method_is_a_json_405_naming_the_allowed_ones(client):
    response = client.delete("/api/v1/checks")
    assert_error(response, 405)
    assert "GET" in response.headers["Allow"]


def test_pages_keep_their_own_error_pages(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
