"""The check summary: levels, coverage figures as checks.md defines them, failed checks."""

from journeys.domain.checks import Assessment, percent
from journeys.domain.summary import level_counts, summarise
from tests.factories import make_journey


def test_coverage_counts_only_applicable_checks():
    journey = make_journey(steps=[
        # ACC-02 applies only on counter: the answer on a web step is ignored.
        {"id": "s1", "checks": {"ACC-02": _a("fail"), "ACC-03": _a("pass"),
                                "ACC-06": _a("partial"), "ACC-07": _a("n/a")}},
        {"id": "s2", "stage": "b", "actor": "back-office", "checks": {"ACC-04": _a("fail")}},
    ])
    cov = Assessment(journey).coverage()
    acc = cov["ACC"]
    # s1 is a citizen-facing web step: ACC-01, 03, 04, 05, 06, 07, 09, 10, 11 apply.
    assert acc.applicable == 9
    assert acc.answered == 3
    assert percent(acc.assessed) == "33 %"
    assert percent(acc.pass_rate) == "75 %"  # (1 + ½) / 2


def test_nothing_to_count_shows_a_dash():
    journey = make_journey(steps=[{"id": "s1", "actor": "system"}])
    cov = Assessment(journey).coverage()
    assert percent(cov["ACC"].assessed) == "–"
    assert percent(cov["ACC"].pass_rate) == "–"


def test_summary_lists_levels_and_failed_checks():
    journey = make_journey(steps=[
        {"id": "s1", "level": 1, "checks": {"TRA-03": _a("fail", "fees not shown")}},
        {"id": "s2", "stage": "b", "level": 3},
        {"id": "s3", "stage": "b"},
    ])
    assert level_counts(journey) == {1: 1, 2: 0, 3: 1, 4: 0, None: 1}
    text, failed = summarise(journey)
    assert failed == 1
    assert ("Failed checks: 1 fail, 0 partial\n"
            "  First\n"
            "    Step s1 (s1)\n"
            "      TRA-03 fail: Are fees, deadlines and conditions stated? (fees not shown)\n"
            ) in text


def test_failed_checks_count_fails_and_partials_apart_by_stage_and_title():
    journey = make_journey(steps=[
        {"id": "form", "title": "Fills in the form", "checks": {"ACC-06": _a("partial")}},
        {"id": "letter", "stage": "b", "title": "Receives the letter",
         "checks": {"TRA-03": _a("fail"), "TRA-04": _a("partial")}},
    ])
    text, failed = summarise(journey)
    assert failed == 3
    assert "Failed checks: 1 fail, 2 partial" in text
    block = text.split("Failed checks: 1 fail, 2 partial\n")[1].split("\n\n")[0]
    assert block.splitlines() == [
        "  First", "    Fills in the form (form)",
        "      ACC-06 partial: Is what the citizen reads here in plain language, tested with "
        "readers?",
        "  Second", "    Receives the letter (letter)",
        "      TRA-03 fail: Are fees, deadlines and conditions stated?",
        "      TRA-04 partial: Are the possible outcomes and the next step explained?",
    ]


def test_pass_rates_over_too_few_answers_say_so_at_the_stated_coverage():
    # One web step: 9 accessibility checks apply; 2 answers are 22 %, under the quarter.
    few = make_journey(steps=[{"id": "s1", "checks": {
        "ACC-01": _a("pass"), "ACC-04": _a("fail")}}])
    text, _ = summarise(few)
    acc = next(line for line in text.splitlines() if line.startswith("  Accessibility"))
    assert acc.endswith("too few answers")
    assert "(a pass rate needs 25 % of the checks that apply answered)" in text
    enough = make_journey(steps=[{"id": "s1", "checks": {
        "ACC-01": _a("pass"), "ACC-03": _a("pass"), "ACC-04": _a("fail")}}])
    acc = next(line for line in summarise(enough)[0].splitlines()
               if line.startswith("  Accessibility"))
    assert acc.endswith("33 % (3/9)       67 %")


def test_each_stage_says_what_is_not_yet_assessed():
    journey = make_journey(steps=[
        {"id": "s1", "level": 1, "actor": "system"},
        {"id": "s2", "stage": "b"}, {"id": "s3", "stage": "b", "level": 2}],
        stages=[{"id": "a", "name": "First"}, {"id": "b", "name": "Second"},
                {"id": "c", "name": "Third"}])
    text, _ = summarise(journey)
    block = text.split("Not yet assessed\n")[1].split("\n\n")[0]
    assert block.splitlines() == [
        "  First: all assessed",
        "  Second: 1 of 2 steps without a level; 28 of 28 checks unanswered",
        "  Third: no steps",
    ]


def _a(result, note=None):
    from journeys.domain.document import CheckAnswer

    return CheckAnswer(result, note, note is not None)


def test_answers_to_checks_that_do_not_apply_are_named_but_not_counted():
    journey = make_journey(steps=[
        {"id": "s1", "checks": {"ACC-08": _a("fail")}},
        {"id": "s2", "stage": "b", "actor": "system", "checks": {"TRA-10": _a("fail")}},
    ])
    text, failed = summarise(journey)
    assert failed == 0
    assert "Answers ignored, the check does not apply to the step: 2" in text
    assert "Step s1 (s1)  ACC-08: applies to citizen-facing steps on counter or kiosk" in text
    assert "Step s2 (s2)  TRA-10: applies to citizen-facing steps" in text


def test_journey_shape_warnings():
    endless = make_journey(transitions=[("s1", "s2"), ("s2", "s1")])
    text, _ = summarise(endless)
    assert "no step ends the journey" in text
    assert "not reachable" not in text  # every step has an incoming one: s1 starts

    island = make_journey(steps=[{"id": "s1"}, {"id": "s2", "stage": "b"}, {"id": "s3"},
                                 {"id": "s4"}],
                          transitions=[("s1", "s2"), ("s3", "s4"), ("s4", "s3")])
    assert "not reachable from the start: s3, s4" in summarise(island)[0]

    clean, _ = summarise(make_journey())
    assert "Journey shape" not in clean
