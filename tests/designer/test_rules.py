"""Each design rule: a journey that triggers it and one that does not, named after its id."""

from datetime import date

from journeys.domain.checks import CHECKS
from journeys.domain.document import CheckAnswer
from tests.designer.helpers import get, ids
from tests.factories import make_journey

STAGES = [{"id": "find", "name": "Find out"}, {"id": "apply", "name": "Apply"},
          {"id": "decide", "name": "Decision"}]


def checks(**answers) -> dict:
    """Check answers written as ACC_01="pass" → {"ACC-01": CheckAnswer("pass")}."""
    return {k.replace("_", "-"): CheckAnswer(v) for k, v in answers.items()}


def decision_journey(decide_checks=None, refusal_leads_back=False):
    """Apply online, a back-office decision, then granted or refused (a failure)."""
    transitions = [("apply", "decide", None, "flow"), ("decide", "granted", None, "flow"),
                   ("decide", "refused", "evidence missing", "failure")]
    if refusal_leads_back:
        transitions.append(("refused", "apply", "try again", "rework"))
    return make_journey(stages=STAGES, steps=[
        {"id": "apply", "stage": "apply", "checks": checks(ACC_01="pass")},
        {"id": "decide", "stage": "decide", "actor": "back-office", "channel": "none",
         "checks": decide_checks or {}},
        {"id": "granted", "stage": "decide", "channel": "letter"},
        {"id": "refused", "stage": "decide", "channel": "letter"},
    ], transitions=transitions)


# DR01 recovery-route ------------------------------------------------------------------

def test_dr01_fires_when_the_appeal_route_is_unclear():
    journey = decision_journey(decide_checks=checks(TRA_09="partial"))
    p = get(journey, "DR01:step:decide")
    assert p.evidence == (
        "failure transition from decide to refused: 'evidence missing'",
        "TRA-09 is partial",
        "refused has no outgoing transition: the journey ends there",
    )
    assert any("appeal" in a for a in p.actions)
    assert any("Today the journey stops at refused" in a for a in p.actions)


def test_dr01_fires_on_a_dead_end_failure_even_with_a_clear_appeal_route():
    journey = decision_journey(decide_checks=checks(TRA_09="pass"))
    assert ids(journey, "DR01") == ["DR01:step:decide"]


def test_dr01_quiet_when_appeal_is_clear_and_the_refusal_leads_back():
    journey = decision_journey(decide_checks=checks(TRA_09="pass"), refusal_leads_back=True)
    assert ids(journey, "DR01") == []


def test_dr01_counts_na_as_not_pass():
    journey = decision_journey(decide_checks=checks(TRA_09="n/a"), refusal_leads_back=True)
    assert get(journey, "DR01:step:decide").evidence[-1] == "TRA-09 is n/a"


# DR02 moment-of-truth-upgrade -----------------------------------------------------------

def test_dr02_fires_on_a_moment_of_truth_at_level_2_and_empowers_frontline_staff():
    journey = make_journey(steps=[{"id": "interview", "actor": "frontline", "channel": "counter",
                                   "moment_of_truth": True, "level": 2}])
    p = get(journey, "DR02:step:interview")
    assert p.evidence == ("moment of truth", "level is 2", "actor is frontline")
    assert any(a.startswith("Empower the frontline staff") for a in p.actions)
    assert any("Co-create" in a for a in p.actions)


def test_dr02_quiet_at_level_3_or_off_the_moments_of_truth():
    journey = make_journey(steps=[
        {"id": "a", "moment_of_truth": True, "level": 3},
        {"id": "b", "moment_of_truth": False, "level": 1},
        {"id": "c", "moment_of_truth": True, "level": None},
    ])
    assert ids(journey, "DR02") == []


# DR03 surprise ----------------------------------------------------------------------------

def solid_step(**overrides) -> dict:
    step = {"id": "meet", "channel": "counter", "actor": "frontline", "level": 3,
            "evidence": "observed", "emotion": 1, "ideas": ["A keepsake copy"]}
    step.update(overrides)
    return step


def test_dr03_fires_on_solid_ground_with_an_equity_check():
    journey = make_journey(steps=[solid_step()])
    p = get(journey, "DR03:step:meet")
    assert any(a.startswith("Equity check") for a in p.actions)
    assert any("'A keepsake copy'" in a for a in p.actions)
    assert any("renewal" in a for a in p.actions)


def test_dr03_quiet_while_a_recovery_route_is_missing_anywhere():
    journey = make_journey(stages=STAGES, steps=[
        solid_step(stage="find"),
        {"id": "decide", "stage": "decide", "actor": "back-office", "channel": "none"},
        {"id": "refused", "stage": "decide"},
    ], transitions=[("meet", "decide", None, "flow"), ("decide", "refused", None, "failure")])
    assert ids(journey, "DR01") == ["DR01:step:decide"]
    assert ids(journey, "DR03") == []


def test_dr03_quiet_when_basics_fail_pain_is_heavy_or_evidence_assumed():
    journey = make_journey(steps=[
        solid_step(id="failed", checks=checks(ACC_04="partial")),
        solid_step(id="painful", pain_points=[{"text": "Long queue", "severity": 3,
                                               "votes": 1}]),
        solid_step(id="assumed", evidence="assumed"),
        solid_step(id="flat", emotion=0),
    ])
    assert ids(journey, "DR03") == []


def test_dr03_ignores_answers_to_checks_that_do_not_apply():
    # ACC-03 is about digital touchpoints: a fail on a counter step is ignored.
    journey = make_journey(steps=[solid_step(checks=checks(ACC_03="fail"))])
    assert ids(journey, "DR03") == ["DR03:step:meet"]


# DR04 level-gap ---------------------------------------------------------------------------

def test_dr04_fires_with_work_for_each_level_to_climb():
    journey = make_journey(steps=[{"id": "form", "level": 1, "target_level": 3}])
    p = get(journey, "DR04:step:form")
    assert p.evidence == ("level is 1", "target_level is 3", "level gap is 2")
    assert [a[:7] for a in p.actions[:2]] == ["Level 2", "Level 3"]
    assert not any(a.startswith("Equity check") for a in p.actions)


def test_dr04_quiet_where_dr02_or_dr03_fired_or_no_gap():
    journey = make_journey(steps=[
        {"id": "mot", "moment_of_truth": True, "level": 1, "target_level": 3},
        solid_step(target_level=4),
        {"id": "done", "level": 3, "target_level": 3},
        {"id": "above", "level": 4, "target_level": 2},
    ])
    assert ids(journey, "DR02") == ["DR02:step:mot"]
    assert ids(journey, "DR03") == ["DR03:step:meet"]
    assert ids(journey, "DR04") == []


def test_dr04_aiming_at_level_4_carries_the_equity_check():
    journey = make_journey(steps=[{"id": "form", "level": None, "target_level": 4}])
    p = get(journey, "DR04:step:form")
    assert p.evidence[0] == "level is not set"
    assert [a[:7] for a in p.actions[:4]] == ["Level 1", "Level 2", "Level 3", "Level 4"]
    assert any(a.startswith("Equity check") for a in p.actions)


# DR05 emotional-low -----------------------------------------------------------------------

def test_dr05_fires_on_very_negative_or_negative_moment_of_truth():
    journey = make_journey(steps=[
        {"id": "letter", "channel": "letter", "emotion": -2},
        {"id": "verdict", "channel": "letter", "emotion": -1, "moment_of_truth": True},
    ])
    assert ids(journey, "DR05") == ["DR05:step:verdict", "DR05:step:letter"]
    assert get(journey, "DR05:step:verdict").evidence == ("emotion is -1", "moment of truth")


def test_dr05_quiet_on_mild_lows_and_backstage_steps():
    journey = make_journey(steps=[
        {"id": "form", "emotion": -1},
        {"id": "back", "actor": "back-office", "emotion": -2},
    ])
    assert ids(journey, "DR05") == []


# DR06 co-create ---------------------------------------------------------------------------

def test_dr06_fires_when_no_citizen_raised_a_pain_point():
    journey = make_journey(steps=[
        {"id": "form", "moment_of_truth": True,
         "pain_points": [{"text": "Too long", "source": "team"},
                         {"text": "Drop-outs", "source": "data", "severity": 3}]},
    ])
    p = get(journey, "DR06:journey")
    assert p.evidence == ("none of the journey's 2 pain points has source citizen "
                          "(sources: data 1, team 1)",)
    assert any("moment" in a and "form" in a for a in p.actions)


def test_dr06_fires_on_a_journey_without_pain_points():
    assert ids(make_journey(), "DR06") == ["DR06:journey"]


def test_dr06_quiet_when_a_citizen_raised_a_pain_point():
    journey = make_journey(steps=[{"id": "form", "pain_points": [
        {"text": "Too long", "source": "citizen"}]}])
    assert ids(journey, "DR06") == []


# DR07 validate-assumptions ----------------------------------------------------------------

def test_dr07_fires_on_assumed_moments_of_truth_and_blocking_pain():
    journey = make_journey(steps=[
        {"id": "letter", "moment_of_truth": True},
        {"id": "form", "pain_points": [{"text": "Cannot upload", "severity": 3}]},
    ])
    assert ids(journey, "DR07") == ["DR07:step:letter", "DR07:step:form"]
    assert get(journey, "DR07:step:form").evidence == (
        "evidence is assumed", "severity 3 pain point: 'Cannot upload'")


def test_dr07_quiet_when_observed_backstage_or_pain_not_blocking():
    journey = make_journey(steps=[
        {"id": "letter", "moment_of_truth": True, "evidence": "observed"},
        {"id": "back", "actor": "system", "moment_of_truth": True},
        {"id": "form", "pain_points": [{"text": "Slow", "severity": 2, "votes": 9}]},
    ])
    assert ids(journey, "DR07") == []


# DR08 renewal-due -------------------------------------------------------------------------

def test_dr08_fires_when_never_reviewed_or_review_is_old():
    assert get(make_journey(), "DR08:journey").evidence == ("reviewed_on is missing",)
    old = make_journey(reviewed_on=date(2025, 3, 10))
    assert get(old, "DR08:journey").evidence == (
        "reviewed_on is 2025-03-10, before 2025-11-24 "
        "(12 months before the evaluation date 2026-11-24)",)


def test_dr08_quiet_when_reviewed_recently_or_in_the_future():
    for reviewed in (date(2025, 11, 24), date(2026, 6, 1), date(2027, 1, 1)):
        assert ids(make_journey(reviewed_on=reviewed), "DR08") == []


def test_dr08_clamps_the_day_to_the_month_end():
    today = date(2026, 3, 31)
    late_feb = make_journey(reviewed_on=date(2026, 2, 27))
    on_cutoff = make_journey(reviewed_on=date(2026, 2, 28))
    assert ids(late_feb, "DR08", today=today, review_months=1) == ["DR08:journey"]
    assert ids(on_cutoff, "DR08", today=today, review_months=1) == []


def test_dr08_follows_the_review_period():
    journey = make_journey(reviewed_on=date(2025, 3, 10))
    assert ids(journey, "DR08", review_months=24) == []
    assert any("within 6 months" in a
               for a in get(journey, "DR08:journey", review_months=6).actions)


# DR09 accessibility-gap -------------------------------------------------------------------

def test_dr09_fires_with_one_remedy_per_failed_check_citing_its_basis():
    journey = make_journey(steps=[{"id": "form", "checks": checks(
        ACC_03="partial", ACC_06="fail", ACC_07="pass")}])
    p = get(journey, "DR09:step:form")
    assert p.evidence == ("ACC-03 is partial", "ACC-06 is fail")
    assert len(p.actions) == 2
    for action, cid in zip(p.actions, ("ACC-03", "ACC-06"), strict=True):
        assert action.startswith(cid + ":")
        assert CHECKS[cid].basis in action


def test_dr09_quiet_on_passes_and_on_checks_that_do_not_apply():
    # ACC-02 and ACC-08 are about counters: answers on a web step are ignored.
    journey = make_journey(steps=[{"id": "form", "checks": checks(
        ACC_01="pass", ACC_02="fail", ACC_08="partial")}])
    assert ids(journey, "DR09") == []


# DR10 transparency-gap --------------------------------------------------------------------

def test_dr10_fires_on_a_failed_transparency_check():
    journey = make_journey(steps=[{"id": "form", "checks": checks(
        TRA_03="fail", TRA_04="pass")}])
    p = get(journey, "DR10:step:form")
    assert p.evidence == ("TRA-03 is fail",)
    assert p.actions[0].startswith("TRA-03:") and CHECKS["TRA-03"].basis in p.actions[0]


def test_dr10_quiet_when_dr12_covers_the_wait():
    journey = make_journey(steps=[{"id": "wait", "wait_days": 10, "checks": checks(
        TRA_07="fail")}])
    assert ids(journey, "DR10") == []
    assert ids(journey, "DR12") == ["DR12:step:wait"]


def test_dr10_keeps_tra07_on_a_short_wait():
    journey = make_journey(steps=[{"id": "wait", "wait_days": 2, "checks": checks(
        TRA_07="partial")}])
    assert get(journey, "DR10:step:wait").evidence == ("TRA-07 is partial",)


def test_dr10_drops_only_tra07_when_dr12_fires():
    journey = make_journey(steps=[{"id": "wait", "wait_days": 10, "checks": checks(
        TRA_07="fail", TRA_03="fail")}])
    assert get(journey, "DR10:step:wait").evidence == ("TRA-03 is fail",)


def test_dr10_ignores_decision_checks_on_a_step_that_decides_nothing():
    journey = make_journey(steps=[{"id": "told", "channel": "email", "checks": checks(
        TRA_08="fail", TRA_09="fail")}])
    assert ids(journey, "DR10") == []


# DR11 assisted-route ----------------------------------------------------------------------

def test_dr11_fires_when_every_route_needs_a_digital_step_without_alternative():
    journey = make_journey(steps=[
        {"id": "notice", "channel": "none"},
        {"id": "online", "channel": "web", "checks": checks(ACC_01="partial")},
        {"id": "email", "channel": "email", "stage": "b"},
    ])
    p = get(journey, "DR11:journey")
    assert p.evidence == (
        "no path from a start step to a success outcome avoids a citizen-facing digital step "
        "without ACC-01 pass",
        "online (web): ACC-01 is partial",
        "email (email): ACC-01 is not answered",
    )


def test_dr11_fires_when_the_journey_has_no_success_outcome():
    everything_loops = make_journey(steps=[{"id": "a", "channel": "phone"},
                                           {"id": "b", "channel": "phone"}],
                                    transitions=[("a", "b", None, "flow"),
                                                 ("b", "a", None, "flow")])
    assert get(everything_loops, "DR11:journey").evidence == (
        "the journey has no success outcome: every step has an outgoing transition",)
    only_failure = make_journey(steps=[{"id": "a", "channel": "phone"},
                                       {"id": "b", "channel": "letter"}],
                                transitions=[("a", "b", None, "failure")])
    assert ids(only_failure, "DR11") == ["DR11:journey"]


def test_dr11_quiet_when_an_assisted_route_leads_around_the_digital_step():
    journey = make_journey(steps=[
        {"id": "notice", "channel": "none"},
        {"id": "online", "channel": "app", "checks": checks(ACC_01="fail")},
        {"id": "call", "channel": "phone"},
        {"id": "done", "channel": "letter", "stage": "b"},
    ], transitions=[("notice", "online", None, "flow"), ("notice", "call", None, "alternative"),
                    ("online", "done", None, "flow"), ("call", "done", None, "flow")])
    assert ids(journey, "DR11") == []


def test_dr11_quiet_when_digital_steps_have_an_alternative_or_are_backstage():
    journey = make_journey(steps=[
        {"id": "online", "channel": "web", "checks": checks(ACC_01="pass")},
        {"id": "robot", "channel": "web", "actor": "system"},
    ])
    assert ids(journey, "DR11") == []


# DR12 silent-wait -------------------------------------------------------------------------

def test_dr12_fires_on_silent_wait():
    journey = make_journey(steps=[{"id": "assess", "actor": "back-office", "wait_days": 5}])
    p = get(journey, "DR12:step:assess")
    assert p.evidence == ("wait_days is 5", "TRA-07 is not answered")
    assert p.priority == 5


def test_dr12_quiet_when_progress_tracked_or_wait_short():
    journey = make_journey(steps=[
        {"id": "tracked", "wait_days": 28, "checks": checks(TRA_07="pass")},
        {"id": "short", "wait_days": 4.5},
    ])
    assert ids(journey, "DR12") == []


def test_dr12_counts_failed_tra07_in_the_priority():
    journey = make_journey(steps=[{"id": "assess", "wait_days": 28.0,
                                   "checks": checks(TRA_07="fail")}])
    p = get(journey, "DR12:step:assess")
    assert p.evidence == ("wait_days is 28", "TRA-07 is fail")
    assert p.priority == 6


# DR13 rework-loop -------------------------------------------------------------------------

def test_dr13_fires_on_each_rework_transition():
    journey = make_journey(steps=[{"id": "apply"}, {"id": "check", "actor": "back-office"},
                                  {"id": "done", "stage": "b"}],
                           transitions=[("apply", "check", None, "flow"),
                                        ("check", "apply", "photo missing", "rework"),
                                        ("check", "done", None, "flow"),
                                        ("done", "check", None, "rework")])
    assert ids(journey, "DR13") == ["DR13:transition:check->apply", "DR13:transition:done->check"]
    p = get(journey, "DR13:transition:check->apply")
    assert p.target.to_dict() == {"kind": "transition", "from": "check", "to": "apply"}
    assert p.evidence == ("rework transition from check to apply: 'photo missing'",)


def test_dr13_fires_on_a_loop_without_rework_at_its_first_closing_transition():
    journey = make_journey(steps=[{"id": "a"}, {"id": "b"}, {"id": "c"}, {"id": "d"}],
                           transitions=[("a", "b", None, "flow"), ("b", "c", None, "flow"),
                                        ("c", "d", None, "flow"), ("d", "b", None, "flow"),
                                        ("c", "b", None, "alternative")])
    # The loop {b, c, d}: its earliest step is b; d->b comes before c->b.
    assert ids(journey, "DR13") == ["DR13:transition:d->b"]
    assert get(journey, "DR13:transition:d->b").evidence == (
        "steps b, c and d form a loop with no rework transition",
        "the flow transition from d back to b closes the loop")


def test_dr13_fires_on_a_self_transition():
    journey = make_journey(steps=[{"id": "a"}, {"id": "b"}],
                           transitions=[("a", "b", None, "flow"), ("b", "b", None, "flow")])
    assert ids(journey, "DR13") == ["DR13:transition:b->b"]


def test_dr13_quiet_on_a_loop_holding_a_rework_transition_and_on_straight_journeys():
    looped = make_journey(steps=[{"id": "a"}, {"id": "b"}, {"id": "c"}],
                          transitions=[("a", "b", None, "flow"), ("b", "c", None, "flow"),
                                       ("c", "a", "start again", "rework"),
                                       ("b", "a", None, "flow")])
    assert ids(looped, "DR13") == ["DR13:transition:c->a"]
    assert ids(make_journey(), "DR13") == []


# DR14 dead-end ----------------------------------------------------------------------------

def test_dr14_fires_on_a_success_outcome_before_the_last_stage():
    journey = make_journey(stages=STAGES, steps=[
        {"id": "read", "stage": "find"}, {"id": "booked", "stage": "apply", "channel": "email"},
        {"id": "decided", "stage": "decide"},
    ], transitions=[("read", "booked", None, "flow"), ("read", "decided", None, "flow")])
    p = get(journey, "DR14:step:booked")
    assert p.evidence == ("booked has no outgoing transition",
                          "it is in stage 'Apply' (apply), not in the last stage "
                          "'Decision' (decide)")


def test_dr14_quiet_on_outcomes_in_the_last_stage_and_failure_outcomes():
    journey = make_journey(stages=STAGES, steps=[
        {"id": "read", "stage": "find"}, {"id": "rejected", "stage": "apply"},
        {"id": "decided", "stage": "decide"},
    ], transitions=[("read", "rejected", None, "failure"), ("read", "decided", None, "flow")])
    assert ids(journey, "DR14") == []


# DR15 channel-hops ------------------------------------------------------------------------

def test_dr15_fires_on_three_channel_changes_along_the_main_path():
    journey = make_journey(steps=[
        {"id": "a", "channel": "web"}, {"id": "b", "channel": "phone"},
        {"id": "c", "channel": "phone"}, {"id": "d", "channel": "web"},
        {"id": "e", "channel": "letter"},
    ])
    p = get(journey, "DR15:journey")
    assert p.evidence == ("the main path changes channel 3 times between citizen-facing steps",
                          "web → phone: a to b", "phone → web: c to d", "web → letter: d to e")


def test_dr15_quiet_when_changes_are_backstage_or_off_the_main_path():
    journey = make_journey(steps=[
        {"id": "a", "channel": "web"}, {"id": "back", "channel": "email", "actor": "system"},
        {"id": "b", "channel": "web"}, {"id": "side", "channel": "phone"},
        {"id": "c", "channel": "letter"},
    ], transitions=[("a", "back", None, "flow"), ("back", "b", None, "flow"),
                    ("b", "side", None, "alternative"), ("side", "c", None, "flow"),
                    ("b", "c", None, "flow")])
    assert ids(journey, "DR15") == []


# DR16 handoffs ----------------------------------------------------------------------------

def test_dr16_fires_on_three_organisations_along_the_main_path():
    journey = make_journey(organization="City", steps=[
        {"id": "a"}, {"id": "b", "agency": "Hospital", "actor": "partner"},
        {"id": "c", "agency": "Tax office"}, {"id": "d"},
    ])
    assert get(journey, "DR16:journey").evidence == (
        "the main path involves 3 organisations", "'City': a and d", "'Hospital': b",
        "'Tax office': c")


def test_dr16_counts_the_unnamed_own_organisation():
    journey = make_journey(steps=[{"id": "a"}, {"id": "b", "agency": "Hospital"},
                                  {"id": "c", "agency": "Tax office"}])
    p = get(journey, "DR16:journey")
    assert "the journey's own organisation (not named): a" in p.evidence


def test_dr16_quiet_when_a_third_organisation_is_off_the_main_path():
    journey = make_journey(organization="City", steps=[
        {"id": "a"}, {"id": "b", "agency": "Hospital"}, {"id": "c", "agency": "Tax office"},
        {"id": "d"},
    ], transitions=[("a", "b", None, "flow"), ("b", "d", None, "flow"),
                    ("a", "c", None, "alternative"), ("c", "d", None, "flow")])
    assert ids(journey, "DR16") == []


# DR17 pain-hotspot ------------------------------------------------------------------------

def test_dr17_fires_on_a_pain_score_of_six():
    journey = make_journey(steps=[{"id": "form", "pain_points": [
        {"text": "Asked twice", "severity": 2, "votes": 2, "source": "citizen"}]}])
    p = get(journey, "DR17:step:form")
    assert p.evidence == ("pain score is 6",
                          "severity 2 pain point from citizen, 2 votes: 'Asked twice'")
    assert p.actions[0].startswith("Co-create the redesign with the citizens who raised")


def test_dr17_quiet_below_six():
    journey = make_journey(steps=[{"id": "form", "pain_points": [
        {"text": "Slow", "severity": 1, "votes": 3}, {"text": "Long", "severity": 1}]}])
    assert ids(journey, "DR17") == []


def test_dr17_fires_on_one_blocking_pain_point_however_few_endorsed_it():
    journey = make_journey(steps=[{"id": "form", "pain_points": [
        {"text": "The form rejects my address", "severity": 3, "votes": 0}]}])
    p = get(journey, "DR17:step:form")
    assert p.evidence[:2] == ("pain score is 3", "1 pain point of severity 3 (blocks the citizen)")
    assert p.priority == 4 + 3  # base + pain score: priorities are unchanged


# DR18 unassessed --------------------------------------------------------------------------

def test_dr18_fires_on_a_citizen_facing_step_nobody_assessed():
    # An answer to a check that does not apply (ACC-02 on the web) is no assessment.
    journey = make_journey(steps=[{"id": "form", "checks": checks(ACC_02="pass")}])
    p = get(journey, "DR18:step:form")
    assert p.evidence[0] == "level is not set"
    assert p.priority == 1


def test_dr18_quiet_once_assessed_or_backstage():
    journey = make_journey(steps=[
        {"id": "rated", "level": 1},
        {"id": "checked", "checks": checks(ACC_04="n/a")},
        {"id": "back", "actor": "back-office"},
    ])
    assert ids(journey, "DR18") == []


# DR19 data-point --------------------------------------------------------------------------

def test_dr19_fires_on_a_moment_of_truth_without_a_measure():
    journey = make_journey(steps=[{"id": "letter", "moment_of_truth": True}])
    assert get(journey, "DR19:step:letter").evidence == ("moment of truth",
                                                        "measure is not set")


def test_dr19_quiet_when_measured():
    journey = make_journey(steps=[
        {"id": "letter", "moment_of_truth": True, "measure": "trust score after the letter"},
        {"id": "form"},
    ])
    assert ids(journey, "DR19") == []
