"""One remedy per catalogue check, used by DR09 (accessibility) and DR10 (transparency).

Each remedy says what to change and how to test it; the proposal cites the check's
basis from :data:`journeys.domain.checks.CHECKS`, so the basis is never written twice.
"""

from designer.clauses import where_they_apply
from designer.wording import POLICY, SERVICE, Action, Situation, word
from journeys.domain.checks import CHECKS

REMEDIES: dict[str, str] = {
    "ACC-01": "Offer another way to complete this step (by phone, at a counter, or with "
              "assisted digital help from staff or a partner) that reaches the same result "
              "in the same time; test it with citizens who do not use the internet.",
    "ACC-02": "Offer the step at home or remotely (home visit, video or phone appointment, a "
              "partner's office nearby) for citizens who cannot travel; test booking it with "
              "disabled and housebound citizens.",
    "ACC-03": "Bring the whole process, not page by page, to WCAG 2.2 AA; have it audited and "
              "test it with disabled people using screen readers, magnification and voice "
              "control.",
    "ACC-04": "Offer at least two contact modes for different senses (text and voice, with "
              "relay or sign-language interpreting); test with citizens who are blind, Deaf "
              "or without speech.",
    "ACC-05": "Stop asking for what the organisation already holds: pre-fill it, let the "
              "citizen pick rather than remember, and keep help in the same place throughout; "
              "test with citizens with memory or cognitive impairments.",
    "ACC-06": "Rewrite what the citizen reads here in plain language and test it with readers "
              "from its audience, including people with low literacy, before it goes out.",
    "ACC-07": "Offer the step in the languages its citizens need, starting with the most "
              "common ones in your data, and a free interpreter for the others; have native "
              "speakers who use the service test the translations.",
    "ACC-08": "Make the place step-free, reachable by public transport, with accessible "
              "toilets, seating and a hearing loop, or move the service to a place that is; "
              "walk the route with disabled citizens.",
    "ACC-09": "Open the step at times that suit working people and carers (evenings, "
              "weekends, online at any hour) and let citizens extend time limits without "
              "losing their work; test with citizens who work shifts.",
    "ACC-10": "Set and publish an acceptable level for waiting, queues and outages at this "
              "step, monitor it and act when it is breached; check it with citizens at peak "
              "times.",
    "ACC-11": "Remove cost and equipment barriers: waive or reduce fees for citizens on low "
              "income and make sure the step needs no smartphone, printer or paid call; test "
              "with citizens on low income.",
    "ACC-12": "Offer ways to prove identity that need no memory test and no document or "
              "device some groups lack (vouching by a trusted person, a check at a counter or "
              "by a partner); test with citizens without a passport or a smartphone.",
    "TRA-01": "Say at first contact what the service is for and whom it is for, with a quick "
              "way to check whether it applies to them; test with citizens unsure whether "
              "they qualify.",
    "TRA-02": "State before the citizen starts which steps, channels and evidence are needed, "
              "so they can gather everything at once; test by asking citizens to prepare from "
              "that information alone.",
    "TRA-03": "State fees, deadlines and conditions where the citizen decides, with what "
              "happens if a deadline is missed; check that citizens can say them back after "
              "reading.",
    "TRA-04": "Explain the possible outcomes of this step and what the citizen does next in "
              "each case; test with citizens that they know where they stand afterwards.",
    "TRA-05": "State how long the service takes, with any legal maximum (“if you apply today, "
              "you will have a decision by …”); check the stated time against case data "
              "every quarter.",
    "TRA-06": "Acknowledge every submission at once with a reference and what happens next, "
              "on the channel the citizen used; test that the acknowledgement arrives on "
              "every channel.",
    "TRA-07": "Let the citizen follow progress with their reference, or tell them proactively "
              "at each milestone and whenever the date slips; count 'where is my case?' "
              "contacts before and after.",
    "TRA-08": "Explain the decision in plain words, with the reasons that apply to this "
              "citizen's case and the rule behind them; test the letter with citizens who "
              "received such a decision.",
    "TRA-09": "Say in the decision itself how to complain or appeal, by when and to whom, and "
              "who owns the response; test it with citizens who have challenged a decision.",
    "TRA-10": "Name the body responsible for this step and give a direct way to reach a "
              "person; test that a citizen reaches someone within the time you state.",
    "TRA-11": "Explain, where the data is collected, what personal data is used, why, for how "
              "long, and how the citizen can see and correct it; test the wording with "
              "citizens.",
    "TRA-12": "Send communication about this step through more than one channel (e.g. email "
              "and letter or text message), following the citizen's preference; check it "
              "reaches citizens without internet access.",
}

MOMENT_OF_TRUTH_NOTE = (
    "This is a moment of truth: co-create the change with citizens who went through it."
)

WORDED = {"ACC-01": "other-way", "ACC-02": "in-person", "TRA-05": "expected-duration"}
"""Remedies whose sentence depends on the step: check id → wording choice."""

KIND = {"ACC-11": POLICY}
"""Remedies that are not a plain service change (fees are set by policy)."""


def remedy(check_id: str, *, moment_of_truth: bool = False,
           sit: Situation | None = None) -> Action:
    """The action for a failed check, worded for the step, citing the check's basis."""
    text = REMEDIES[check_id]
    if sit is not None and check_id in WORDED:
        text = word(WORDED[check_id], sit)
    basis = CHECKS[check_id].basis
    text = f"{check_id}: {text} Basis: {basis}."
    scope = where_they_apply(basis)
    if scope:
        text += " " + scope
    if moment_of_truth:
        text += " " + MOMENT_OF_TRUTH_NOTE
    return Action(text, KIND.get(check_id, SERVICE))
