"""The facilitator's workshop pages: start, live board and its polls, projector, moderation,
closing and the report, for the roles that may and may not."""

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from journeys.store import accounts
from journeys.store import services as store
from journeys.store import workshops as ws
from journeys.store.actors import SYSTEM
from journeys.store.models import Workshop
from tests.factories import make_journey
from tests.journeys.web.conftest import PASSWORD, sign_in

EVIL = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://evil.example","click")'
DOT = 'a" -> b [label="x"]; } digraph { c'


def _journey():
    return make_journey(
        stages=[{"id": "find", "name": "Find out"}, {"id": "apply", "name": "Apply"},
                {"id": "wait", "name": "Wait"}],
        steps=[{"id": "read", "stage": "find", "title": "Reads the guidance"},
               {"id": "form", "stage": "apply", "title": "Fills in the form"},
               {"id": "check", "stage": "apply", "actor": "back-office",
                "title": "Checks the form"},
               {"id": "letter", "stage": "wait", "title": "Gets a letter"}],
        transitions=[("read", "form"), ("form", "check"), ("check", "letter")],
        title="Renew a permit")


@pytest.fixture
def journey_id(session, designer):
    return store.import_journey(session=session, actor=SYSTEM, journey=_journey())


@pytest.fixture
def workshop(session, journey_id):
    return ws.start_workshop(session=session, actor=SYSTEM, journey_id=journey_id,
                             title="Evening session", open_stages=["find", "apply"])


def _token(client, path="/"):
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _post(client, path, data=None):
    return client.post(path, data={"csrf_token": _token(client), **(data or {})})


def _member(session, app, journey_id, role):
    """A client signed in as a member of the journey's team with ``role``."""
    team_id = store.get_journey_row(session=session, actor=SYSTEM, journey_id=journey_id).team_id
    user = accounts.create_user(session=session, email=f"{role}@example.org", name=role,
                                password=PASSWORD)
    accounts.add_member(session=session, actor=SYSTEM, team_id=team_id, email=user.email,
                        role=role)
    other = app.test_client()
    assert sign_in(other, user.email).status_code == 303
    return other


def _stranger(session, app):
    user = accounts.create_user(session=session, email="stranger@example.org", name="S",
                                password=PASSWORD)
    accounts.create_team(session=session, actor=SYSTEM, name="Elsewhere",
                         owner_email=user.email)
    other = app.test_client()
    assert sign_in(other, user.email).status_code == 303
    return other


def _contribute(session, workshop, texts=("Too many forms",), kind="pain", step="read"):
    token = ws.join(session=session, code=workshop.code)[1]
    ids = []
    for text in texts:
        if kind == "pain":
            ids.append(ws.add_pain_point(session=session, workshop_id=workshop.id, token=token,
                                         step=step, text=text))
        else:
            ids.append(ws.add_idea(session=session, workshop_id=workshop.id, token=token,
                                   step=step, text=text))
    return token, ids


# --- starting ---------------------------------------------------------------------------------


def test_starting_a_workshop_shows_its_board_with_code_and_join_address(client, session,
                                                                        journey_id):
    page = client.get(f"/journeys/{journey_id}/workshops").get_data(as_text=True)
    assert "Start a workshop" in page and "No workshop on this journey yet" in page
    response = client.post(f"/journeys/{journey_id}/workshops", data={
        "csrf_token": _token(client), "title": "Evening session", "stages": ["find", "apply"],
        "moderation": "before", "language": "fr", "minutes": "90"})
    assert response.status_code == 303
    board = client.get(response.headers["Location"]).get_data(as_text=True)
    code = re.search(r'class="app-code">(\w{3}) (\w{3})<', board)
    assert code, board
    assert f"http://localhost/w/{code.group(1)}{code.group(2)}" in board
    (w,) = ws.list_workshops(session=session, actor=SYSTEM, journey_id=journey_id)
    assert (w.moderation, w.language, w.open_stages) == ("before", "fr", ["find", "apply"])
    assert w.closes_at is not None
    listed = client.get(f"/journeys/{journey_id}/workshops").get_data(as_text=True)
    assert "Evening session" in listed and ">open<" in listed


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"title": "  "}, "title", "Title"),
    ({"stages": []}, "stages", "Stages open for comment: choose at least one stage"),
    ({"stages": ["nope"]}, "stages", "is not a stage of this journey"),
    ({"moderation": "never"}, "moderation", "Moderation"),
    ({"language": "xx"}, "language", "Language of the workshop"),
    ({"minutes": "soon"}, "minutes", "Closes after: enter a whole number of minutes"),
    ({"minutes": "0"}, "minutes", "Closes after: enter a whole number of minutes"),
])
def test_bad_start_input_is_named_next_to_its_field(client, journey_id, data, field, message):
    form = {"csrf_token": _token(client), "title": "W", "stages": ["find"],
            "moderation": "after", "language": "en", "minutes": "", **data}
    response = client.post(f"/journeys/{journey_id}/workshops", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<title>Error:" in html
    assert f'href="#{field}"' in html
    assert f'id="{field}-error"' in html
    assert message in html


def test_every_problem_of_the_start_form_is_named_at_once_in_the_forms_order(client,
                                                                            journey_id):
    form = {"csrf_token": _token(client), "title": " ", "stages": [],
            "moderation": "after", "language": "en", "minutes": "-5"}
    html = client.post(f"/journeys/{journey_id}/workshops", data=form).get_data(as_text=True)
    summary = html[html.index("govuk-error-summary"):]
    links = re.findall(r'<a href="#(\w+)">', summary)[:3]
    assert links == ["title", "stages", "minutes"]
    assert "Title: enter a title that participants will see" in html


# --- who may do what --------------------------------------------------------------------------


def _writes(workshop, item_id):
    w = workshop.id
    return [(f"/journeys/{workshop.journey_id}/workshops",
             {"title": "W", "stages": ["find"], "moderation": "after", "language": "en"}),
            (f"/workshops/{w}/items/{item_id}/hide", {"reason": "spam"}),
            (f"/workshops/{w}/items/{item_id}/unhide", {}),
            (f"/workshops/{w}/items/{item_id}/edit", {"text": "Reworded"}),
            (f"/workshops/{w}/items/{item_id}/approve", {}),
            (f"/workshops/{w}/merge", {"item_ids": [str(item_id)], "into": str(item_id)}),
            (f"/workshops/{w}/close", {"expected_version": "1"})]


def _editor_pages(workshop, item_id):
    w = workshop.id
    return [f"/workshops/{w}/items/{item_id}", f"/workshops/{w}/steps/read/merge",
            f"/workshops/{w}/close"]


def _reads(workshop):
    w = workshop.id
    return [f"/journeys/{workshop.journey_id}/workshops", f"/workshops/{w}",
            f"/workshops/{w}/board?since=0", f"/workshops/{w}/projector",
            f"/workshops/{w}/qr.svg", f"/workshops/{w}/flow?since=0"]


def test_a_viewer_sees_the_board_but_cannot_moderate_start_or_close(app, session, workshop):
    viewer = _member(session, app, workshop.journey_id, "viewer")
    _token_, (item,) = _contribute(session, workshop)
    for path in _reads(workshop):
        assert viewer.get(path).status_code == 200, path
    assert "Hide it" not in viewer.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    for path, data in _writes(workshop, item):
        assert _post(viewer, path, data).status_code == 403, path
    for path in _editor_pages(workshop, item):
        assert viewer.get(path).status_code == 403, path
    assert ws.contributions(session=session, actor=SYSTEM, workshop_id=workshop.id)[0] \
        .hidden_reason is None


def test_another_team_gets_not_found_everywhere(app, session, workshop):
    stranger = _stranger(session, app)
    _token_, (item,) = _contribute(session, workshop)
    for path in [*_reads(workshop), *_editor_pages(workshop, item),
                 f"/workshops/{workshop.id}/report.md"]:
        assert stranger.get(path).status_code == 404, path
    for path, data in _writes(workshop, item):
        assert _post(stranger, path, data).status_code == 404, path


def test_signed_out_visitors_are_sent_to_sign_in(anonymous, workshop):
    for path in _reads(workshop):
        response = anonymous.get(path)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_an_item_of_another_workshop_is_not_found_here(client, session, journey_id, workshop):
    other = ws.start_workshop(session=session, actor=SYSTEM, journey_id=journey_id,
                              title="Other", open_stages=["find"])
    _token_, (item,) = _contribute(session, other)
    response = _post(client, f"/workshops/{workshop.id}/items/{item}/hide", {"reason": "x"})
    assert response.status_code == 404
    assert ws.contributions(session=session, actor=SYSTEM, workshop_id=other.id)[0] \
        .hidden_reason is None


# --- the live board and its polls -------------------------------------------------------------


def test_the_poll_is_empty_while_nothing_changes_and_shows_what_arrived(client, session,
                                                                      workshop):
    first = client.get(f"/workshops/{workshop.id}/board")
    revision = int(re.search(r'data-revision="(\d+)"', first.get_data(as_text=True)).group(1))
    unchanged = client.get(f"/workshops/{workshop.id}/board?since={revision}")
    assert unchanged.status_code == 204 and unchanged.data == b""
    _contribute(session, workshop, ["The guidance is too long"])
    changed = client.get(f"/workshops/{workshop.id}/board?since={revision}")
    html = changed.get_data(as_text=True)
    assert changed.status_code == 200
    assert "The guidance is too long" in html
    new = int(re.search(r'data-revision="(\d+)"', html).group(1))
    assert new > revision
    assert f"since={new}" in html and 'hx-trigger="every 2s"' in html
    assert client.get(f"/workshops/{workshop.id}/board?since={new}").status_code == 204


def test_board_counts_per_step_in_journey_order_and_marks_pending_ones(client, session,
                                                                      journey_id):
    w = ws.start_workshop(session=session, actor=SYSTEM, journey_id=journey_id, title="W",
                          open_stages=["find", "apply"], moderation="before")
    token, (pain,) = _contribute(session, w, ["Where do I start"], step="form")
    ws.add_idea(session=session, workshop_id=w.id, token=token, step="read",
                text="A one-page summary")
    html = client.get(f"/workshops/{w.id}").get_data(as_text=True)
    assert html.index("Reads the guidance") < html.index("Fills in the form")
    live = html.split('id="board"')[1].split('id="workshop-flow"')[0]
    assert "Checks the form" not in live  # backstage: not open for comment
    assert "Gets a letter" not in live  # its stage is not open
    form = html[html.index('id="step-form"'):]
    assert "waiting for approval" in form
    assert f'/workshops/{w.id}/items/{pain}/approve' in form
    response = _post(client, f"/workshops/{w.id}/items/{pain}/approve")
    assert response.status_code == 303
    items = ws.contributions(session=session, actor=SYSTEM, workshop_id=w.id)
    assert [i.approved for i in items] == [True, False]


def test_hostile_text_is_shown_as_text_on_board_and_projector(client, session, workshop):
    _contribute(session, workshop, [EVIL, FORMULA, DOT])
    for path in [f"/workshops/{workshop.id}", f"/workshops/{workshop.id}/board?since=0"]:
        html = client.get(path).get_data(as_text=True)
        assert EVIL not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "=HYPERLINK(&#34;http://evil.example&#34;" in html
        assert "a&#34; -&gt; b [label=&#34;x&#34;]" in html


def test_facilitators_see_the_name_a_participant_gave_and_the_room_does_not(
        client, session, workshop):
    # The join page promises "The facilitators can see it": the board and the item's page
    # show it, escaped; the projector, the report and the CSV do not.
    token = ws.join(session=session, code=workshop.code, display_name="<b>Zelda</b>")[1]
    item = ws.add_pain_point(session=session, workshop_id=workshop.id, token=token,
                             step="read", text="Too many forms")
    _contribute(session, workshop, ["Nobody's name"])
    board = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert board.count('class="app-item__by"') == 1
    assert '<span class="app-item__by">&lt;b&gt;Zelda&lt;/b&gt;</span>' in board
    page = client.get(f"/workshops/{workshop.id}/items/{item}").get_data(as_text=True)
    assert "From &lt;b&gt;Zelda&lt;/b&gt;, the name they gave on joining." in page
    assert "Zelda" not in client.get(f"/workshops/{workshop.id}/projector").get_data(
        as_text=True)
    assert _close(client, session, workshop).status_code == 303
    for path in ("report.md", "contributions.csv"):
        download = client.get(f"/workshops/{workshop.id}/{path}")
        assert download.status_code == 200 and "Zelda" not in download.get_data(as_text=True)


def test_the_flow_diagram_has_a_badge_on_steps_with_contributions(client, session, workshop):
    _contribute(session, workshop, ["One", "Two"], step="form")
    html = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    flow = html[html.index('id="workshop-flow"'):]
    assert flow.count('class="app-flow__badge"') == 1
    assert re.search(r'<g class="app-flow__badge" aria-hidden="true">.*?>2</text>', flow)


def test_the_journeys_own_flow_view_has_the_badges_while_a_workshop_is_open(
        client, session, workshop, journey_id):
    _contribute(session, workshop, ["One", "Two"], step="form")
    flow = client.get(f"/journeys/{journey_id}/flow").get_data(as_text=True)
    assert flow.count('class="app-flow__badge"') == 1
    assert "app-heat-strip" in client.get(f"/journeys/{journey_id}").get_data(as_text=True)
    version = store.get_journey_row(session=session, actor=SYSTEM, journey_id=journey_id).version
    ws.close_workshop(session=session, actor=SYSTEM, workshop_id=workshop.id,
                      expected_version=version)
    # Once closed, the contributions are the journey's own: no badge, no heat strip.
    assert 'class="app-flow__badge"' not in client.get(f"/journeys/{journey_id}/flow").get_data(
        as_text=True)
    assert "app-heat-strip" not in client.get(f"/journeys/{journey_id}").get_data(as_text=True)


# --- the projector -----------------------------------------------------------------------------


def test_projector_shows_the_code_spaced_a_qr_code_and_speaks_the_workshop_language(
        client, session, journey_id):
    w = ws.start_workshop(session=session, actor=SYSTEM, journey_id=journey_id, title="Soir",
                          open_stages=["find"], language="fr")
    _contribute(session, w, ["Trop long"])
    html = client.get(f"/workshops/{w.id}/projector").get_data(as_text=True)
    assert '<html lang="fr"' in html
    assert f"{w.code[:3]} {w.code[3:]}" in html
    assert f"http://localhost/w/{w.code}" in html
    assert f'src="/workshops/{w.id}/qr.svg"' in html
    assert "Rejoignez-nous sur votre téléphone" in html and "1 participant" in html
    # The room's screen shows nothing of the facilitator's account or the site's menus.
    assert "Ana López" not in html and "sign-out" not in html and "govuk-footer" not in html
    assert "app-projector-page" in html
    assert client.get(f"/workshops/{w.id}/projector/live?since={w.revision + 2}") \
        .status_code == 204
    # The facilitator's own pages stay in their language.
    assert '<html lang="en"' in client.get(f"/workshops/{w.id}").get_data(as_text=True)


def test_qr_code_is_an_svg_of_a_full_size_code(client, workshop):
    response = client.get(f"/workshops/{workshop.id}/qr.svg")
    assert response.status_code == 200
    assert response.content_type.startswith("image/svg+xml")
    svg = response.get_data(as_text=True)
    assert svg.startswith("<svg") and "<path" in svg
    # A micro QR code (M1-M4) is at most 17 modules wide; a full one starts at 21.
    size = int(re.search(r'width="(\d+)"', svg).group(1))
    assert size // 10 - 8 >= 21


# --- moderation --------------------------------------------------------------------------------


def test_hiding_needs_a_reason_named_next_to_the_field(client, session, workshop):
    _token_, (item,) = _contribute(session, workshop)
    board = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert f'href="/workshops/{workshop.id}/items/{item}"' in board
    page = client.get(f"/workshops/{workshop.id}/items/{item}").get_data(as_text=True)
    assert "Too many forms" in page and "Reason for hiding" in page
    response = _post(client, f"/workshops/{workshop.id}/items/{item}/hide", {"reason": " "})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<title>Error:" in html and 'href="#reason"' in html
    assert 'id="reason-error"' in html
    assert "Reason for hiding: write why you hide it; the report keeps it" in html
    response = _post(client, f"/workshops/{workshop.id}/items/{item}/hide",
                     {"reason": "a name"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/workshops/{workshop.id}#step-read")
    html = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert "reason: a name" in html and "1 hidden or merged" in html


def test_a_hide_made_by_mistake_is_undone_with_the_votes_it_had(client, session, workshop):
    _token_, (item,) = _contribute(session, workshop)
    voter = ws.join(session=session, code=workshop.code)[1]
    ws.vote(session=session, workshop_id=workshop.id, token=voter, item_id=item)
    _post(client, f"/workshops/{workshop.id}/items/{item}/hide", {"reason": "a name"})
    board = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert "Show it again or look at it" in board
    page = client.get(f"/workshops/{workshop.id}/items/{item}").get_data(as_text=True)
    assert f'action="/workshops/{workshop.id}/items/{item}/unhide"' in page
    response = _post(client, f"/workshops/{workshop.id}/items/{item}/unhide", {})
    assert response.status_code == 303
    [shown] = ws.contributions(session=session, actor=SYSTEM, workshop_id=workshop.id)
    assert (shown.hidden_reason, shown.votes) == (None, 1)
    board = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert "Contribution shown again." in board and "hidden or merged" not in board
    # Showing what is not hidden says so, and changes nothing.
    again = _post(client, f"/workshops/{workshop.id}/items/{item}/unhide", {})
    assert again.status_code == 422 and "not hidden" in again.get_data(as_text=True)


def test_rewording_is_validated_and_saved(client, session, workshop):
    _token_, (item,) = _contribute(session, workshop)
    response = _post(client, f"/workshops/{workshop.id}/items/{item}/edit", {"text": ""})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="text-error"' in html
    assert "Wording: write the new wording, or hide the contribution instead" in html
    huge = _post(client, f"/workshops/{workshop.id}/items/{item}/edit", {"text": "x" * 100_000})
    assert huge.status_code == 422 and 'id="text-error"' in huge.get_data(as_text=True)
    assert _post(client, f"/workshops/{workshop.id}/items/{item}/edit",
                 {"text": "Too many forms to fill in"}).status_code == 303
    (found,) = ws.contributions(session=session, actor=SYSTEM, workshop_id=workshop.id)
    assert found.text == "Too many forms to fill in"


def test_merging_keeps_the_votes_and_refuses_an_incomplete_choice(client, session, workshop):
    _t1, (a,) = _contribute(session, workshop, ["Too long"])
    _t2, (b,) = _contribute(session, workshop, ["Far too long"])
    board = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert f"/workshops/{workshop.id}/steps/read/merge" in board
    form = client.get(f"/workshops/{workshop.id}/steps/read/merge").get_data(as_text=True)
    assert f'id="merge-{b}"' in form and f'id="keep-{a}"' in form
    path = f"/workshops/{workshop.id}/merge"
    missing = _post(client, path, {"item_ids": [str(a), str(b)], "step": "read"})
    assert missing.status_code == 422
    assert 'id="into-error"' in missing.get_data(as_text=True)
    alone = _post(client, path, {"item_ids": [str(a)], "into": str(a), "step": "read"})
    assert alone.status_code == 422
    assert 'id="item_ids-error"' in alone.get_data(as_text=True)
    done = _post(client, path, {"item_ids": [str(a), str(b)], "into": str(a), "step": "read"})
    assert done.status_code == 303
    items = {i.id: i for i in ws.contributions(session=session, actor=SYSTEM,
                                               workshop_id=workshop.id)}
    assert items[a].votes == 1 and items[b].merged_into == a
    again = _post(client, path, {"item_ids": [str(a), str(b)], "into": str(a), "step": "read"})
    assert again.status_code == 422 and "already hidden or merged" in again.get_data(as_text=True)


# --- closing and the report -------------------------------------------------------------------


def _close(client, session, workshop):
    version = store.get_journey_row(session=session, actor=SYSTEM,
                                    journey_id=workshop.journey_id).version
    confirm = client.get(f"/workshops/{workshop.id}/close").get_data(as_text=True)
    assert "Yes, close the workshop" in confirm
    return _post(client, f"/workshops/{workshop.id}/close", {"expected_version": str(version)})


def test_closing_adds_the_pain_points_to_the_journey_and_links_the_report(client, session,
                                                                        workshop):
    token, (pain, hidden) = _contribute(session, workshop, ["The guidance is too long",
                                                            "Call Bob on 0123"])
    ws.hide(session=session, actor=SYSTEM, item_id=hidden, reason="a phone number")
    early = client.get(f"/workshops/{workshop.id}/contributions.csv")  # still open
    assert early.status_code == 404
    assert "ready once the workshop has closed" in early.get_data(as_text=True)
    response = _close(client, session, workshop)
    assert response.status_code == 303
    board = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert "This workshop has closed." in board
    assert f"/workshops/{workshop.id}/report.md" in board
    assert f"/workshops/{workshop.id}/contributions.csv" in board
    assert "hx-trigger" not in board.split('id="board"')[1].split(">", 1)[0]
    journey_map = client.get(f"/journeys/{workshop.journey_id}").get_data(as_text=True)
    assert "The guidance is too long" in journey_map and "Call Bob" not in journey_map
    history = client.get(f"/journeys/{workshop.journey_id}/history").get_data(as_text=True)
    assert "Evening session" in history and "1 citizen pain point" in history
    closed = client.get(f"/workshops/{workshop.id}/close").get_data(as_text=True)
    assert "This workshop has closed." in closed and "Close “" not in closed
    again = _post(client, f"/workshops/{workshop.id}/close", {"expected_version": "2"})
    assert again.status_code == 422 and "closed" in again.get_data(as_text=True)


def test_the_report_and_csv_hold_everything_hidden_ones_marked_hostile_text_inert(
        client, session, workshop):
    token, (evil, formula, dot, hidden) = _contribute(
        session, workshop, [EVIL, FORMULA, DOT, "My name is Ann Smith"])
    voter = ws.join(session=session, code=workshop.code)[1]
    ws.vote(session=session, workshop_id=workshop.id, token=voter, item_id=formula)
    ws.add_idea(session=session, workshop_id=workshop.id, token=voter, step="form",
                text="A checklist first")
    ws.set_feeling(session=session, workshop_id=workshop.id, token=voter, step="form", value=-2)
    ws.hide(session=session, actor=SYSTEM, item_id=hidden, reason="a name")
    assert _close(client, session, workshop).status_code == 303

    response = client.get(f"/workshops/{workshop.id}/report.md")
    assert response.status_code == 200
    assert response.content_type.startswith("text/markdown")
    assert "attachment" in response.headers["Content-Disposition"]
    md = response.get_data(as_text=True)
    assert "# Workshop report: Evening session" in md
    assert "### 1. Reads the guidance" in md and "### 2. Fills in the form" in md
    assert EVIL not in md and "\\<script\\>" in md
    assert "endorsed by 1" in md
    assert "A checklist first" in md
    assert "felt −2 (median of 1 answer: −2: 1)" in md
    assert "**hidden**: a name" in md and "My name is Ann Smith" in md

    response = client.get(f"/workshops/{workshop.id}/contributions.csv")
    assert response.content_type.startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [r["text"] for r in rows] == [EVIL, "'" + FORMULA, DOT, "My name is Ann Smith",
                                         "A checklist first"]
    assert rows[3]["status"] == "hidden" and rows[3]["reason"] == "a name"
    assert rows[1]["votes"] == "1" and rows[0]["step_title"] == "Reads the guidance"


def test_after_closing_the_proposals_cite_the_citizens_pain_points(client, session, workshop):
    texts = ["I cannot find the form", "The form is hidden"]
    _token_, (a,) = _contribute(session, workshop, texts[:1])
    for _ in range(5):
        voter = ws.join(session=session, code=workshop.code)[1]
        ws.vote(session=session, workshop_id=workshop.id, token=voter, item_id=a)
    assert _close(client, session, workshop).status_code == 303
    html = client.get(f"/journeys/{workshop.journey_id}/proposals").get_data(as_text=True)
    assert "I cannot find the form" in html
    brief = client.get(f"/journeys/{workshop.journey_id}/brief.md").get_data(as_text=True)
    assert "raised by a citizen, endorsed by 5" in brief


# --- the heat strip on the map ------------------------------------------------------------------


def test_the_map_has_a_heat_strip_while_a_workshop_is_open(client, session, workshop):
    assert "app-heat-strip" in client.get(f"/journeys/{workshop.journey_id}") \
        .get_data(as_text=True)
    _contribute(session, workshop, ["One", "Two", "Three"], step="form")
    html = client.get(f"/journeys/{workshop.journey_id}").get_data(as_text=True)
    strip = html[html.index('id="workshop-heat"'):].split("</section>", 1)[0]
    assert "Evening session" in strip and "1 participant" in strip
    assert re.search(r'app-heat--4"><span class="app-heat__title">2\. Fills in the form'
                     r'</span> <span class="app-heat__count">3 pain points', strip)
    refreshed = client.get(f"/journeys/{workshop.journey_id}/workshops/heat")
    assert "3 pain points" in refreshed.get_data(as_text=True)
    revision = re.search(r"heat\?since=(\d+)", refreshed.get_data(as_text=True)).group(1)
    assert client.get(f"/journeys/{workshop.journey_id}/workshops/heat?since={revision}") \
        .status_code == 204
    _close(client, session, workshop)
    assert "app-heat-strip" not in client.get(f"/journeys/{workshop.journey_id}") \
        .get_data(as_text=True)


def test_closing_after_the_journey_changed_asks_again(client, session, workshop):
    _contribute(session, workshop)
    version = store.get_journey_row(session=session, actor=SYSTEM,
                                    journey_id=workshop.journey_id).version
    store.add_idea(session=session, actor=SYSTEM, journey_id=workshop.journey_id,
                   step_id="read", text="From the team", expected_version=version)
    response = _post(client, f"/workshops/{workshop.id}/close",
                     {"expected_version": str(version)})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "<title>Error:" in html and "The journey changed while you were deciding" in html
    assert "Yes, close the workshop" in html
    assert ws.get_workshop(session=session, actor=SYSTEM,
                           workshop_id=workshop.id).closed_at is None


def test_a_workshop_past_its_closing_time_can_still_be_closed_into_the_journey(
        client, session, workshop):
    _contribute(session, workshop, ["Said before the end"])
    session.execute(sa.update(Workshop).where(Workshop.id == workshop.id)
                    .values(closes_at=datetime.now(UTC) - timedelta(minutes=1)))
    session.commit()
    board = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert "Its closing time has passed: participants can no longer contribute" in board
    assert "This workshop has closed." not in board and "Close the workshop" in board
    assert _close(client, session, workshop).status_code == 303
    assert "Said before the end" in client.get(f"/journeys/{workshop.journey_id}") \
        .get_data(as_text=True)
