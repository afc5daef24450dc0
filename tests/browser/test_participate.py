"""Workshop participants on phones, in a real browser: join by code, tag, agree, with and
without JavaScript, and every page accessible at 320 px."""

import re

import pytest

from journeys.store import services as store
from journeys.store import workshops as ws
from tests.factories import make_journey

PHONE = {"width": 320, "height": 640}


@pytest.fixture
def workshop(session):
    journey = make_journey(
        stages=[{"id": "find", "name": "Find out"}, {"id": "apply", "name": "Apply"}],
        steps=[{"id": "read", "stage": "find", "title": "Read the guidance",
                "description": "The council's web page about parking permits."},
               {"id": "form", "stage": "apply", "title": "Fill in the form"},
               {"id": "check", "stage": "apply", "title": "Officer checks",
                "actor": "back-office"}])
    journey_id = store.import_journey(session=session, actor=store.SYSTEM, journey=journey)
    return ws.start_workshop(session=session, actor=store.SYSTEM, journey_id=journey_id,
                             title="Permit renewal evening", open_stages=["find", "apply"])


@pytest.fixture
def phone(browser):
    """A phone-sized browser context factory; contexts close after the test."""
    contexts = []

    def make(javascript: bool = True):
        context = browser.new_context(viewport=PHONE, java_script_enabled=javascript,
                                      is_mobile=True, has_touch=True)
        context.set_default_timeout(15000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def _serious(violations):
    return [v for v in violations if v["impact"] in {"serious", "critical"}]


def _fits(page) -> bool:
    """Nothing wider than the phone: no sideways scrolling at 320 px."""
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _join(page, base, code, name=""):
    page.goto(base + "/w")
    page.get_by_label("Type the workshop code").fill(f"{code[:3].lower()} {code[3:]}")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(rf"/w/{code}$"))
    if name:
        page.get_by_label("Display name (optional)").fill(name)
    page.get_by_role("button", name="Join the workshop").click()
    page.wait_for_url(re.compile(rf"/w/{code}/steps"))


def test_two_phones_join_by_code_tag_and_agree(live_server, phone, workshop, axe, session):
    ana, bo = phone(), phone()
    _join(ana, live_server, workshop.code, "Ana")
    _join(bo, live_server, workshop.code)
    assert ana.get_by_role("heading", name="Read the guidance").is_visible()
    assert ana.get_by_role("heading", name="Officer checks").count() == 0

    read = ana.locator("#step-read")
    read.get_by_label("What went wrong or was hard here?").fill("<b>Too much jargon</b>")
    read.get_by_label("What kind of problem is it?").select_option("confusion")
    read.get_by_label("It stopped me").check()
    read.get_by_role("button", name="Add this problem").click()
    thanks = ana.locator("#step-read").get_by_text("Thank you — your problem was added.")
    thanks.wait_for()
    # htmx swapped the step in place, announced it, and put focus on the thank-you.
    ana.wait_for_function("() => document.getElementById('status').textContent"
                          ".includes('your problem was added')")
    assert ana.evaluate("document.activeElement.closest('#step-read') !== null")
    assert ana.locator("#step-read").get_by_text("<b>Too much jargon</b>").is_visible()

    form = ana.locator("#step-form")
    form.get_by_label("What would make this step better?").fill("Fill in what you know")
    form.get_by_role("button", name="Add this idea").click()
    ana.locator("#step-form").get_by_text("Thank you — your idea was added.").wait_for()
    ana.locator("#step-form").get_by_label("Very bad").check()
    ana.locator("#step-form").get_by_role("button", name="Save my answer").click()
    ana.locator("#step-form").get_by_text("Thank you — your answer was saved.").wait_for()
    assert ana.locator("#step-form").get_by_label("Very bad").is_checked()

    # Bo's page refreshes by polling and shows Ana's pain point, as text.
    others = bo.locator("#live-read")
    others.get_by_text("<b>Too much jargon</b>").wait_for(timeout=15000)
    others.get_by_role("button", name="I agree").click()
    bo.locator("#step-read").get_by_text("1 person agrees").wait_for()
    assert bo.locator("#live-read").get_by_role("button",
                                                name="Withdraw my agreement").is_visible()
    for page in (ana, bo):
        assert _fits(page)
        assert _serious(axe(page)) == []
    session.expire_all()
    item = ws.participant_items(session=session, workshop_id=workshop.id,
                                token=_token(ana, workshop))[0]
    assert (item.text, item.votes) == ("<b>Too much jargon</b>", 1)


def _token(page, workshop) -> str:
    cookie = next(c for c in page.context.cookies() if c["name"] == f"cj_w{workshop.id}")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert page.evaluate("document.cookie").find(cookie["value"]) == -1
    return cookie["value"]


def test_without_javascript_a_phone_can_join_and_tag(live_server, phone, workshop, session):
    page = phone(javascript=False)
    _join(page, live_server, workshop.code)
    read = page.locator("#step-read")
    read.get_by_label("What went wrong or was hard here?").fill("I could not find the form")
    read.get_by_role("button", name="Add this problem").click()
    page.wait_for_url(re.compile(r"/steps#step-read$"))
    assert page.locator("#step-read").get_by_text(
        "Thank you — your problem was added.").is_visible()
    assert page.locator("#step-read").get_by_text("I could not find the form").is_visible()
    # An empty one is refused next to the field, with nothing stored.
    page.locator("#step-read").get_by_role("button", name="Add this problem").click()
    assert page.title().startswith("Error:")
    assert page.locator("#step-read").get_by_text(
        "Write what went wrong or was hard").first.is_visible()
    session.expire_all()
    items = ws.participant_items(session=session, workshop_id=workshop.id,
                                 token=_token(page, workshop))
    assert [i.text for i in items] == ["I could not find the form"]


def test_every_participant_page_is_accessible_at_320_px(live_server, phone, workshop, axe,
                                                        session):
    page = phone()
    checked = []

    def check(name):
        assert _serious(axe(page)) == [], name
        assert _fits(page), name
        checked.append(name)

    page.goto(live_server + "/w")
    check("code")
    page.get_by_role("button", name="Continue").click()
    check("code with an error")
    page.goto(live_server + "/w/ZZZZZZ")
    check("unknown code")
    page.goto(live_server + f"/w/{workshop.code}?again=1")
    check("join, asked to join again")
    page.get_by_label("Display name (optional)").fill("x" * 101)
    page.get_by_role("button", name="Join the workshop").click()
    check("join with an error")
    page.get_by_label("Display name (optional)").fill("")
    page.get_by_role("button", name="Join the workshop").click()
    page.wait_for_url(re.compile(r"/steps"))
    check("steps")
    page.locator("#step-read").get_by_role("button", name="Add this problem").click()
    page.locator("#step-read .govuk-error-message").first.wait_for()
    check("steps with an error")
    page.select_option("#workshop-language", "fr")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_url(re.compile(r"/steps"))
    assert page.evaluate("document.documentElement.lang") == "fr"
    check("steps in French")
    # An expired form, sent with htmx, says so in the page's main part.
    page.evaluate("document.querySelector('#step-form input[name=csrf_token]').value = 'old'")
    page.locator("#step-form").get_by_role("button", name="Enregistrer ma réponse").click()
    page.get_by_role("heading", name="Le formulaire avait expiré").wait_for()
    check("expired form")
    page.reload()
    journey_id = ws.get_workshop(session=session, actor=store.SYSTEM,
                                 workshop_id=workshop.id).journey_id
    version = store.get_journey_row(session=session, actor=store.SYSTEM,
                                    journey_id=journey_id).version
    ws.close_workshop(session=session, actor=store.SYSTEM, workshop_id=workshop.id,
                      expected_version=version)
    # The open page learns by polling that the workshop closed.
    page.get_by_text("Cet atelier est terminé").first.wait_for(timeout=15000)
    check("steps told of the closing")
    page.goto(live_server + f"/w/{workshop.code}")
    check("closed")
    assert len(checked) == 11


def test_too_fast_is_said_in_place_and_keeps_the_typed_text(live_server, phone, workshop,
                                                            monkeypatch):
    monkeypatch.setattr(ws, "RATE_LIMIT", 1)
    page = phone()
    _join(page, live_server, workshop.code)
    read = page.locator("#step-read")
    read.get_by_label("What would make this step better?").fill("Plain words")
    read.get_by_role("button", name="Add this idea").click()
    page.locator("#step-read").get_by_text("Thank you — your idea was added.").wait_for()
    read = page.locator("#step-read")
    read.get_by_label("What would make this step better?").fill("Shorter pages")
    read.get_by_role("button", name="Add this idea").click()
    message = page.locator("#step-read .govuk-error-message")
    message.wait_for()
    assert "You are sending contributions very fast" in message.inner_text()
    assert page.locator("#step-read").get_by_label(
        "What would make this step better?").input_value() == "Shorter pages"
    # Focus moves once htmx has settled the swap, a moment after the message is in place.
    page.wait_for_function(
        "() => document.activeElement.classList.contains('govuk-error-message')")
