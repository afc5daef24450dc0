"""Actions fit their step: each misfire a designer found has a test showing the fitting action.

The contexts are those of a real bereavement journey: a refusal letter, a post-mortem, a
death, registration the law requires in person, a statutory reconsideration, a digital
step beside an existing phone route.
"""

from designer.wording import CHOICES, CROSS, POLICY
from journeys.domain.document import CheckAnswer
from tests.designer.helpers import get
from tests.factories import make_journey


def _a(result, note=None):
    return CheckAnswer(result, note, note is not None)


def test_a_refusal_letter_is_not_asked_to_pre_fill_anything():
    letter = make_journey(steps=[
        {"id": "apply", "title": "Applies for help with funeral costs"},
        {"id": "refused", "stage": "b", "title": "Receives the refusal letter",
         "channel": "letter", "actor": "back-office", "visibility": "frontstage",
         "moment_of_truth": True, "level": 1, "tags": ["decision"]},
    ])
    actions = get(letter, "DR02:step:refused").actions
    assert not any("Pre-fill" in a for a in actions)
    assert any(a.startswith("Write the letter from what the organisation already knows")
               for a in actions)
    assert any("Prototype the new moment (the letter)" in a for a in actions)
    # Where staff talk with the citizen, staff start from what is known.
    counter = make_journey(steps=[{"id": "reg", "channel": "counter", "actor": "frontline",
                                   "moment_of_truth": True, "level": 2}])
    assert any(a.startswith("Give staff what the organisation already knows")
               for a in get(counter, "DR02:step:reg").actions)
    # Where the citizen fills something in, pre-filling is the fitting action.
    form = make_journey(steps=[{"id": "form", "moment_of_truth": True, "level": 1}])
    assert any(a.startswith("Pre-fill") for a in get(form, "DR02:step:form").actions)


def test_a_post_mortem_is_given_a_duration_not_an_application_date():
    journey = make_journey(service_type="welfare", steps=[
        {"id": "pm", "title": "Coroner orders a post-mortem", "channel": "letter",
         "actor": "back-office", "visibility": "frontstage", "wait_days": 14,
         "checks": {"TRA-05": _a("fail")}},
    ])
    tra05 = next(a for a in get(journey, "DR10:step:pm").actions if a.startswith("TRA-05"))
    assert "if you apply today" not in tra05
    assert "this usually takes about … days; we will contact you by …" in tra05
    applying = make_journey(service_type="welfare", steps=[
        {"id": "apply", "wait_days": 20, "tags": ["decision"],
         "checks": {"TRA-05": _a("fail")}}])
    assert "if you apply today" in get(applying, "DR10:step:apply").actions[0]
    reporting = make_journey(service_type="welfare", steps=[
        {"id": "report", "wait_days": 20, "checks": {"TRA-05": _a("fail")}}])
    assert "if you contact us today" in get(reporting, "DR10:step:report").actions[0]


def test_a_bereavement_step_is_never_moved_up_an_emotion_scale():
    journey = make_journey(steps=[
        {"id": "death", "title": "Her husband dies at home", "emotion": -2,
         "tags": ["sensitive"]}])
    actions = get(journey, "DR05:step:death").actions
    assert not any("emotion scale" in a for a in actions)
    assert any("respected, supported and sure of what happens next" in a for a in actions)
    assert any("Invite them with care" in a for a in actions)
    plain = make_journey(steps=[{"id": "form", "emotion": -2}])
    assert any("emotion scale" in a for a in get(plain, "DR05:step:form").actions)


def test_no_delight_language_at_a_sensitive_step():
    journey = make_journey(steps=[
        {"id": "visit", "title": "Council visits to review her support needs",
         "channel": "home-visit", "actor": "frontline", "level": 3, "emotion": 1,
         "evidence": "observed", "tags": ["sensitive"]}])
    p = get(journey, "DR03:step:visit")
    text = " ".join((p.title, *p.actions)).lower()
    assert "joy" not in text and "delight" not in text and "surprise worth" not in text
    assert p.title == "Go beyond what is expected at 'Council visits to review her support " \
                      "needs', with care"
    assert any("gesture of care" in a for a in p.actions)


def test_registration_the_law_requires_in_person_stays_in_person():
    journey = make_journey(steps=[
        {"id": "register", "title": "Registers the death in person", "channel": "counter",
         "actor": "frontline", "tags": ["statutory", "sensitive"],
         "checks": {"ACC-02": _a("fail", "registration must legally be in person")}}])
    acc02 = get(journey, "DR09:step:register").actions[0]
    assert "Offer the step at home or remotely" not in acc02
    assert acc02.startswith("ACC-02: The law requires this step in person: keep it so")
    movable = make_journey(steps=[{"id": "c", "channel": "counter",
                                   "checks": {"ACC-02": _a("fail")}}])
    assert "Offer the step at home or remotely" in get(movable, "DR09:step:c").actions[0]


def test_a_statutory_reconsideration_is_kept_and_made_rarer_not_removed():
    journey = make_journey(steps=[
        {"id": "apply", "title": "Applies for help with funeral costs"},
        {"id": "mr", "stage": "b", "title": "Asks for a mandatory reconsideration",
         "channel": "letter", "tags": ["statutory", "decision"]},
    ], transitions=[("apply", "mr", "refused", "failure"),
                    ("mr", "apply", "decision looked at again", "rework")])
    p = get(journey, "DR13:transition:mr->apply")
    assert not p.title.startswith("Remove the rework")
    assert p.title == ("Get first decisions right, so that fewer citizens need "
                       "'Asks for a mandatory reconsideration'")
    assert p.actions[0].startswith("The law gives the citizen this route")
    assert p.kinds[0] == POLICY
    assert not any(a.startswith("Ask once") for a in p.actions)


def test_an_existing_phone_route_is_named_instead_of_proposing_one():
    journey = make_journey(steps=[
        {"id": "issued", "title": "Certificate sent", "actor": "system"},
        {"id": "online", "title": "Books the appointment online",
         "checks": {"ACC-01": _a("fail")}},
        {"id": "phone", "title": "Books the appointment by phone", "channel": "phone"},
        {"id": "attend", "stage": "b", "title": "Attends", "channel": "counter",
         "actor": "frontline"},
    ], transitions=[("issued", "online"), ("issued", "phone", "by phone", "alternative"),
                    ("online", "attend"), ("phone", "attend")])
    acc01 = get(journey, "DR09:step:online").actions[0]
    assert "(by phone, at a counter" not in acc01
    assert "The map already offers another way here, 'Books the appointment by phone' " \
           "(phone)" in acc01
    lonely = make_journey(steps=[{"id": "online", "checks": {"ACC-01": _a("fail")}}])
    assert "(by phone, at a counter" in get(lonely, "DR09:step:online").actions[0]


def test_changes_at_another_organisations_step_are_cross_organisation():
    journey = make_journey(organization="City Council", steps=[
        {"id": "bank", "title": "Tells his bank", "channel": "counter",
         "agency": "Community Bank", "checks": {"ACC-08": _a("fail")}},
        {"id": "fees", "stage": "b", "title": "Buys copies", "channel": "counter",
         "checks": {"ACC-11": _a("fail")}}])
    assert get(journey, "DR09:step:bank").kinds == (CROSS,)
    assert get(journey, "DR09:step:fees").kinds == (POLICY,)  # fees are set by policy


def test_regulations_say_where_they_apply():
    journey = make_journey(steps=[{"id": "s1", "checks": {"ACC-07": _a("fail")}}])
    acc07 = get(journey, "DR09:step:s1").actions[0]
    assert "EU Single Digital Gateway Regulation, for EU member states" in acc07


def test_every_choice_says_which_action_it_words_and_when():
    assert len(CHOICES) >= 8
    for c in CHOICES.values():
        assert c.action and c.when, c.id


def test_level_four_on_a_sensitive_step_is_care_not_surprise():
    journey = make_journey(steps=[{"id": "s1", "level": 2, "target_level": 4,
                                   "tags": ["sensitive"]}])
    actions = get(journey, "DR04:step:s1").actions
    level4 = next(a for a in actions if a.startswith("Level 4"))
    assert "gesture of care" in level4 and "surprise" not in level4
    plain = make_journey(steps=[{"id": "s1", "level": 2, "target_level": 4}])
    assert any(a.startswith("Level 4, surprise") for a in get(plain, "DR04:step:s1").actions)
