"""The journey list in a real browser: accessible, keyboard-usable, htmx loaded."""

from journeys.store import services as store
from tests.factories import make_journey


def test_journey_list_has_no_accessibility_violations(live_server, signed_in, axe, session):
    page = signed_in
    store.import_journey(
        session=session, actor=store.SYSTEM, journey=make_journey(title="Register a birth"))
    page.goto(live_server + "/")
    assert page.get_by_role("heading", name="Journeys").is_visible()
    assert page.get_by_role("cell", name="Register a birth").is_visible()
    assert axe(page) == []


def test_empty_list_has_no_accessibility_violations(live_server, signed_in, axe):
    page = signed_in
    page.goto(live_server + "/")
    assert page.get_by_text("No journeys yet").is_visible()
    assert axe(page) == []


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(live_server, signed_in):
    page = signed_in
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_htmx_is_served_from_the_installed_assets(live_server, signed_in):
    page = signed_in
    page.goto(live_server + "/")
    page.wait_for_function("() => window.htmx !== undefined")
    assert page.evaluate("htmx.version").startswith("2.")


def test_sign_in_page_has_no_accessibility_violations(live_server, page, axe):
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(live_server + "/sign-in")
        assert [v for v in axe(page) if v["impact"] in {"serious", "critical"}] == []


def _serious(axe, page):
    return [v for v in axe(page) if v["impact"] in {"serious", "critical"}]


def test_an_invite_makes_a_new_account_that_joins_the_team(live_server, page, axe, session,
                                                           designer):
    from journeys.store import accounts

    team = accounts.find_team(session=session, actor=store.SYSTEM, name=store.DEFAULT_TEAM)
    owner = store.actor_for_user(session=session, user_id=designer.id)
    path = "/join/" + accounts.create_invite(session=session, actor=owner, team_id=team.id,
                                             role="editor")
    page.goto(live_server + path)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        assert _serious(axe, page) == []
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_label("Your name").fill("Bo Berg")
    page.get_by_label("Email address").fill("bo@example.org")
    page.get_by_label("Password", exact=True).fill("a new long password")
    page.get_by_label("Password again").fill("a different one!")
    page.get_by_role("button", name="Create my account and join").click()
    assert page.title().startswith("Error:")
    assert page.get_by_label("Email address").input_value() == "bo@example.org"
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        assert _serious(axe, page) == []
    page.get_by_label("Password", exact=True).fill("a new long password")
    page.get_by_label("Password again").fill("a new long password")
    page.get_by_role("button", name="Create my account and join").click()
    page.wait_for_url(f"{live_server}/teams/{team.id}")
    assert page.get_by_text("Your account is ready").is_visible()
    # The link is used now: a clear page, in the app's layout, also accessible.
    page.goto(live_server + path)
    assert page.get_by_role("heading", name="This invite link cannot be used").is_visible()
    assert _serious(axe, page) == []
