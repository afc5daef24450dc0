"""Security of the web app: headers, CSP, cookies, CSRF, body size, error pages."""

import re

import pytest

PAGES = ["/", "/rules", "/journeys/999"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_the_security_headers(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_hold_no_inline_script_style_or_hx_on(client, session):
    from journeys.store import services as store
    from tests.factories import make_journey

    journey_id = store.import_journey(session=session, actor=store.SYSTEM, journey=make_journey())
    for path in ["/", f"/journeys/{journey_id}", f"/journeys/{journey_id}/flow",
                 f"/journeys/{journey_id}/text", f"/journeys/{journey_id}/proposals",
                 f"/journeys/{journey_id}/steps/s1", "/rules"]:
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert not re.search(r"<style\b", html), path
        assert not re.search(r"\sstyle=", html), path
        assert "hx-on" not in html, path


def test_htmx_runs_without_eval_and_sends_the_csrf_token(client):
    html = client.get("/").get_data(as_text=True)
    assert '"allowEval": false' in html
    assert '"includeIndicatorStyles": false' in html
    assert re.search(r'hx-headers=\'\{"X-CSRFToken": "[^"]+"\}\'', html)


def test_session_cookie_is_httponly_and_samesite_lax(client):
    client.get("/")
    cookie = client.get_cookie("session")
    assert cookie is not None
    assert cookie.http_only
    assert cookie.same_site == "Lax"
    assert not cookie.secure


def test_session_cookie_is_secure_over_https(app):
    client = app.test_client()
    response = client.get("/sign-in", base_url="https://journeys.example")
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_behind_a_tls_proxy_the_cookie_is_secure(database_url):
    from journeys.web import create_app

    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "t", "BEHIND_PROXY": True})
    response = app.test_client().get("/sign-in", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in response.headers["Set-Cookie"]


def test_a_post_without_the_csrf_token_gets_a_400_in_the_layout(client):
    response = client.post("/language", data={"language": "fr"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "did not come from this site" in html
    assert "Skip to content" in html  # the app's own layout
    assert client.get("/").get_data(as_text=True).count('lang="en"') >= 1


def test_a_wrong_csrf_token_is_refused_and_a_right_one_in_the_header_accepted(client):
    html = client.get("/").get_data(as_text=True)
    token = re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)
    wrong = client.post("/language", data={"language": "fr"}, headers={"X-CSRFToken": "x"})
    assert wrong.status_code == 400
    right = client.post("/language", data={"language": "fr"}, headers={"X-CSRFToken": token})
    assert right.status_code == 303


def test_csrf_tokens_last_a_whole_workshop_day(app):
    assert app.config["WTF_CSRF_TIME_LIMIT"] >= 10 * 3600


def test_an_oversized_body_gets_a_friendly_413(client):
    response = client.post("/language", data={"language": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "The file is too large" in html
    assert "2 MB" in html


def test_a_missing_page_is_a_404_in_the_layout(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Page not found" in html
    assert "Go to the journeys" in html


def test_a_wrong_method_is_a_405_in_the_layout(client):
    response = client.get("/language")
    assert response.status_code == 405
    assert "not possible here" in response.get_data(as_text=True)


def test_health_answers_without_signing_in(anonymous):
    response = anonymous.get("/health")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok\n"
