"""The engine against an independent, brute-force reading of design-rules.md.

``reference`` below was written straight from the spec text, without the engine's code:
it reads the raw JSON document (defaults applied here), finds paths and loops by brute
force, and returns which (rule, target) fire, with their ids, names, clauses and
priorities, in the spec's order. The engine's JSON output must agree on all of that for
seeded random journeys (self-loops, cycles, unreachable steps, no transitions, backstage
steps, answers to checks that do not apply, month-end review dates…) and for any valid
document Hypothesis draws. Titles, evidence and actions are the designer's own words and
are not compared.
"""

import calendar
import json
import random
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from designer import propose
from designer.report import render_json
from journeys.domain.schemas import load_document
from tests.strategies import valid_documents

DIGITAL = {"web", "app", "email", "sms", "chat", "video", "kiosk"}
ALL_CHECKS = [f"ACC-{i:02d}" for i in range(1, 13)] + [f"TRA-{i:02d}" for i in range(1, 13)]

NAMES = {
    "DR01": ("recovery-route", ["Introduction (pyramid level 2)", "5.2.6", "7.3.2"]),
    "DR02": ("moment-of-truth-upgrade", ["7.3.2", "5.1.2", "5.1.3"]),
    "DR03": ("surprise", ["7.3.2", "5.2.2"]),
    "DR04": ("level-gap", ["7.3.2"]),
    "DR05": ("emotional-low", ["7.3.2"]),
    "DR06": ("co-create", ["3.1", "5.1.7", "7.3.1"]),
    "DR07": ("validate-assumptions", ["7.3.1"]),
    "DR08": ("renewal-due", ["7.3.2", "5.2.7"]),
    "DR09": ("accessibility-gap", ["5.2.4", "5.2.2", "7.4.2"]),
    "DR10": ("transparency-gap", ["5.2.3", "5.2.6", "7.4.2"]),
    "DR11": ("assisted-route", ["5.2.4", "5.2.2"]),
    "DR12": ("silent-wait", ["5.2.3", "5.2.4"]),
    "DR13": ("rework-loop", ["5.2.5", "7.4.1"]),
    "DR14": ("dead-end", ["5.2.3"]),
    "DR15": ("channel-hops", ["5.1.5", "5.2.5"]),
    "DR16": ("handoffs", ["5.1.5", "7.4.1"]),
    "DR17": ("pain-hotspot", ["7.3.2", "7.3.1"]),
    "DR18": ("unassessed", ["7.4.3"]),
    "DR19": ("data-point", ["7.3.2", "7.4.3"]),
}
BASE = {"DR01": 8, "DR02": 7, "DR11": 7, "DR05": 6, "DR09": 5, "DR10": 5, "DR12": 5,
        "DR13": 5, "DR04": 4, "DR06": 4, "DR07": 4, "DR14": 4, "DR17": 4, "DR08": 3,
        "DR15": 3, "DR16": 3, "DR03": 2, "DR19": 2, "DR18": 1}


def result_of(ans):
    if ans is None:
        return None
    return ans if isinstance(ans, str) else ans["result"]


def reference(doc, today, months=12):
    """The compared fields of the proposals the spec expects, in the spec's order."""
    steps = doc["steps"]
    n = len(steps)
    ids = [s["id"] for s in steps]
    pos = {sid: i for i, sid in enumerate(ids)}
    stages = [st["id"] for st in doc["stages"]]

    # defaults
    def g(s, k, d=None):
        return s.get(k, d)
    actor = [g(s, "actor", "citizen") for s in steps]
    vis = [g(s, "visibility", "frontstage" if actor[i] in ("citizen", "frontline")
             else "backstage") for i, s in enumerate(steps)]
    cf = [v == "frontstage" for v in vis]
    chan = [g(s, "channel", "web") for s in steps]
    level = [g(s, "level") for s in steps]
    tlevel = [g(s, "target_level") for s in steps]
    emo = [g(s, "emotion") for s in steps]
    mot = [bool(g(s, "moment_of_truth", False)) for s in steps]
    wait = [g(s, "wait_days") or 0 for s in steps]
    tags = [g(s, "tags", []) for s in steps]
    evid = [g(s, "evidence", "assumed") for s in steps]
    pains = [g(s, "pain_points", []) for s in steps]
    checks = [g(s, "checks", {}) for s in steps]

    # transitions
    explicit = doc.get("transitions", [])
    if explicit:
        T = [(pos[t["from"]], pos[t["to"]], t.get("kind", "flow"), k)
             for k, t in enumerate(explicit)]
    else:
        T = [(i, i + 1, "flow", None) for i in range(n - 1)]

    def outs(i):
        return [t for t in T if t[0] == i]

    def ins(i):
        return [t for t in T if t[1] == i]

    # reachability (transitive, path length >= 1)
    R = [[False] * n for _ in range(n)]
    for a, b, _, _ in T:
        R[a][b] = True
    for k in range(n):
        for i in range(n):
            if R[i][k]:
                for j in range(n):
                    if R[k][j]:
                        R[i][j] = True

    starts = [i for i in range(n) if not ins(i)] or [0]
    outcomes = [i for i in range(n) if not outs(i)]
    failure_outcome = [i for i in outcomes if ins(i) and all(t[2] == "failure" for t in ins(i))]
    success = [i for i in outcomes if i not in failure_outcome]

    # applicability
    def applies(i, c):
        f = cf[i]
        if c in ("ACC-01", "ACC-03"):
            return f and chan[i] in DIGITAL
        if c == "ACC-02":
            return f and chan[i] == "counter"
        if c == "ACC-08":
            return f and chan[i] in ("counter", "kiosk")
        if c == "ACC-12":
            return f and "identity" in tags[i]
        if c == "TRA-01":
            return f and steps[i]["stage"] == stages[0]
        if c == "TRA-02":
            return f and steps[i]["stage"] in stages[:2]
        if c == "TRA-05":
            return f and (wait[i] > 0 or any(R[i][j] and wait[j] > 0 for j in range(n)))
        if c == "TRA-06":
            return f and any(not cf[t[1]] for t in outs(i))
        if c == "TRA-07":
            return wait[i] > 0
        if c in ("TRA-08", "TRA-09"):
            return any(t[2] == "failure" for t in outs(i)) or "decision" in tags[i]
        if c == "TRA-11":
            return "personal-data" in tags[i]
        return f  # ACC-04..07, 09..11, TRA-03, 04, 10, 12

    def res(i, c):
        return result_of(checks[i].get(c)) if applies(i, c) else None

    failed = [[c for c in ALL_CHECKS if res(i, c) in ("fail", "partial")] for i in range(n)]
    pain = [sum(p.get("severity", 2) * (1 + p.get("votes", 0)) for p in pains[i])
            for i in range(n)]
    gap = [max(0, tlevel[i] - (level[i] or 0)) if tlevel[i] is not None else 0
           for i in range(n)]

    fired = []  # (rule, kind, stepidx or None, transition index or None, target dict)

    def step_t(rule, i):
        fired.append((rule, i, None, {"kind": "step", "id": ids[i]}))

    def trans_t(rule, t):
        a, b, _, k = t
        assert k is not None
        fired.append((rule, a, k, {"kind": "transition", "from": ids[a], "to": ids[b]}))

    def journey_t(rule):
        fired.append((rule, None, None, {"kind": "journey"}))

    # DR01
    dr01 = set()
    for i in range(n):
        fo = [t for t in outs(i) if t[2] == "failure"]
        if fo and (res(i, "TRA-09") != "pass" or any(not outs(t[1]) for t in fo)):
            dr01.add(i)
            step_t("DR01", i)
    dr02 = set()
    for i in range(n):
        if mot[i] and level[i] in (1, 2):
            dr02.add(i)
            step_t("DR02", i)
    dr03 = set()
    for i in range(n):
        if (cf[i] and level[i] == 3 and evid[i] in ("observed", "data") and not failed[i]
                and pain[i] < 6 and (mot[i] or (emo[i] is not None and emo[i] >= 1))
                and not dr01):
            dr03.add(i)
            step_t("DR03", i)
    for i in range(n):
        if gap[i] > 0 and i not in dr02 and i not in dr03:
            step_t("DR04", i)
    for i in range(n):
        if cf[i] and (emo[i] == -2 or (emo[i] == -1 and mot[i])):
            step_t("DR05", i)
    if not any(p.get("source", "team") == "citizen" for ps in pains for p in ps):
        journey_t("DR06")
    for i in range(n):
        if cf[i] and evid[i] == "assumed" and (mot[i] or any(p.get("severity", 2) == 3
                                                              for p in pains[i])):
            step_t("DR07", i)
    # DR08
    rv = doc.get("reviewed_on")
    if rv is None:
        journey_t("DR08")
    else:
        rvd = date.fromisoformat(rv)
        y, m = today.year, today.month - months
        while m < 1:
            m += 12
            y -= 1
        if y >= 1:
            cutoff = date(y, m, min(today.day, calendar.monthrange(y, m)[1]))
            if rvd < cutoff and rvd <= today:
                journey_t("DR08")
    for i in range(n):
        if any(c.startswith("ACC") for c in failed[i]):
            step_t("DR09", i)
    dr12 = {i for i in range(n) if wait[i] >= 5 and res(i, "TRA-07") != "pass"}
    for i in range(n):
        tra = [c for c in failed[i] if c.startswith("TRA")]
        if i in dr12:
            tra = [c for c in tra if c != "TRA-07"]
        if tra:
            step_t("DR10", i)
    # DR11 brute force: simple paths
    ok = False
    blocked = [cf[i] and chan[i] in DIGITAL and res(i, "ACC-01") != "pass" for i in range(n)]

    def dfs(i, seen):
        if blocked[i]:
            return False
        if i in success:
            return True
        for t in outs(i):
            if t[1] not in seen:
                if dfs(t[1], seen | {t[1]}):
                    return True
        return False
    for s0 in starts:
        if dfs(s0, {s0}):
            ok = True
    if not success or not ok:
        journey_t("DR11")
    for i in sorted(dr12):
        step_t("DR12", i)
    # DR13
    for t in T:
        if t[2] == "rework":
            trans_t("DR13", t)
    # loops: SCC via mutual reachability
    sccs = []
    assigned = set()
    for i in range(n):
        if i in assigned:
            continue
        comp = [i] + [j for j in range(n) if j != i and R[i][j] and R[j][i]]
        comp.sort()
        assigned |= set(comp)
        sccs.append(comp)
    loops = [c for c in sccs if len(c) >= 2]
    inbig = {i for c in loops for i in c}
    for i in range(n):
        if R[i][i] and any(t[0] == i and t[1] == i for t in T) and i not in inbig:
            loops.append([i])
    for L in loops:
        Ls = set(L)
        if any(t[2] == "rework" and t[0] in Ls and t[1] in Ls for t in T):
            continue
        first = min(L)
        closing = [t for t in T if t[0] in Ls and t[1] == first][0]
        trans_t("DR13", closing)
    last = stages[-1]
    for i in success:
        if steps[i]["stage"] != last:
            step_t("DR14", i)
    # main path
    mp = []
    cur = starts[0]
    while True:
        if cur in mp:
            break
        mp.append(cur)
        fl = [t for t in outs(cur) if t[2] == "flow"]
        if not outs(cur) or not fl:
            break
        cur = fl[0][1]
    facing = [i for i in mp if cf[i]]
    changes = sum(1 for a, b in zip(facing, facing[1:], strict=False) if chan[a] != chan[b])
    if changes >= 3:
        journey_t("DR15")
    orgs = set()
    for i in mp:
        a = steps[i].get("agency")
        orgs.add(("named", a) if a else (("named", doc["organization"])
                                          if doc.get("organization") else ("own",)))
    if len(orgs) >= 3:
        journey_t("DR16")
    for i in range(n):
        if pain[i] >= 6 or any(p.get("severity", 2) == 3 for p in pains[i]):
            step_t("DR17", i)
    for i in range(n):
        if cf[i] and level[i] is None and not any(res(i, c) is not None for c in ALL_CHECKS):
            step_t("DR18", i)
    for i in range(n):
        if mot[i] and steps[i].get("measure") is None:
            step_t("DR19", i)

    out = []
    for rule, i, k, target in fired:
        terms = 0 if i is None else 3 * mot[i] + gap[i] + min(pain[i], 10) + len(failed[i])
        pr = BASE[rule] + terms
        key = target["id"] if target["kind"] == "step" else (
            f"{target['from']}->{target['to']}" if target["kind"] == "transition" else None)
        pid = f"{rule}:journey" if key is None else f"{rule}:{target['kind']}:{key}"
        out.append(((-pr, -1 if i is None else i, rule, -1 if k is None else k),
                    {"id": pid, "rule": rule, "name": NAMES[rule][0], "target": target,
                     "clauses": NAMES[rule][1], "priority": pr}))
    out.sort(key=lambda x: x[0])
    return [o[1] for o in out]


CHANNELS = ["web", "app", "email", "sms", "phone", "letter", "counter", "home-visit", "kiosk",
            "video", "chat", "partner", "none"]
ACTORS = ["citizen", "frontline", "back-office", "partner", "system"]
KINDS = ["flow", "flow", "alternative", "failure", "rework"]


def maybe(r, p):
    return r.random() < p


def random_journey(r: random.Random, big=False):
    """A small random document, an evaluation date near a month end, a review period."""
    nst = r.randint(1, 3)
    stages = [{"id": f"s{k}", "name": f"Stage {k}"} for k in range(nst)]
    n = r.randint(1, 12 if big else 7)
    steps = []
    for i in range(n):
        s = {"id": f"p{i}", "stage": f"s{r.randrange(nst)}", "title": f"Step {i}"}
        if maybe(r, 0.85):
            s["channel"] = r.choice(CHANNELS)
        if maybe(r, 0.8):
            s["actor"] = r.choice(ACTORS)
        if maybe(r, 0.3):
            s["visibility"] = r.choice(["frontstage", "backstage"])
        if maybe(r, 0.7 if big else 0.35):
            s["agency"] = r.choice(["A", "B", "C", "Org"])
        if maybe(r, 0.6) or big:
            s["level"] = r.choice([None, 1, 2, 3, 3, 4] + [3] * 4 * big)
        if maybe(r, 0.5):
            s["target_level"] = r.choice([None, 1, 2, 3, 4])
        if maybe(r, 0.6):
            s["emotion"] = r.choice([None, -2, -1, 0, 1, 2])
        if maybe(r, 0.35):
            s["moment_of_truth"] = r.choice([True, False])
        if maybe(r, 0.4):
            s["wait_days"] = r.choice([None, 0, 1, 4, 4.5, 5, 5.5, 14])
        if maybe(r, 0.2 if big else 0.5):
            ch = {}
            for _ in range(r.randint(1, 6)):
                c = r.choice(ALL_CHECKS if maybe(r, 0.5) else
                             ["ACC-01", "TRA-07", "TRA-09", "TRA-01", "ACC-02", "TRA-06"])
                v = r.choice(["pass", "fail", "partial", "n/a"])
                ch[c] = v if maybe(r, 0.7) else {"result": v, "note": "n"}
            s["checks"] = ch
        if maybe(r, 0.4):
            s["pain_points"] = [
                {"text": "pain", "severity": r.randint(1, 3),
                 "source": r.choice(["team", "citizen", "data", "team"]),
                 "votes": r.choice([0, 0, 1, 2, 5])}
                for _ in range(r.randint(1, 3))]
            for p in s["pain_points"]:
                if maybe(r, 0.2):
                    del p["severity"]
                if maybe(r, 0.2):
                    del p["source"]
                if maybe(r, 0.2):
                    del p["votes"]
        if maybe(r, 0.3):
            s["measure"] = "m"
        if maybe(r, 0.6):
            s["evidence"] = r.choice(["observed", "reported", "data", "assumed"]
                                     + ["observed"] * 3 * big)
        if maybe(r, 0.3):
            s["tags"] = r.sample(["identity", "decision", "personal-data", "x"], r.randint(1, 2))
        steps.append(s)
    transitions = []
    if not maybe(r, 0.2):
        pairs = set()
        m = r.randint(0, n * 2)
        for _ in range(m):
            a = r.randrange(n)
            mode = r.random()
            if mode < (0.05 if big else 0.15):
                b = a
            elif mode < (0.8 if big else 0.6) and a + 1 < n:
                b = a + 1
            else:
                b = r.randrange(n)
            if (a, b) in pairs:
                continue
            pairs.add((a, b))
            t = {"from": f"p{a}", "to": f"p{b}"}
            if maybe(r, 0.8):
                t["kind"] = r.choice(KINDS)
            transitions.append(t)
    doc = {"format": "citizen-journey/1", "title": "J", "stages": stages, "steps": steps}
    if transitions or maybe(r, 0.3):
        doc["transitions"] = transitions
    if maybe(r, 0.5):
        doc["organization"] = r.choice(["Org", "Z"])
    # dates around month ends
    today = date(r.choice([2024, 2025, 2026, 2027]), r.randint(1, 12), 1)
    today = today + timedelta(days=r.choice([0, 27, 28, 29, 30, 14])) if maybe(r, 0.5) else \
        date(today.year, today.month, 1) - timedelta(days=r.randint(0, 3))
    months = r.choice([1, 1, 2, 11, 12, 12, 13, 24])
    if maybe(r, 0.8):
        y, mo = today.year, today.month - months
        while mo < 1:
            mo += 12
            y -= 1
        d = min(today.day, calendar.monthrange(y, mo)[1])
        cutoff = date(y, mo, d)
        rv = cutoff + timedelta(days=r.choice([-40, -2, -1, 0, 1, 2, 30, 400, 800]))
        doc["reviewed_on"] = rv.isoformat()
    return doc, today, months


COMPARED = ("id", "rule", "name", "target", "clauses", "priority")


def engine(doc: dict, today: date, months: int) -> list[dict]:
    """The compared fields of ``journeys propose --format json`` for a document."""
    journey = load_document(json.dumps(doc))
    out = json.loads(render_json(journey, propose(journey, today=today, review_months=months),
                                 today))
    assert list(out) == ["format", "journey", "evaluated_on", "proposals"]
    assert out["evaluated_on"] == today.isoformat()
    for p in out["proposals"]:
        assert list(p) == ["id", "rule", "name", "title", "target", "clauses", "priority",
                           "evidence", "actions"]
    return [{k: p[k] for k in COMPARED} for p in out["proposals"]]


@pytest.mark.parametrize("big", [False, True])
def test_engine_agrees_with_the_reference_on_random_journeys(big):
    for seed in range(1500 if not big else 700):
        doc, today, months = random_journey(random.Random(seed), big=big)
        assert engine(doc, today, months) == reference(doc, today, months), (seed, doc)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=valid_documents(), today=st.dates(), months=st.integers(1, 100_000))
def test_engine_agrees_with_the_reference_on_any_valid_document(doc, today, months):
    assert engine(doc, today, months) == reference(doc, today, months)
