"""Workshop participants' pages: join by code without an account, tag the steps, vote once,
in the workshop's language; every refusal is a clear page or a message next to its field."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from journeys.store import services as store
from journeys.store import workshops as ws
from journeys.store.models import (
    Workshop,
    WorkshopFeeling,
    WorkshopItem,
    WorkshopParticipant,
    WorkshopVote,
)
from tests.factories import make_journey


def _journey():
    return make_journey(
        stages=[{"id": "find", "name": "Find out"}, {"id": "apply", "name": "Apply"},
                {"id": "wait", "name": "Wait"}],
        steps=[{"id": "read", "stage": "find", "title": "Read the guidance"},
               {"id": "form", "stage": "apply", "title": "Fill in the form"},
               {"id": "check", "stage": "apply", "title": "Officer checks",
                "actor": "back-office"},
               {"id": "letter", "stage": "wait", "title": "Get the letter"}])


@pytest.fixture
def journey_id(session):
    return store.import_journey(session=session, actor=store.SYSTEM, journey=_journey())


def _start(session, journey_id, **kw):
    args = {"title": "Permit renewal evening", "open_stages": ["find", "apply"], **kw}
    return ws.start_workshop(session=session, actor=store.SYSTEM, journey_id=journey_id,
                             **args)


@pytest.fixture
def workshop(session, journey_id):
    return _start(session, journey_id)


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


class Participant:
    """A phone in the room: a test client that joined through the join page."""

    def __init__(self, app, code: str, name: str | None = None):
        self.client = app.test_client()
        self.code = code
        page = self.client.get(f"/w/{code}")
        assert page.status_code == 200
        self.csrf = _csrf(page.get_data(as_text=True))
        self.joined = self.client.post(f"/w/{code}/join", data={
            "csrf_token": self.csrf, "display_name": name or ""})

    def post(self, path: str, htmx: bool = False, **data):
        headers = {"HX-Request": "true"} if htmx else {}
        return self.client.post(f"/w/{self.code}{path}", data={"csrf_token": self.csrf,
                                                               **data}, headers=headers)

    def pain(self, step="read", text="The guidance uses jargon", **kw):
        return self.post(f"/steps/{step}/pain-points", text=text, **kw)

    def steps(self) -> str:
        response = self.client.get(f"/w/{self.code}/steps")
        assert response.status_code == 200
        return response.get_data(as_text=True)


@pytest.fixture
def join(app, workshop):
    def make(name=None, code=None):
        return Participant(app, code or workshop.code, name)
    return make


def _items(session):
    session.expire_all()
    return session.execute(sa.select(WorkshopItem).order_by(WorkshopItem.id)).scalars().all()


def _count(session, model) -> int:
    session.expire_all()
    return session.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()


# --- the code, the join page -------------------------------------------------------------


def test_typed_code_in_any_form_goes_to_the_workshop(anonymous, workshop):
    assert "Type the workshop code" in anonymous.get("/w").get_data(as_text=True)
    spoken = f" {workshop.code[:3].lower()}-{workshop.code[3:]} "
    response = anonymous.get("/w", query_string={"code": spoken})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/w/{workshop.code}"
    assert anonymous.get(f"/w/{workshop.code.lower()}").headers["Location"] \
        == f"/w/{workshop.code}"
    for typed in ("<>!", "abc", "K7MP2Q7"):  # not a code, or a letter short or over
        bad = anonymous.get("/w", query_string={"code": typed})
        assert bad.status_code == 422, typed
        assert "Error:" in bad.get_data(as_text=True)
        assert "for example K7M P2Q" in bad.get_data(as_text=True)


def test_join_page_names_the_workshop_and_what_is_collected(anonymous, workshop):
    html = anonymous.get(f"/w/{workshop.code}").get_data(as_text=True)
    assert "Permit renewal evening" in html
    assert "What we collect and why" in html
    assert "random code in a cookie" in html
    assert "evidence for its redesign" in html
    assert "Display name (optional)" in html
    assert "Join the workshop" in html
    # No designer navigation, no sign-in on a citizen's page.
    assert "Sign out" not in html and "Design rules" not in html


def test_unknown_code_is_a_clear_page_offering_to_type_it_again(anonymous):
    response = anonymous.get("/w/ZZZZZZ")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "No workshop has this code" in html
    assert "with the code ZZZ ZZZ." in html  # as the room's screen writes codes
    assert 'href="/w"' in html


def test_join_sets_an_httponly_cookie_and_the_token_is_nowhere_else(session, join, workshop):
    phone = join("Ana")
    assert phone.joined.status_code == 303
    assert phone.joined.headers["Location"] == f"/w/{workshop.code}/steps"
    cookie = next(c for c in phone.joined.headers.getlist("Set-Cookie")
                  if c.startswith(f"cj_w{workshop.id}="))
    token = cookie.split(";")[0].split("=", 1)[1]
    assert ws.participant_for(session=session, workshop_id=workshop.id,
                              token=token).display_name == "Ana"
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/w/" in cookie
    assert "Secure" not in cookie  # plain HTTP in this test; HTTPS adds it
    html = phone.steps()
    assert token not in html and token not in phone.joined.headers["Location"]
    assert "Read the guidance" in html and "Fill in the form" in html
    # The back-office step and the stage not open for comment are not shown.
    assert "Officer checks" not in html and "Get the letter" not in html
    # The pages link with the code, never with the token.
    assert all(token not in url for url in re.findall(r'(?:href|action|hx-\w+)="([^"]+)"',
                                                      html))


def test_steps_are_numbered_as_the_facilitators_board_numbers_them(session, app):
    # A back-office step before them keeps its number: step 3 is step 3 for everyone.
    journey = make_journey(
        stages=[{"id": "find", "name": "Find out"}],
        steps=[{"id": "read", "stage": "find", "title": "Read the guidance"},
               {"id": "prep", "stage": "find", "title": "Officer prepares",
                "actor": "back-office"},
               {"id": "call", "stage": "find", "title": "Call the office"}])
    journey_id = store.import_journey(session=session, actor=store.SYSTEM, journey=journey)
    w = _start(session, journey_id, open_stages=["find"])
    html = Participant(app, w.code).steps()
    assert re.findall(r'<li value="(\d+)"><a[^>]*>([^<]+)</a>', html) == [
        ("1", "Read the guidance"), ("3", "Call the office")]
    assert '<span class="app-w-number">3.</span> <span lang="en">Call the office</span>' in html


def test_the_cookie_is_secure_over_https(app, workshop):
    client = app.test_client()
    base = "https://localhost"
    html = client.get(f"{base}/w/{workshop.code}").get_data(as_text=True)
    response = client.post(f"{base}/w/{workshop.code}/join", data={"csrf_token": _csrf(html)},
                           headers={"Referer": f"{base}/w/{workshop.code}"})
    assert response.status_code == 303
    cookie = next(c for c in response.headers.getlist("Set-Cookie")
                  if c.startswith(f"cj_w{workshop.id}="))
    assert "Secure" in cookie


def _cookie_of(response, workshop) -> str:
    return next(c for c in response.headers.getlist("Set-Cookie")
                if c.startswith(f"cj_w{workshop.id}="))


def test_the_cookie_lasts_as_long_as_the_workshop(app, session, journey_id, join, workshop):
    # No closing time: up to 30 days, a remote workshop can run for weeks.
    assert "Max-Age=2592000" in _cookie_of(join().joined, workshop)
    # A closing time in two hours: the cookie ends an hour after it.
    timed = _start(session, journey_id, title="Timed",
                   closes_at=datetime.now(UTC) + timedelta(hours=2))
    max_age = int(re.search(r"Max-Age=(\d+)", _cookie_of(
        Participant(app, timed.code).joined, timed)).group(1))
    assert 3 * 3600 - 60 <= max_age <= 3 * 3600


def test_a_closed_workshop_makes_the_phone_forget_its_cookie(session, join, workshop,
                                                              journey_id):
    phone = join()
    version = store.get_journey_row(session=session, actor=store.SYSTEM,
                                    journey_id=journey_id).version
    ws.close_workshop(session=session, actor=store.SYSTEM, workshop_id=workshop.id,
                      expected_version=version)
    response = phone.client.get(f"/w/{workshop.code}/steps")
    assert response.status_code == 410
    assert "Max-Age=0" in _cookie_of(response, workshop)
    assert phone.client.get_cookie(f"cj_w{workshop.id}", path="/w/") is None


def test_a_long_display_name_is_refused_next_to_the_field(session, join):
    phone = join("x" * 101)
    assert phone.joined.status_code == 422
    html = phone.joined.get_data(as_text=True)
    assert "<title>Error:" in html
    assert 'id="display-name-error"' in html and "at most 100 characters" in html
    assert _count(session, WorkshopParticipant) == 0


def test_a_joined_participant_sees_a_link_to_the_steps(join, workshop):
    phone = join()
    html = phone.client.get(f"/w/{workshop.code}").get_data(as_text=True)
    assert "You have already joined" in html
    assert f'href="/w/{workshop.code}/steps"' in html


# --- contributions ---------------------------------------------------------------------------


def test_pain_point_post_redirect_get_with_a_thank_you_in_its_step(session, join, workshop):
    phone = join()
    response = phone.pain(text="The guidance uses jargon", category="confusion", severity=3)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/w/{workshop.code}/steps#step-read"
    [item] = _items(session)
    assert (item.step, item.kind, item.text, item.category, item.severity) == \
        ("read", "pain", "The guidance uses jargon", "confusion", 3)
    html = phone.steps()
    section = html[html.index('id="step-read"'):html.index('id="step-form"')]
    assert "Thank you — your problem was added." in section
    assert "You said" in section and "The guidance uses jargon" in section
    # The thank-you is shown once.
    assert "Thank you" not in phone.steps()


def test_idea_and_feeling_are_stored_and_the_feeling_can_be_changed(session, join):
    phone = join()
    assert phone.post("/steps/form/ideas", text="Fill in what you know").status_code == 303
    assert phone.post("/steps/form/feeling", value="-2").status_code == 303
    assert phone.post("/steps/form/feeling", value="1").status_code == 303
    [idea] = _items(session)
    assert (idea.kind, idea.text) == ("idea", "Fill in what you know")
    feelings = session.execute(sa.select(WorkshopFeeling.value)).scalars().all()
    assert feelings == [1]
    html = phone.steps()
    section = html[html.index('id="step-form"'):]
    checked = re.search(r'<input[^>]*name="value"[^>]*value="(-?\d)" checked', section)
    assert checked.group(1) == "1"
    assert "Change my answer" in section


def test_htmx_swaps_only_the_step_with_a_status_message(join):
    phone = join()
    response = phone.pain(step="form", text="It times out", htmx=True)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith("<section") and 'id="step-form"' in html
    assert 'id="step-read"' not in html and "<html" not in html
    assert 'data-status="Thank you — your problem was added."' in html
    assert "HX-Request" in response.headers["Vary"]


@pytest.mark.parametrize(("path", "data", "message", "field"), [
    ("/steps/read/pain-points", {"text": "   "}, "Write what went wrong or was hard",
     "s-read-pain-text"),
    ("/steps/read/pain-points", {"text": "x" * 100_000},
     "Write at most 1,000 characters (you wrote 100,000)", "s-read-pain-text"),
    ("/steps/read/ideas", {"text": ""}, "Write your idea", "s-read-idea-text"),
    ("/steps/read/ideas", {"text": "y" * 100_000},
     "Write at most 500 characters (you wrote 100,000)", "s-read-idea-text"),
    ("/steps/read/pain-points", {"text": "Slow", "severity": "9"}, "Choose how bad it was",
     "s-read-pain-severity-1"),
    ("/steps/read/pain-points", {"text": "Slow", "category": "bad"},
     "Choose what kind of problem it is", "s-read-pain-category"),
    ("/steps/read/feeling", {"value": "3"}, "Choose one of the five answers",
     "s-read-feeling-1"),
    ("/steps/read/feeling", {}, "Choose one of the five answers", "s-read-feeling-1"),
])
def test_bad_input_is_refused_next_to_the_field_and_nothing_stored(session, join, path, data,
                                                                    message, field):
    phone = join()
    for htmx in (False, True):
        response = phone.post(path, htmx=htmx, **data)
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert message in html
        assert 'class="govuk-error-message"' in html
        if not htmx:
            assert "<title>Error:" in html and "govuk-error-summary" in html
            # The summary's message takes the participant to the field to correct.
            assert f'<a href="#{field}">{message}' in html and f'id="{field}"' in html
    assert _count(session, WorkshopItem) == 0
    assert _count(session, WorkshopFeeling) == 0


@pytest.mark.parametrize("step", ["nope", "check", "letter"])
def test_steps_not_open_for_comment_are_refused(session, join, step):
    phone = join()
    for htmx in (False, True):
        response = phone.pain(step=step, htmx=htmx)
        assert response.status_code == 422
        assert "This step is not open for comment in this workshop." in \
            response.get_data(as_text=True)
        if htmx:
            assert response.headers["HX-Retarget"] == "#steps"
    assert _count(session, WorkshopItem) == 0


@pytest.mark.parametrize("text", [
    "<script>alert(1)</script>", '<img src=x onerror="alert(1)">', "=cmd|' /C calc'!A0",
    '"]; evil [label="x', "digraph { a -> b }"])
def test_hostile_text_is_shown_as_text(session, join, text):
    author, other = join(), join()
    assert author.pain(text=text).status_code == 303
    assert _items(session)[0].text == text
    for phone in (author, other):
        html = phone.steps()
        assert "<script>alert" not in html and "<img src=x" not in html
        assert str(__import__("markupsafe").escape(text)) in html


def test_rate_limited_participant_gets_a_friendly_429_and_others_go_on(session, join,
                                                                     monkeypatch):
    monkeypatch.setattr(ws, "RATE_LIMIT", 2)
    fast, calm = join(), join()
    assert fast.pain(text="one").status_code == 303
    assert fast.pain(text="two").status_code == 303
    for htmx in (False, True):
        response = fast.pain(text="three", htmx=htmx)
        assert response.status_code == 429
        html = response.get_data(as_text=True)
        assert "You are sending contributions very fast. Wait a minute" in html
        assert "three" in html  # what they typed is kept
    assert calm.pain(text="mine").status_code == 303
    assert [i.text for i in _items(session)] == ["one", "two", "mine"]


# --- votes -----------------------------------------------------------------------------------


def test_vote_counted_once_and_withdrawn(session, join):
    author, voter = join(), join()
    author.pain(text="Jargon")
    [item] = _items(session)
    html = voter.steps()
    assert "I agree" in html and "Nobody has agreed yet" in html
    assert "I agree" not in author.steps().split("What others said")[1].split("You said")[0]
    for _ in range(2):
        assert voter.post(f"/items/{item.id}/vote", vote="1", step="read").status_code == 303
    assert _items(session)[0].votes == 1
    assert _count(session, WorkshopVote) == 1
    html = voter.steps()
    assert "1 person agrees" in html and "Withdraw my agreement" in html
    response = voter.post(f"/items/{item.id}/vote", vote="0", step="read", htmx=True)
    assert response.status_code == 200
    assert "Your agreement was withdrawn." in response.get_data(as_text=True)
    assert _items(session)[0].votes == 0


def test_votes_on_hidden_merged_own_and_foreign_items_are_refused(session, join, app,
                                                                  journey_id):
    a, b, c = join(), join(), join()
    a.pain(text="rude words")
    a.pain(text="slow")
    b.pain(text="too slow")
    hidden, merged, kept = (i.id for i in _items(session))
    ws.hide(session=session, actor=store.SYSTEM, item_id=hidden, reason="offensive")
    ws.merge(session=session, actor=store.SYSTEM, item_ids=[merged], into=kept)
    other = _start(session, journey_id, title="Elsewhere")
    d = Participant(app, other.code)
    d.pain(text="elsewhere")
    foreign = _items(session)[-1].id
    cases = [(c, hidden, 422, "removed by the facilitator"),
             (c, merged, 422, "merged into another one"),
             (b, kept, 422, "You raised this problem"),
             (c, foreign, 404, "There is no such problem in this workshop."),
             (c, 999_999, 404, "There is no such problem in this workshop.")]
    for phone, item_id, status, message in cases:
        for htmx in (False, True):
            response = phone.post(f"/items/{item_id}/vote", vote="1", step="read",
                                  htmx=htmx)
            assert response.status_code == status, message
            assert message in response.get_data(as_text=True)
    assert c.post(f"/items/{kept}/vote", vote="maybe", step="read").status_code == 400
    assert _count(session, WorkshopVote) == 1  # the merge's vote of a's duplicate only


def test_pending_items_are_marked_and_invisible_to_others(session, app, journey_id):
    w = _start(session, journey_id, moderation="before")
    author, other = Participant(app, w.code), Participant(app, w.code)
    # The author is told it waits for approval, from the thank-you on.
    sent = author.pain(text="Waiting in the queue", htmx=True).get_data(as_text=True)
    assert "Others will see it once the facilitator has approved it." in sent
    assert "your problem was added" not in sent
    assert "Thank you — your idea was sent to the facilitator." in author.post(
        "/steps/read/ideas", text="A shorter form", htmx=True).get_data(as_text=True)
    assert "Waiting for the facilitator’s approval" in author.steps()
    assert "Waiting in the queue" not in other.steps()
    ws.approve(session=session, actor=store.SYSTEM, item_id=_items(session)[0].id)
    assert "Waiting in the queue" in other.steps()


# --- identity --------------------------------------------------------------------------------


def test_missing_or_forged_cookie_goes_to_the_join_page_with_a_message(session, join,
                                                                       workshop):
    phone = join()
    name = f"cj_w{workshop.id}"
    for value in (None, "forged-token", "x" * 3000):
        if value is None:
            phone.client.delete_cookie(name, path="/w/")
        else:
            phone.client.set_cookie(name, value, path="/w/")
        response = phone.client.get(f"/w/{workshop.code}/steps")
        assert response.status_code == 303
        assert response.headers["Location"] == f"/w/{workshop.code}?again=1"
        assert phone.pain().status_code == 303
        assert phone.post("/items/1/vote", vote="1").status_code == 303
        htmx = phone.pain(htmx=True)
        assert htmx.headers["HX-Redirect"] == f"/w/{workshop.code}?again=1"
    html = phone.client.get(f"/w/{workshop.code}?again=1").get_data(as_text=True)
    assert "We could not recognise you in this workshop" in html
    assert _count(session, WorkshopItem) == 0


def test_a_cookie_of_another_workshop_is_nobody_here(session, app, journey_id, workshop):
    other = _start(session, journey_id, title="Other")
    phone = Participant(app, other.code)
    token = phone.client.get_cookie(f"cj_w{other.id}", path="/w/").value
    phone.client.set_cookie(f"cj_w{workshop.id}", token, path="/w/")
    phone.code = workshop.code
    assert phone.pain().status_code == 303
    assert _count(session, WorkshopItem) == 0


def test_a_post_without_or_with_a_forged_csrf_token_is_a_friendly_400(session, join,
                                                                      workshop):
    phone = join()
    for token in ("", "forged"):
        response = phone.client.post(f"/w/{workshop.code}/steps/read/pain-points",
                                     data={"csrf_token": token, "text": "hi"})
        assert response.status_code == 400
        html = response.get_data(as_text=True)
        assert "The form had expired" in html and "Nothing was saved" in html
        assert f'href="/w/{workshop.code}/steps"' in html
    htmx = phone.client.post(f"/w/{workshop.code}/steps/read/pain-points",
                             data={"csrf_token": "forged", "text": "hi"},
                             headers={"HX-Request": "true"})
    assert htmx.status_code == 400 and htmx.headers["HX-Retarget"] == "#main"
    fresh = phone.client.application.test_client()
    response = fresh.post(f"/w/{workshop.code}/join")
    assert response.status_code == 400
    assert f'href="/w/{workshop.code}"' in response.get_data(as_text=True)
    assert _count(session, WorkshopItem) == 0


# --- polling, closing ------------------------------------------------------------------------


def test_poll_is_204_until_something_changes(session, join, workshop):
    phone, other = join(), join()
    html = phone.steps()
    since = re.search(r"poll\?since=(\d+)", html).group(1)
    poll = phone.client.get(f"/w/{workshop.code}/poll?since={since}")
    assert poll.status_code == 204 and poll.data == b""
    other.pain(step="form", text="The form times out")
    poll = phone.client.get(f"/w/{workshop.code}/poll?since={since}",
                            headers={"HX-Request": "true"})
    assert poll.status_code == 200
    body = poll.get_data(as_text=True)
    assert "The form times out" in body and 'hx-swap-oob="true"' in body
    newer = re.search(r"poll\?since=(\d+)", body).group(1)
    assert int(newer) > int(since)
    assert phone.client.get(f"/w/{workshop.code}/poll?since={newer}").status_code == 204


def test_closed_workshop_is_a_thank_you_page_everywhere(session, join, workshop, journey_id):
    phone = join()
    phone.pain(text="Jargon")
    [item] = _items(session)
    version = store.get_journey_row(session=session, actor=store.SYSTEM,
                                    journey_id=journey_id).version
    ws.close_workshop(session=session, actor=store.SYSTEM, workshop_id=workshop.id,
                      expected_version=version)
    for response in (phone.client.get(f"/w/{workshop.code}"),
                     phone.client.get(f"/w/{workshop.code}/steps"),
                     phone.pain(text="late"),
                     phone.post("/steps/read/ideas", text="late"),
                     phone.post("/steps/read/feeling", value="1"),
                     phone.post("/steps/read/pain-points", text=""),
                     phone.post(f"/items/{item.id}/vote", vote="1"),
                     phone.post("/join")):
        assert response.status_code == 410
        assert "This workshop has closed" in response.get_data(as_text=True)
        assert "Thank you for taking part" in response.get_data(as_text=True)
        if response.status_code == 410 and "<html" in response.get_data(as_text=True):
            assert "is now part of the journey." in response.get_data(as_text=True)
    htmx = phone.pain(text="late", htmx=True)
    assert htmx.status_code == 410 and htmx.headers["HX-Redirect"] == f"/w/{workshop.code}"
    poll = phone.client.get(f"/w/{workshop.code}/poll?since=0")
    assert poll.status_code == 200 and "This workshop has closed" in poll.get_data(as_text=True)
    assert [i.text for i in _items(session)] == ["Jargon"]


def test_past_its_closing_time_a_workshop_does_not_claim_it_was_added(session, join,
                                                                      workshop):
    # Nothing reaches the journey until the facilitator closes it: the phone says so.
    phone = join()
    session.execute(sa.update(Workshop).where(Workshop.id == workshop.id)
                    .values(closes_at=datetime.now(UTC) - timedelta(minutes=1)))
    session.commit()
    page = phone.client.get(f"/w/{workshop.code}/steps")
    assert page.status_code == 410
    html = page.get_data(as_text=True)
    assert "The facilitator will add what the participants said" in html
    assert "now part of the journey" not in html
    poll = phone.client.get(f"/w/{workshop.code}/poll?since=0").get_data(as_text=True)
    assert "the facilitator will add what you said to the journey" in poll


# --- language --------------------------------------------------------------------------------


def test_a_french_workshop_speaks_french_and_a_participant_can_switch(session, app,
                                                                      journey_id):
    w = _start(session, journey_id, language="fr")
    anonymous = app.test_client()
    html = anonymous.get(f"/w/{w.code}").get_data(as_text=True)
    assert '<html lang="fr"' in html
    assert "Rejoindre l’atelier" in html
    phone = Participant(app, w.code)
    html = phone.steps()
    assert '<html lang="fr"' in html and "Comment s’est passée cette étape ?" in html
    assert 'lang="en"' in html  # the journey's own words keep their language
    # The other language is offered at the top, named in itself.
    header = html[html.index('class="app-w-header"'):html.index('id="main"')]
    assert re.search(r'<button type="submit" name="language" value="en" lang="en"[^>]*>'
                     r'English</button>', header)
    assert 'value="fr"' not in header
    response = phone.pain(text="")
    assert "Écrivez ce qui s’est mal passé ou a été difficile" in response.get_data(as_text=True)
    # The switch on a refused post's page comes back to the steps, not to the post.
    assert f'name="next" value="/w/{w.code}/steps"' in response.get_data(as_text=True)
    switched = phone.post("/language", language="en", next=f"/w/{w.code}/steps")
    assert switched.status_code == 303
    assert switched.headers["Location"] == f"/w/{w.code}/steps"
    assert '<html lang="en"' in phone.steps()
    refused = app.test_client().post(f"/w/{w.code}/join")
    assert refused.status_code == 400
    assert "Le formulaire avait expiré" in refused.get_data(as_text=True)
    # Never off the site.
    off = phone.post("/language", language="fr", next="//evil.example/")
    assert off.headers["Location"] == f"/w/{w.code}"


def test_the_designer_pages_keep_their_language(client, session, journey_id):
    w = _start(session, journey_id, language="fr")
    assert '<html lang="fr"' in client.get(f"/w/{w.code}").get_data(as_text=True)
    assert '<html lang="en"' in client.get("/").get_data(as_text=True)


def test_every_string_of_the_participant_pages_has_a_french_translation():
    from pathlib import Path

    from babel.messages.extract import extract_from_dir, extract_from_file
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parents[3]
    keywords = {"_": None, "_l": None, "gettext": None, "ngettext": (1, 2)}
    found = list(extract_from_dir(root / "templates" / "participate",
                                  method_map=[("**.html", "jinja2")], keywords=keywords))
    found = [m for _f, _n, m, _c, _x in found]
    found += [m for _n, m, _c, _x in extract_from_file(
        "python", root / "journeys" / "web" / "participate.py", keywords=keywords)]
    ids = {m[0] if isinstance(m, tuple) else m for m in found}
    with open(root / "journeys/web/translations/fr/LC_MESSAGES/messages.po", "rb") as f:
        catalogue = read_po(f)
    missing = sorted(m for m in ids if not catalogue.get(m) or not catalogue.get(m).string)
    assert missing == []
    assert len(ids) > 60


def test_a_big_room_polls_less_often_so_its_phones_do_not_swamp_the_server():
    from journeys.web.participate import poll_seconds

    assert [poll_seconds(n) for n in (1, 40, 41, 200, 1000, 100000)] == [4, 4, 5, 20, 30, 30]


def test_kept_fragments_carry_each_phones_own_token_and_language(session, app, journey_id):
    """Others' items and empty forms are rendered once and kept: every phone still gets its
    own CSRF token in them, in its own language, and its own vote state."""
    w = _start(session, journey_id)
    author, english, french = Participant(app, w.code), Participant(app, w.code), \
        Participant(app, w.code)
    author.pain(text="The <b>form</b> times out")
    french.post("/language", language="fr", next=f"/w/{w.code}/steps")
    [item] = _items(session)
    english.post(f"/items/{item.id}/vote", vote="1", step="read")
    for phone, agree in ((english, "Withdraw my agreement"), (french, "Je suis d’accord")):
        html = phone.steps()
        tokens = set(re.findall(r'name="csrf_token" value="([^"]+)"', html))
        assert tokens == {_csrf(html)}  # one token on the page: this phone's session's
        assert "csrf-slot" not in html
        assert agree in html
        assert "The &lt;b&gt;form&lt;/b&gt; times out" in html
        # The kept forms post: the token they carry is accepted.
        assert phone.client.post(f"/w/{w.code}/steps/read/ideas", data={
            "csrf_token": _csrf(html), "text": "Plainer words"}).status_code == 303
    assert _count(session, WorkshopItem) == 3


def test_an_htmx_vote_answers_with_its_item_alone_and_a_refusal_with_its_step(session, join):
    author, voter = join(), join()
    author.pain(text="Jargon")
    [item] = _items(session)
    response = voter.post(f"/items/{item.id}/vote", vote="1", step="read", htmx=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    # The item with its new count and button, and the live region's words: nothing else.
    assert html.lstrip().startswith(f'<li class="app-w-item" id="item-{item.id}">')
    assert "1 person agrees" in html and "Withdraw my agreement" in html
    assert 'hx-swap-oob="innerHTML:#status"' in html
    assert "Thank you — you agreed with this problem." in html
    assert "<form" in html and "Tell us about a problem" not in html
    again = voter.post(f"/items/{item.id}/vote", vote="0", step="read", htmx=True)
    assert "Nobody has agreed yet" in again.get_data(as_text=True)
    assert "I agree" in again.get_data(as_text=True)
    assert _items(session)[0].votes == 0
    # The author cannot agree with their own: the step shows why, in place of the item.
    refused = author.post(f"/items/{item.id}/vote", vote="1", step="read", htmx=True)
    assert refused.status_code == 422
    assert refused.headers["HX-Retarget"] == "#step-read"
    assert refused.headers["HX-Reswap"] == "outerHTML"
    assert "You raised this problem" in refused.get_data(as_text=True)
