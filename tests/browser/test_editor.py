"""The issue's editing scenarios in a real browser, keyboard paths and conflicts."""

import re

from journeys.store import services as store
from tests.browser.conftest import sign_in
from tests.factories import make_journey


def _create(page, base, title="Renew a permit") -> int:
    page.goto(base + "/")
    page.get_by_role("button", name="New journey").click()
    page.get_by_label("Journey title").fill(title)
    page.get_by_role("button", name="Create journey").click()
    page.wait_for_url(re.compile(r".*/journeys/\d+$"))
    return int(page.url.rsplit("/", 1)[1])


def _add_stage(page, name):
    page.get_by_label("Stage name").fill(name)
    page.get_by_role("button", name="Add stage").click()
    page.wait_for_load_state()


def _add_step(page, base, journey_id, title, stage):
    page.goto(f"{base}/journeys/{journey_id}")
    page.get_by_label("Step title").fill(title)
    page.get_by_label("In stage").select_option(label=stage)
    page.get_by_role("button", name="Add step").click()
    page.wait_for_url(re.compile(r".*/steps/[a-z0-9-]+$"))


def test_a_new_user_builds_and_annotates_a_journey(live_server, signed_in, axe):
    page = signed_in
    journey_id = _create(page, live_server)
    for name in ("Apply", "Decide"):
        _add_stage(page, name)
    assert [h.inner_text() for h in page.locator("th.app-map__stage").all()] == \
        ["1. Start", "2. Apply", "3. Decide"]
    for title, stage in (("Fills the form", "Apply"), ("Sends evidence", "Apply"),
                         ("Checks the file", "Decide"), ("Gets a decision", "Decide")):
        _add_step(page, live_server, journey_id, title, stage)
    # A failure transition, picked from the journey's own steps.
    page.goto(f"{live_server}/journeys/{journey_id}/steps/checks-the-file")
    page.get_by_label("To step").select_option(label="3. Sends evidence")
    page.get_by_label("Kind").select_option("failure")
    page.locator("#transition-label").fill("evidence missing")
    page.get_by_role("button", name="Add transition").click()
    page.locator(".app-saved", has_text="Transition added.").wait_for()
    # Annotate a step: its level saves on change, a check with a note, a pain point.
    page.goto(f"{live_server}/journeys/{journey_id}/steps/fills-the-form")
    page.get_by_label("Pyramid level").select_option("2")
    page.locator(".app-saved", has_text="Step saved.").wait_for()
    check = page.locator("#check-ACC-01")
    check.get_by_label("fail").check()
    check.get_by_label("Note on ACC-01").fill("No phone route")
    check.get_by_role("button", name="Save ACC-01").click()
    page.locator("#check-ACC-01").locator(".app-saved", has_text="Check ACC-01 saved.").wait_for()
    page.get_by_label("What goes wrong for the citizen").fill("The form times out")
    page.get_by_role("button", name="Add pain point").click()
    page.locator(".app-saved", has_text="Pain point added.").wait_for()
    assert [v for v in axe(page) if v["impact"] in {"serious", "critical"}] == []
    # The map and the flow show it all.
    page.goto(f"{live_server}/journeys/{journey_id}")
    card = page.get_by_role("link", name=re.compile("Fills the form"))
    assert "Level 2: fixes problems well" in card.inner_text()
    assert "1 pain point" in card.inner_text()
    assert "1 failed check" in card.inner_text()
    page.get_by_role("link", name="Flow").click()
    assert page.locator("a.app-flow__link").count() == 5
    assert "evidence missing" in page.locator("#flow").inner_text()
    for label in ("SVG", "PNG"):
        with page.expect_download() as info:
            page.get_by_role("link", name=label, exact=True).click()
        assert info.value.suggested_filename == f"renew-a-permit.{label.lower()}"


def test_the_diagram_on_the_step_page_follows_each_change(live_server, signed_in, session):
    journey_id = store.import_journey(session=session, actor=store.SYSTEM,
                                      journey=make_journey(title="T"))
    page = signed_in
    page.goto(f"{live_server}/journeys/{journey_id}/steps/s1")
    page.locator("#step-flow svg").wait_for()
    page.get_by_label("Title", exact=True).fill("Renamed in the editor")
    page.get_by_label("Title", exact=True).press("Tab")
    page.locator(".app-saved", has_text="Step saved.").wait_for()
    page.wait_for_function("() => document.querySelector('#step-flow svg') && "
                           "document.querySelector('#step-flow').textContent"
                           ".includes('Renamed in the editor')")


def test_two_people_edit_the_same_step_and_the_second_sees_the_conflict(
        live_server, browser, signed_in, designer, session):
    journey_id = store.import_journey(session=session, actor=store.SYSTEM,
                                      journey=make_journey(title="T"))
    first = signed_in
    second = browser.new_context().new_page()
    sign_in(second, live_server, designer.email)
    for p in (first, second):
        p.goto(f"{live_server}/journeys/{journey_id}/steps/s1")
    first.get_by_label("Agency").fill("Their agency")
    first.get_by_label("Agency").press("Tab")
    first.locator(".app-saved", has_text="Step saved.").wait_for()
    second.get_by_label("Agency").fill("My agency")
    second.get_by_label("Agency").press("Tab")
    warning = second.locator(".app-conflict")
    warning.wait_for()
    assert "Changed by Ana López at" in warning.inner_text()
    assert "Their agency" in warning.inner_text() and "My agency" in warning.inner_text()
    assert second.get_by_label("Agency").input_value() == "My agency"  # nothing lost
    second.get_by_role("button", name="Apply mine").click()
    second.locator(".app-saved", has_text="Step saved.").wait_for()
    session.expire_all()
    stored = store.load_journey(session=session, actor=store.SYSTEM, journey_id=journey_id)
    assert stored.steps[0].agency == "My agency"
    second.context.close()


def test_undo_restores_the_value(live_server, signed_in, session):
    journey_id = store.import_journey(session=session, actor=store.SYSTEM,
                                      journey=make_journey(title="T"))
    page = signed_in
    page.goto(f"{live_server}/journeys/{journey_id}/steps/s1")
    page.get_by_label("Title", exact=True).fill("A mistake")
    page.get_by_role("button", name="Save step").click()
    page.locator(".app-saved", has_text="Step saved.").wait_for()
    page.get_by_role("button", name="Undo the last change").click()
    page.get_by_text("Undone:").wait_for()
    assert page.get_by_label("Title", exact=True).input_value() == "Step s1"


def _tab_to(page, locator, limit=200):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError("never reached by Tab")


def test_keyboard_only_adds_a_step_and_a_transition(live_server, signed_in, session):
    journey_id = store.import_journey(session=session, actor=store.SYSTEM,
                                      journey=make_journey(title="T"))
    page = signed_in
    page.goto(f"{live_server}/journeys/{journey_id}")
    _tab_to(page, page.get_by_label("Step title"))
    page.keyboard.type("Typed by keyboard")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/journeys/{journey_id}/steps/typed-by-keyboard")
    _tab_to(page, page.get_by_label("To step"))
    page.keyboard.press("ArrowDown")
    _tab_to(page, page.get_by_role("button", name="Add transition"))
    page.keyboard.press("Enter")
    page.locator(".app-saved", has_text="Transition added.").wait_for()
    session.expire_all()
    stored = store.load_journey(session=session, actor=store.SYSTEM, journey_id=journey_id)
    assert any(t.source == "typed-by-keyboard" for t in stored.transitions)
    # Focus stays with the edited section after the swap, never lost to the page top.
    assert page.evaluate("document.activeElement !== document.body")


SERIOUS = {"serious", "critical"}


def _no_serious(axe, page, where):
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        serious = [v for v in axe(page) if v["impact"] in SERIOUS]
        assert serious == [], (where, width, serious)
    page.set_viewport_size({"width": 1280, "height": 900})


def _three_stages(session):
    return store.import_journey(session=session, actor=store.SYSTEM, journey=make_journey(
        title="T", stages=[{"id": "a", "name": "Find out"}, {"id": "b", "name": "Apply"},
                           {"id": "c", "name": "Wait"}],
        steps=[{"id": "s1", "stage": "a", "pain_points": [{"text": "Slow"}]},
               {"id": "s2", "stage": "b"}, {"id": "s3", "stage": "c"}]))


def _stored(session, journey_id):
    session.expire_all()
    return store.load_journey(session=session, actor=store.SYSTEM, journey_id=journey_id)


def test_journey_details_are_edited_with_errors_shown_and_axe_clean(live_server, signed_in,
                                                                    session, axe):
    journey_id = _three_stages(session)
    page = signed_in
    page.goto(f"{live_server}/journeys/{journey_id}")
    page.get_by_role("link", name="Edit the journey's details and stages").click()
    page.get_by_label("Title", exact=True).fill("")
    page.get_by_label("Persona's name").fill("Sam")
    page.get_by_role("button", name="Save details").click()
    assert page.title().startswith("Error:")
    page.locator(".govuk-error-summary").wait_for()
    assert page.get_by_label("Persona's name").input_value() == "Sam"  # nothing lost
    _no_serious(axe, page, "details with an error")
    page.get_by_label("Title", exact=True).fill("Renew a parking permit")
    page.get_by_label("to-be: the designed journey").check()
    page.get_by_role("button", name="Save details").click()
    page.get_by_text("Journey details saved.").wait_for()
    stored = _stored(session, journey_id)
    assert (stored.title, stored.state, stored.persona.name) == \
        ("Renew a parking permit", "to-be", "Sam")
    page.get_by_role("button", name="Undo the last change").click()
    page.get_by_text("Undone:").wait_for()
    assert page.get_by_label("Title", exact=True).input_value() == "T"
    # Someone else changes the journey meanwhile: their value next to mine, a choice.
    version = store.get_journey_row(session=session, actor=store.SYSTEM,
                                    journey_id=journey_id).version
    store.update_journey(session=session, actor=store.SYSTEM, journey_id=journey_id,
                         changes={"title": "Theirs"}, expected_version=version)
    page.get_by_label("Title", exact=True).fill("Mine")
    page.get_by_role("button", name="Save details").click()
    page.get_by_text("Changed by command line").wait_for()
    _no_serious(axe, page, "details conflict")
    page.get_by_role("button", name="Apply mine").click()
    page.get_by_text("Journey details saved.").wait_for()
    assert _stored(session, journey_id).title == "Mine"


def test_stages_are_renamed_reordered_by_keyboard_and_deleted(live_server, signed_in, session,
                                                              axe):
    journey_id = _three_stages(session)
    page = signed_in
    page.goto(f"{live_server}/journeys/{journey_id}/details")
    page.get_by_label("Name of stage 2").fill("Apply online")
    page.get_by_role("button", name="Save stage Apply").click()
    page.get_by_text("Stage saved.").wait_for()
    # Reorder by keyboard alone: Tab to the button, Enter.
    _tab_to(page, page.locator("#stage-c").get_by_role("button", name="Move up"))
    page.keyboard.press("Enter")
    page.get_by_text("Stage moved.").wait_for()
    assert [s.name for s in _stored(session, journey_id).stages] == \
        ["Find out", "Wait", "Apply online"]
    # Deleting a stage with steps asks what happens to them.
    stage = page.locator("#stage-a")
    stage.get_by_role("button", name="Delete stage Find out").click()
    page.locator(".govuk-error-summary").wait_for()
    assert page.title().startswith("Error:")
    _no_serious(axe, page, "stage delete without a choice")
    stage = page.locator("#stage-a")
    stage.get_by_label("move to the stage chosen below").check()
    stage.get_by_label("Stage the steps move to").select_option(label="Apply online")
    stage.get_by_role("button", name="Delete stage Find out").click()
    page.get_by_text("Stage deleted.").wait_for()
    stored = _stored(session, journey_id)
    assert [s.id for s in stored.stages] == ["c", "b"]
    assert stored.steps[0].stage == "b"


def test_a_pain_point_is_edited_and_voted_and_a_step_moves_stage(live_server, signed_in,
                                                                 session, axe):
    journey_id = _three_stages(session)
    page = signed_in
    page.goto(f"{live_server}/journeys/{journey_id}/steps/s1")
    page.locator("#pains").get_by_role("button", name="+1 vote").focus()
    page.keyboard.press("Enter")
    page.locator(".app-saved", has_text="Vote counted.").wait_for()
    assert "1 vote" in page.locator("#pains").inner_text()
    # Focus stays on the button, so a keyboard user can vote again at once.
    assert page.evaluate("document.activeElement.id") == "vote-0"
    page.locator("#pains summary").first.click()
    page.get_by_label("Pain point 1: what goes wrong").fill("")
    page.get_by_role("button", name="Save pain point 1").click()
    page.locator("#pains .govuk-error-message").wait_for()
    _no_serious(axe, page, "pain point edit with an error")
    page.get_by_label("Pain point 1: what goes wrong").fill("The form times out")
    page.get_by_label("Severity of pain point 1").select_option("3")
    page.get_by_role("button", name="Save pain point 1").click()
    page.locator(".app-saved", has_text="Pain point saved.").wait_for()
    pain = _stored(session, journey_id).steps[0].pain_points[0]
    assert (pain.text, pain.severity, pain.votes) == ("The form times out", 3, 1)
    page.get_by_label("Move to another stage").select_option(label="3. Wait")
    page.get_by_role("button", name="Move to this stage").click()
    page.locator(".app-saved", has_text="Step moved.").wait_for()
    assert _stored(session, journey_id).steps[0].stage == "c"
    _no_serious(axe, page, "step page after moving")
