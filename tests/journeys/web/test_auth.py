"""Signing in and out, and every page behind the core's authorisation."""

import re

import pytest

from journeys.store import accounts
from journeys.store import services as store
from tests.factories import make_journey
from tests.journeys.web.conftest import PASSWORD, sign_in


def test_a_visitor_is_sent_to_sign_in_and_back(anonymous):
    response = anonymous.get("/journeys/1/flow")
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in?next=/journeys/1/flow"
    assert "Sign in" in anonymous.get("/sign-in").get_data(as_text=True)


def test_a_wrong_password_says_so_next_to_the_field_and_keeps_the_email(anonymous,
                                                                        designer):
    response = sign_in(anonymous, designer.email, "not the password")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "The email or the password is not right" in html
    assert f'value="{designer.email}"' in html
    assert "<title>Error:" in html


def test_signing_in_shows_the_users_journeys(anonymous, session, designer):
    store.import_journey(session=session, actor=store.SYSTEM,
                         journey=make_journey(title="Renew a permit"))
    assert sign_in(anonymous, designer.email).headers["Location"] == "/"
    html = anonymous.get("/").get_data(as_text=True)
    assert "Renew a permit" in html
    assert "Ana López" in html


def test_a_signed_out_session_cannot_be_replayed(app, client):
    cookie = client.get_cookie("session").value
    html = client.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    assert client.post("/sign-out", data={"csrf_token": token}).status_code == 303
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    assert thief.get("/").status_code == 302  # back to the sign-in page


def test_there_is_no_remember_me_cookie(client):
    assert client.get_cookie("remember_token") is None


@pytest.fixture
def other_journey(session):
    """A journey of a team the designer is not in."""
    return store.import_journey(session=session, actor=store.SYSTEM,
                                journey=make_journey(), team_name="Another team")


@pytest.mark.parametrize("path", [
    "/journeys/{id}", "/journeys/{id}/flow", "/journeys/{id}/text",
    "/journeys/{id}/proposals", "/journeys/{id}/steps/s1", "/journeys/{id}/history",
    "/journeys/{id}/download/json", "/journeys/{id}/brief.md", "/journeys/{id}/flow-partial",
])
def test_another_teams_journey_is_a_404_like_a_missing_one(client, other_journey, path):
    forged = client.get(path.format(id=other_journey))
    missing = client.get(path.format(id=other_journey + 100))
    assert forged.status_code == missing.status_code == 404
    assert "Page not found" in forged.get_data(as_text=True)


def test_a_forged_edit_of_another_teams_journey_is_a_404_and_stores_nothing(client, session,
                                                                          other_journey):
    html = client.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    response = client.post(f"/journeys/{other_journey}/steps/s1", data={
        "csrf_token": token, "expected_version": 1, "title": "Hijacked"})
    assert response.status_code == 404
    journey = store.load_journey(session=session, actor=store.SYSTEM, journey_id=other_journey)
    assert journey.steps[0].title != "Hijacked"


def test_a_viewers_write_is_a_403(app, session):
    user = accounts.create_user(session=session, email="vi@example.org", password=PASSWORD)
    journey_id = store.import_journey(session=session, actor=store.SYSTEM,
                                      journey=make_journey(), team_name="Viewers")
    team = accounts.find_team(session=session, actor=store.SYSTEM, name="Viewers")
    accounts.add_member(session=session, actor=store.SYSTEM, team_id=team.id,
                        email=user.email, role="viewer")
    client = app.test_client()
    sign_in(client, user.email)
    assert client.get(f"/journeys/{journey_id}").status_code == 200
    html = client.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    response = client.post(f"/journeys/{journey_id}/steps/s1", data={
        "csrf_token": token, "expected_version": 1, "title": "Changed"})
    assert response.status_code == 403
    assert "You cannot do that" in response.get_data(as_text=True)


def test_team_page_lists_members_and_an_owner_makes_an_invite_link(client, session,
                                                                  designer, app):
    team = accounts.find_team(session=session, actor=store.SYSTEM, name=store.DEFAULT_TEAM)
    html = client.get(f"/teams/{team.id}").get_data(as_text=True)
    assert "Ana López" in html and "ana@example.org" in html
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    page = client.post(f"/teams/{team.id}/invites", data={"csrf_token": token,
                                                          "role": "editor"})
    link = re.search(r"<code>(http[^<]+/join/[^<]+)</code>", page.get_data(as_text=True))
    assert link
    path = "/join/" + link.group(1).rsplit("/join/", 1)[1]
    bo = accounts.create_user(session=session, email="bo@example.org", name="Bo",
                              password=PASSWORD)
    other = app.test_client()
    sign_in(other, bo.email)
    form = other.get(path).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    assert other.post(path, data={"csrf_token": token}).status_code == 303
    assert "Bo" in client.get(f"/teams/{team.id}").get_data(as_text=True)
    # Used once: the link no longer works.
    again = other.post(path, data={"csrf_token": token})
    assert again.status_code == 410
    assert "This invite link cannot be used" in again.get_data(as_text=True)


def test_the_teams_language_is_the_default_and_the_user_may_override_it(client, session,
                                                                       designer):
    team = accounts.find_team(session=session, actor=store.SYSTEM, name=store.DEFAULT_TEAM)
    accounts.set_team_language(session=session, actor=store.SYSTEM, team_id=team.id,
                               language="fr")
    assert '<html lang="fr"' in client.get("/").get_data(as_text=True)
    accounts.set_user_language(session=session, user_id=designer.id, language="en")
    assert '<html lang="en"' in client.get("/").get_data(as_text=True)
