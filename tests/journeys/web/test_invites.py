"""Invite links for people without an account: create one and join in one step."""

import re
from datetime import timedelta

import pytest

from journeys.store import accounts
from journeys.store import services as store
from tests.journeys.web.conftest import PASSWORD


@pytest.fixture
def team(session, designer):
    return accounts.find_team(session=session, actor=store.SYSTEM, name=store.DEFAULT_TEAM)


def _invite(session, designer, team, role="editor", **kwargs):
    owner = store.actor_for_user(session=session, user_id=designer.id)
    return "/join/" + accounts.create_invite(session=session, actor=owner, team_id=team.id,
                                             role=role, **kwargs)


def _token(html):
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _form(name="Bo Berg", email="bo@example.org", password="a new long password",  # noqa: S107
          confirm=None):
    return {"name": name, "email": email, "password": password,
            "password_confirm": password if confirm is None else confirm}


def test_a_new_person_creates_an_account_and_joins_signed_in(anonymous, session, designer,
                                                             team):
    path = _invite(session, designer, team)
    page = anonymous.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Join Default team" in html and "Sign in to join the team" in html
    response = anonymous.post(path + "/account", data={**_form(), "csrf_token": _token(html)})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/teams/{team.id}"
    members = accounts.list_members(session=session, actor=store.SYSTEM, team_id=team.id)
    assert ("bo@example.org", "Bo Berg", "editor") in [(m.email, m.name, m.role)
                                                       for m in members]
    # Signed in at once, and the password (hashed with Argon2) works for the next sign-in.
    assert "Bo Berg" in anonymous.get(f"/teams/{team.id}").get_data(as_text=True)
    user = accounts.find_user(session=session, email="bo@example.org")
    assert user.password_hash.startswith("$argon2")
    assert accounts.authenticate(session=session, email="bo@example.org",
                                 password="a new long password") is not None


@pytest.mark.parametrize(("form", "field", "message"), [
    (_form(name=" "), "name", "Enter your name"),
    (_form(email=""), "email", "Enter your email address"),
    (_form(email="not an email"), "email", "Email address:"),
    (_form(password=""), "password", "Enter a password"),
    (_form(password="short", confirm="short"), "password", "at least 10 characters"),
    (_form(confirm="something else"), "password_confirm", "not the same"),
    (_form(email="ana@example.org"), "email", "already exists"),
    (_form(name="x" * 500), "name", "Your name:"),
])
def test_bad_account_details_are_refused_next_to_the_field(anonymous, session, designer,
                                                           team, form, field, message):
    path = _invite(session, designer, team)
    html = anonymous.get(path).get_data(as_text=True)
    response = anonymous.post(path + "/account", data={**form, "csrf_token": _token(html)})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<title>Error:" in html
    error = re.search(rf'id="{field}-error"[^>]*>(.*?)</p>', html, re.S)
    assert error and message in error.group(1), html
    assert f'href="#account-{field}"' in html
    if field != "name":
        assert 'value="Bo Berg"' in html or form["name"].strip() == ""
    # Nothing stored: no new account, the invite still works.
    assert [u.email for u in accounts.list_users(session=session)] == ["ana@example.org"]
    assert anonymous.get(path).status_code == 200


def test_an_expired_or_used_link_gives_a_clear_page(anonymous, session, designer, team):
    expired = _invite(session, designer, team, expires_in=timedelta(minutes=1))
    session.exec(accounts.update(accounts.Invite).values(
        expires_at=accounts._now() - timedelta(minutes=1)))
    session.commit()
    page = anonymous.get(expired)
    assert page.status_code == 410
    html = page.get_data(as_text=True)
    assert "This invite link cannot be used" in html and "expired on" in html
    assert "Skip to content" in html  # in the app's own layout
    used = _invite(session, designer, team)
    html = anonymous.get(used).get_data(as_text=True)
    anonymous.post(used + "/account", data={**_form(), "csrf_token": _token(html)})
    stranger = anonymous.application.test_client()
    again = stranger.get(used)
    assert again.status_code == 410
    assert "already been used" in again.get_data(as_text=True)
    html = stranger.get("/sign-in").get_data(as_text=True)
    late = stranger.post(used + "/account", data={
        **_form(email="cy@example.org"), "csrf_token": _token(html)})
    assert late.status_code == 410
    assert "cy@example.org" not in [u.email for u in accounts.list_users(session=session)]
    assert stranger.get("/join/not-a-token").status_code == 410


def test_the_new_account_form_needs_the_csrf_token(anonymous, session, designer, team):
    path = _invite(session, designer, team)
    response = anonymous.post(path + "/account", data=_form())
    assert response.status_code == 400
    assert accounts.list_users(session=session)[0].email == "ana@example.org"
    assert len(accounts.list_users(session=session)) == 1


def test_someone_with_an_account_signs_in_and_comes_back_to_join(anonymous, session,
                                                                 designer, team):
    path = _invite(session, designer, team, role="viewer")
    accounts.create_user(session=session, email="bo@example.org", name="Bo",
                         password=PASSWORD)
    html = anonymous.get(path).get_data(as_text=True)
    assert "/sign-in?next=/join/" in html
    signed = anonymous.post("/sign-in", data={"email": "bo@example.org", "password": PASSWORD,
                                              "csrf_token": _token(html), "next": path})
    assert signed.headers["Location"] == path
    html = anonymous.get(path).get_data(as_text=True)
    assert "Join it as Bo?" in html
    assert anonymous.post(path, data={"csrf_token": _token(html)}).status_code == 303
    members = accounts.list_members(session=session, actor=store.SYSTEM, team_id=team.id)
    assert ("bo@example.org", "viewer") in [(m.email, m.role) for m in members]
