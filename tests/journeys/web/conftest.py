"""Web fixtures: a signed-in designer who owns the default team."""

import re

import pytest

PASSWORD = "a long test password"


def sign_in(client, email: str, password: str = PASSWORD):
    """Sign in through the form, as a browser does (CSRF token included)."""
    html = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    return client.post("/sign-in", data={"email": email, "password": password,
                                         "csrf_token": token, "next": "/"})


@pytest.fixture
def designer(session):
    """A user who owns the team that journeys are imported into by default."""
    from journeys.store import accounts
    from journeys.store import services as store

    user = accounts.create_user(session=session, email="ana@example.org", name="Ana López",
                                password=PASSWORD)
    accounts.create_team(session=session, actor=store.SYSTEM, name=store.DEFAULT_TEAM,
                         owner_email=user.email)
    return user


@pytest.fixture
def anonymous(app):
    """A client that has not signed in."""
    return app.test_client()


@pytest.fixture
def client(app, designer):
    """A test client signed in as the designer."""
    client = app.test_client()
    assert sign_in(client, designer.email).status_code == 303
    return client
