"""The journey pages in a real browser: axe at 1280 and 320 px, keyboard, French, no CSP errors."""

import pytest

from journeys.store import services as store
from tests.factories import make_journey

WIDTHS = [1280, 320]
SERIOUS = {"serious", "critical"}


@pytest.fixture
def journey_id(session):
    journey = make_journey(
        title="Renew a permit",
        steps=[
            {"id": "apply", "stage": "a", "title": "Applies online", "level": 2, "emotion": 2,
             "moment_of_truth": True,
             "pain_points": [{"text": "Form times out", "severity": 3, "votes": 2}]},
            {"id": "review", "stage": "a", "title": "Checks the form", "actor": "back-office"},
            {"id": "decide", "stage": "b", "title": "Gets a decision", "channel": "letter"},
        ],
        transitions=[("apply", "review"), ("review", "decide"),
                     ("review", "apply", "missing evidence", "failure")])
    return store.import_journey(session=session, actor=store.SYSTEM, journey=journey)


def _pages(journey_id):
    return ["/", "/journeys/new", "/journeys/deleted", "/teams",
            f"/journeys/{journey_id}/history", f"/journeys/{journey_id}",
            f"/journeys/{journey_id}/flow",
            f"/journeys/{journey_id}/text", f"/journeys/{journey_id}/proposals",
            f"/journeys/{journey_id}/steps/apply", f"/journeys/{journey_id}/details",
            "/rules", "/journeys/999"]


@pytest.fixture
def csp_errors(signed_in):
    """Console messages about the content security policy (there must be none)."""
    errors = []
    signed_in.on("console", lambda m: errors.append(m.text)
            if "Content Security Policy" in m.text else None)
    return errors


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_passes_axe(live_server, signed_in, axe, journey_id, width, csp_errors):
    page = signed_in
    page.set_viewport_size({"width": width, "height": 900})
    for path in _pages(journey_id):
        page.goto(live_server + path)
        serious = [v for v in axe(page) if v["impact"] in SERIOUS]
        assert serious == [], (path, serious)
    assert csp_errors == []


def test_govuk_frontend_runs_under_the_csp(live_server, signed_in, journey_id, csp_errors):
    page = signed_in
    page.goto(live_server + f"/journeys/{journey_id}")
    page.wait_for_function("() => document.body.classList.contains('govuk-frontend-supported')")
    page.wait_for_function("() => window.htmx && htmx.config.allowEval === false")
    assert csp_errors == []


def test_at_320_px_the_page_does_not_scroll_sideways(live_server, signed_in, journey_id):
    page = signed_in
    page.set_viewport_size({"width": 320, "height": 800})
    for path in _pages(journey_id):
        page.goto(live_server + path)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, path


def test_a_map_card_opens_its_step_by_keyboard(live_server, signed_in, journey_id):
    page = signed_in
    page.goto(live_server + f"/journeys/{journey_id}")
    card = page.get_by_role("link", name="Step 1 Applies online")
    card.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/journeys/{journey_id}/steps/apply")
    assert page.get_by_role("heading", level=1).inner_text() == "Applies online"


def test_a_flow_node_opens_its_step_with_enter(live_server, signed_in, journey_id):
    page = signed_in
    page.goto(live_server + f"/journeys/{journey_id}/flow")
    node = page.locator("a.app-flow__link").nth(2)
    for _ in range(60):  # Tab through the page to the third step's node
        page.keyboard.press("Tab")
        if node.evaluate("el => el === document.activeElement"):
            break
    else:
        raise AssertionError("the flow node never took the focus")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/journeys/{journey_id}/steps/decide")
    assert page.get_by_role("heading", level=1).inner_text() == "Gets a decision"


def test_a_flow_node_opens_its_step_on_click(live_server, signed_in, journey_id):
    page = signed_in
    page.goto(live_server + f"/journeys/{journey_id}/flow")
    page.locator("a.app-flow__link").first.click()
    page.wait_for_url(f"**/journeys/{journey_id}/steps/apply")


def test_the_french_interface_shows_on_the_journey_page(live_server, signed_in, journey_id):
    page = signed_in
    page.goto(live_server + f"/journeys/{journey_id}")
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_url(f"**/journeys/{journey_id}")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", name="Carte du parcours").is_visible()
    assert page.get_by_role("link", name="Flux").is_visible()
    assert page.get_by_role("heading", name="Renew a permit").is_visible()


def test_downloads_of_svg_and_png(live_server, signed_in, journey_id):
    page = signed_in
    page.goto(live_server + f"/journeys/{journey_id}/flow")
    for label, magic in (("SVG", b"<?xml"), ("PNG", b"\x89PNG")):
        with page.expect_download() as info:
            page.get_by_role("link", name=label, exact=False).first.click()
        download = info.value
        assert download.suggested_filename == f"renew-a-permit.{label.lower()}"
        with open(download.path(), "rb") as f:
            assert f.read(5).startswith(magic[:4])
