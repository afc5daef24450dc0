"""The facilitator's workshop pages in a real browser: start, watch contributions arrive,
moderate, close and download the report; axe at 1280 and 320 px, no CSP errors."""

import re

import pytest
from playwright.sync_api import expect

from journeys.store import services as store
from journeys.store import workshops as ws
from tests.factories import permit_journey

WIDTHS = [1280, 320]
SERIOUS = {"serious", "critical"}


@pytest.fixture
def journey_id(session):
    return permit_journey(session)


@pytest.fixture
def csp_errors(signed_in):
    """Console messages about the content security policy (there must be none)."""
    errors = []
    signed_in.on("console", lambda m: errors.append(m.text)
                 if "Content Security Policy" in m.text else None)
    return errors


def _start(page, base, journey_id, moderation="after"):
    page.goto(f"{base}/journeys/{journey_id}/workshops")
    page.get_by_label("Title").fill("Evening session")
    if moderation == "before":
        page.get_by_label("Approve each contribution before the room sees it").check()
    page.get_by_role("button", name="Start the workshop").click()
    page.wait_for_url(re.compile(r".*/workshops/\d+$"))
    return int(page.url.rsplit("/", 1)[1])


def _serious(axe, page):
    return [v for v in axe(page) if v["impact"] in SERIOUS]


def test_a_facilitator_runs_a_workshop_from_start_to_report(live_server, signed_in, session,
                                                            journey_id, csp_errors):
    page = signed_in
    workshop_id = _start(page, live_server, journey_id)
    w = ws.get_workshop(session=session, actor=store.SYSTEM, workshop_id=workshop_id)
    expect(page.locator(".app-code").first).to_have_text(f"{w.code[:3]} {w.code[3:]}")
    expect(page.locator("#board")).to_contain_text("0 participants")

    # Two participants tag the journey (their pages are not these; the store stands in).
    one = ws.join(session=session, code=w.code)[1]
    two = ws.join(session=session, code=w.code)[1]
    a = ws.add_pain_point(session=session, workshop_id=w.id, token=one, step="read",
                          text="The guidance is too long")
    b = ws.add_pain_point(session=session, workshop_id=w.id, token=two, step="read",
                          text="Far too much to read")
    ws.add_pain_point(session=session, workshop_id=w.id, token=two, step="form",
                      text="<script>alert(1)</script>")
    ws.add_idea(session=session, workshop_id=w.id, token=one, step="form",
                text="A checklist first")
    # The board polls: they arrive without a reload.
    board = page.locator("#board")
    expect(board).to_contain_text("The guidance is too long", timeout=5000)
    expect(board).to_contain_text("<script>alert(1)</script>")
    expect(board).to_contain_text("2 participants")

    # Hide one, with a reason; the empty reason is refused next to its field first.
    page.locator(f"#item-{b + 1}").get_by_role("link", name="Hide or reword").click()
    page.get_by_role("button", name="Hide it").click()
    expect(page).to_have_title(re.compile("^Error:"))
    expect(page.locator("#reason-error")).to_contain_text("Reason for hiding")
    page.get_by_label("Reason for hiding").fill("not about this step")
    page.get_by_role("button", name="Hide it").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Contribution hidden.")

    # Merge the two that say the same.
    page.locator("#step-read").get_by_role("link", name="Merge duplicates").click()
    page.locator(f"#merge-{b}").check()
    page.locator(f"#keep-{a}").check()
    page.get_by_role("button", name="Merge the ticked pain points").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("has 1 vote.")

    page.get_by_role("link", name="Close the workshop").click()
    page.get_by_role("button", name="Yes, close the workshop").click()
    expect(page.locator(".app-workshop-closed")).to_contain_text("This workshop has closed.")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report (Markdown)").click()
    text = download.value.path().read_text(encoding="utf-8")
    assert "The guidance is too long (severity 2, other, endorsed by 1)" in text
    assert "**hidden**: not about this step" in text

    page.get_by_role("link", name="The journey map with the citizens' pain points").click()
    expect(page.locator(".app-map")).to_contain_text("The guidance is too long")
    assert csp_errors == []


def test_the_board_keeps_the_keyboard_focus_when_contributions_arrive(live_server, signed_in,
                                                                      session, journey_id):
    page = signed_in
    workshop_id = _start(page, live_server, journey_id)
    w = ws.get_workshop(session=session, actor=store.SYSTEM, workshop_id=workshop_id)
    token = ws.join(session=session, code=w.code)[1]
    first = ws.add_pain_point(session=session, workshop_id=w.id, token=token, step="read",
                              text="The first one")
    board = page.locator("#board")
    expect(board).to_contain_text("The first one", timeout=5000)
    page.locator(f"#item-{first}").get_by_role("link", name="Hide or reword").focus()
    ws.add_pain_point(session=session, workshop_id=w.id, token=token, step="form",
                      text="The second one")
    expect(board).to_contain_text("The second one", timeout=5000)
    # The board was replaced under the facilitator's keyboard: focus is on the same link.
    page.wait_for_function(
        "href => document.activeElement && document.activeElement.getAttribute('href') === href",
        arg=f"/workshops/{w.id}/items/{first}")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_facilitator_pages_pass_axe_and_fit_a_phone(live_server, signed_in, axe, session,
                                                        journey_id, width, csp_errors):
    page = signed_in
    page.set_viewport_size({"width": width, "height": 900})
    workshop_id = _start(page, live_server, journey_id, moderation="before")
    w = ws.get_workshop(session=session, actor=store.SYSTEM, workshop_id=workshop_id)
    tokens = [ws.join(session=session, code=w.code)[1] for _ in range(2)]
    first = ws.add_pain_point(session=session, workshop_id=w.id, token=tokens[0], step="read",
                              text="A very long pain point " * 8)
    ws.add_pain_point(session=session, workshop_id=w.id, token=tokens[1], step="read",
                      text="Another one")
    ws.approve(session=session, actor=store.SYSTEM, item_id=first)
    ws.add_idea(session=session, workshop_id=w.id, token=tokens[1], step="form",
                text="Say it plainly")
    ws.set_feeling(session=session, workshop_id=w.id, token=tokens[0], step="read", value=-1)
    paths = [f"/journeys/{journey_id}/workshops", f"/workshops/{w.id}",
             f"/workshops/{w.id}/projector", f"/workshops/{w.id}/close",
             f"/journeys/{journey_id}"]
    for path in paths:
        page.goto(live_server + path)
        assert _serious(axe, page) == [], path
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, path
    for path in [f"/workshops/{w.id}/items/{first}", f"/workshops/{w.id}/steps/read/merge"]:
        page.goto(live_server + path)
        assert _serious(axe, page) == [], path
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, path
    page.goto(f"{live_server}/workshops/{w.id}/items/{first}")
    page.get_by_role("button", name="Hide it").click()
    expect(page).to_have_title(re.compile("^Error:"))
    assert _serious(axe, page) == []
    page.goto(f"{live_server}/workshops/{w.id}/close")
    page.get_by_role("button", name="Yes, close the workshop").click()
    expect(page.locator(".app-workshop-closed")).to_be_visible()
    assert _serious(axe, page) == []
    assert csp_errors == []


def test_a_phone_joins_at_the_address_shown_and_its_pain_point_reaches_the_board(
        live_server, signed_in, browser, journey_id, csp_errors):
    page = signed_in
    _start(page, live_server, journey_id)
    address = page.locator(".app-join__url").inner_text()
    assert address.startswith(live_server + "/w/")
    context = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        phone = context.new_page()
        phone.goto(address)
        phone.get_by_role("button", name="Join the workshop").click()
        phone.wait_for_url(re.compile(r"/w/\w+/steps"))
        step = phone.locator("#step-read")
        step.get_by_label("What went wrong or was hard here?").fill("I got lost in the PDF")
        step.get_by_role("button", name="Add this problem").click()
        # The facilitator's board polls every two seconds: no reload needed.
        expect(page.locator("#step-read")).to_contain_text("I got lost in the PDF",
                                                          timeout=5000)
        expect(page.locator("#board")).to_contain_text("1 participant")
    finally:
        context.close()
    assert csp_errors == []


def test_a_quiet_board_polls_slower_until_something_arrives(app, live_server, signed_in,
                                                            session, journey_id):
    app.config["WORKSHOP_QUIET_POLLS"] = 2
    page = signed_in
    workshop_id = _start(page, live_server, journey_id)
    board = page.locator("#board")
    expect(board).to_have_attribute("hx-trigger", "every 2s")
    expect(board).to_have_attribute("hx-trigger", "every 6s", timeout=10000)
    w = ws.get_workshop(session=session, actor=store.SYSTEM, workshop_id=workshop_id)
    token = ws.join(session=session, code=w.code)[1]
    ws.add_idea(session=session, workshop_id=w.id, token=token, step="read", text="Hello")
    expect(board).to_contain_text("Hello", timeout=10000)
    expect(board).to_have_attribute("hx-trigger", "every 2s")
