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
