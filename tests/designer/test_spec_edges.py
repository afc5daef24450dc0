"""Edge cases of design-rules.md pinned one by one, each test named after its rule id.

These are the readings a second, independent implementation of the spec had to agree
on (see test_oracle.py): month-end arithmetic, which start steps count, what a loop is
and which transition it targets, the main path, organisations, applicability.
"""

from datetime import date

from journeys.domain.document import CheckAnswer
from tests.designer.helpers import get, ids
from tests.factories import make_journey


def checks(**answers) -> dict:
    """Check answers written as ACC_01="pass" → {"ACC-01": CheckAnswer("pass")}."""
    return {k.replace("_", "-"): CheckAnswer(v) for k, v in answers.items()}


# DR01 recovery-route --------------------------------------------------------------------

def test_dr01_fires_when_one_of_several_failure_targets_is_a_dead_end():
    journey = make_journey(steps=[
        {"id": "decide", "checks": checks(TRA_09="pass")},
        {"id": "retry"}, {"id": "refused"}, {"id": "done", "stage": "b"},
    ], transitions=[("decide", "retry", None, "failure"), ("retry", "decide", None, "flow"),
                    ("decide", "refused", None, "failure"), ("decide", "done", None, "flow")])
    assert ids(journey, "DR01") == ["DR01:step:decide"]


def test_dr01_quiet_when_every_failure_target_goes_on_and_tra09_passes():
    journey = make_journey(steps=[
        {"id": "decide", "checks": checks(TRA_09="pass")}, {"id": "retry"},
        {"id": "done", "stage": "b"},
    ], transitions=[("decide", "retry", None, "failure"), ("retry", "decide", None, "flow"),
                    ("decide", "done", None, "flow")])
    assert ids(journey, "DR01") == []


# DR03 surprise ----------------------------------------------------------------------------

def test_dr03_counts_partial_as_failed_but_ignores_checks_that_do_not_apply():
    step = {"id": "meet", "channel": "phone", "level": 3, "evidence": "data", "emotion": 1}
    clean = make_journey(steps=[{**step, "checks": checks(ACC_02="fail", TRA_07="fail")}])
    assert ids(clean, "DR03") == ["DR03:step:meet"]
    partial = make_journey(steps=[{**step, "checks": checks(ACC_04="partial")}])
    assert ids(partial, "DR03") == []


# DR08 renewal-due -------------------------------------------------------------------------

def test_dr08_cutoff_is_the_same_day_a_year_earlier():
    today = date(2027, 2, 28)
    on_cutoff = make_journey(reviewed_on=date(2026, 2, 28))
    day_before = make_journey(reviewed_on=date(2026, 2, 27))
    assert ids(on_cutoff, "DR08", today=today) == []
    assert ids(day_before, "DR08", today=today) == ["DR08:journey"]


def test_dr08_clamps_a_leap_day_to_the_end_of_february():
    today = date(2028, 2, 29)
    assert ids(make_journey(reviewed_on=date(2027, 2, 28)), "DR08", today=today) == []
    assert ids(make_journey(reviewed_on=date(2027, 2, 27)), "DR08",
               today=today) == ["DR08:journey"]


def test_dr08_never_fires_on_a_future_review():
    assert ids(make_journey(reviewed_on=date(2030, 1, 1)), "DR08",
               today=date(2026, 11, 24), review_months=1) == []


# DR10 transparency-gap --------------------------------------------------------------------

def test_dr10_keeps_tra07_where_the_wait_is_tracked_but_other_checks_fail():
    # TRA-07 partial on a 5-day wait: DR12 fires, so DR10 is left with TRA-10 only.
    journey = make_journey(steps=[{"id": "wait", "wait_days": 5,
                                   "checks": checks(TRA_07="partial", TRA_10="fail")}])
    p = get(journey, "DR10:step:wait")
    assert p.evidence == ("TRA-10 is fail",)
    assert p.priority == 5 + 2  # both failed checks count in the priority


# DR11 assisted-route ----------------------------------------------------------------------

def test_dr11_quiet_when_any_start_step_offers_the_route():
    journey = make_journey(steps=[
        {"id": "online", "channel": "web"}, {"id": "call", "channel": "phone"},
        {"id": "done", "channel": "letter", "stage": "b"},
    ], transitions=[("online", "done", None, "flow"), ("call", "done", None, "flow")])
    assert ids(journey, "DR11") == []


def test_dr11_starts_at_the_first_step_when_every_step_has_an_incoming_transition():
    # Every step has an incoming transition, so the only start is "online", which blocks:
    # "call" → "done" would be a route, but "call" is not a start step.
    journey = make_journey(steps=[
        {"id": "online", "channel": "web"}, {"id": "call", "channel": "phone"},
        {"id": "done", "channel": "letter", "stage": "b"},
    ], transitions=[("online", "call", None, "flow"), ("call", "online", None, "rework"),
                    ("call", "done", None, "flow"), ("done", "call", None, "alternative")])
    assert ids(journey, "DR11") == ["DR11:journey"]


def test_dr11_fires_when_the_only_outcome_is_a_failure_outcome():
    journey = make_journey(steps=[{"id": "call", "channel": "phone"},
                                  {"id": "refused", "channel": "letter"}],
                           transitions=[("call", "refused", None, "failure")])
    assert ids(journey, "DR11") == ["DR11:journey"]


def test_dr11_an_outcome_with_a_failure_and_a_flow_incoming_is_a_success():
    journey = make_journey(steps=[{"id": "call", "channel": "phone"},
                                  {"id": "check", "channel": "phone"},
                                  {"id": "end", "channel": "letter", "stage": "b"}],
                           transitions=[("call", "check", None, "flow"),
                                        ("check", "end", None, "failure"),
                                        ("call", "end", None, "flow")])
    assert ids(journey, "DR11") == []


# DR13 rework-loop -------------------------------------------------------------------------

def test_dr13_loop_target_may_be_a_self_transition_on_its_earliest_step():
    journey = make_journey(steps=[{"id": "a"}, {"id": "b"}, {"id": "c", "stage": "b"}],
                           transitions=[("a", "a", None, "flow"), ("a", "b", None, "flow"),
                                        ("b", "a", None, "alternative"),
                                        ("b", "c", None, "flow")])
    # {a, b} is one loop (a's self transition is inside it, not a loop of its own);
    # the first transition into a from the loop, in document order, is a -> a.
    assert ids(journey, "DR13") == ["DR13:transition:a->a"]


def test_dr13_a_rework_transition_outside_any_loop_is_proposed_on_its_own():
    journey = make_journey(steps=[{"id": "a"}, {"id": "b"}, {"id": "c", "stage": "b"}],
                           transitions=[("a", "b", None, "flow"), ("a", "c", None, "rework")])
    assert ids(journey, "DR13") == ["DR13:transition:a->c"]


def test_dr13_a_rework_self_transition_covers_its_loop():
    journey = make_journey(steps=[{"id": "a"}, {"id": "b"}, {"id": "c", "stage": "b"}],
                           transitions=[("a", "b", None, "flow"), ("b", "a", None, "flow"),
                                        ("b", "b", "again", "rework"),
                                        ("b", "c", None, "flow")])
    assert ids(journey, "DR13") == ["DR13:transition:b->b"]


def test_dr13_a_rework_transition_leaving_the_loop_does_not_cover_it():
    journey = make_journey(steps=[{"id": "a"}, {"id": "b"}, {"id": "c", "stage": "b"}],
                           transitions=[("a", "b", None, "flow"), ("b", "a", None, "flow"),
                                        ("b", "c", None, "rework")])
    assert ids(journey, "DR13") == ["DR13:transition:b->a", "DR13:transition:b->c"]


def test_dr13_each_loop_gets_its_own_proposal():
    journey = make_journey(steps=[{"id": "a"}, {"id": "b"}, {"id": "c"}, {"id": "d"},
                                  {"id": "e", "stage": "b"}],
                           transitions=[("a", "b", None, "flow"), ("b", "a", None, "flow"),
                                        ("b", "c", None, "flow"), ("c", "c", None, "flow"),
                                        ("c", "d", None, "flow"), ("d", "e", None, "flow"),
                                        ("e", "d", None, "flow")])
    assert ids(journey, "DR13") == ["DR13:transition:b->a", "DR13:transition:c->c",
                                    "DR13:transition:e->d"]


# DR14 dead-end ----------------------------------------------------------------------------

def test_dr14_an_isolated_step_is_a_success_outcome():
    journey = make_journey(steps=[{"id": "a"}, {"id": "b", "stage": "b"}, {"id": "lone"}],
                           transitions=[("a", "b", None, "flow")])
    assert ids(journey, "DR14") == ["DR14:step:lone"]


# DR15 channel-hops ------------------------------------------------------------------------

def test_dr15_main_path_takes_the_first_flow_and_stops_at_a_visited_step():
    journey = make_journey(steps=[
        {"id": "a", "channel": "web"}, {"id": "b", "channel": "phone"},
        {"id": "c", "channel": "web"}, {"id": "d", "channel": "phone"},
        {"id": "e", "channel": "web", "stage": "b"},
    ], transitions=[("a", "d", None, "alternative"), ("a", "b", None, "flow"),
                    ("b", "c", None, "flow"), ("c", "a", None, "flow"),
                    ("c", "d", None, "flow"), ("d", "e", None, "flow")])
    # Main path a → b → c, then back to a (visited): two changes only.
    assert ids(journey, "DR15") == []


# DR16 handoffs ----------------------------------------------------------------------------

def test_dr16_an_agency_named_like_the_journey_organisation_is_the_same_one():
    journey = make_journey(organization="City", steps=[
        {"id": "a"}, {"id": "b", "agency": "City"}, {"id": "c", "agency": "Hospital"},
    ])
    assert ids(journey, "DR16") == []


def test_dr16_counts_backstage_steps_of_the_main_path():
    journey = make_journey(steps=[
        {"id": "a"}, {"id": "b", "agency": "Hospital", "actor": "system"},
        {"id": "c", "agency": "Tax office", "actor": "back-office"},
    ])
    assert ids(journey, "DR16") == ["DR16:journey"]


# DR18 unassessed --------------------------------------------------------------------------

def test_dr18_a_decision_check_on_a_step_that_decides_nothing_is_no_assessment():
    journey = make_journey(steps=[{"id": "form", "checks": checks(TRA_09="pass",
                                                                  TRA_07="fail")}])
    assert ids(journey, "DR18") == ["DR18:step:form"]
    assert get(journey, "DR18:step:form").priority == 1
