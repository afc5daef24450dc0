"""Hypothesis strategies for journey documents."""

from hypothesis import strategies as st

from journeys.domain.checks import CHECKS
from journeys.domain.document import (
    ACTORS,
    CHANNELS,
    CHECK_RESULTS,
    EVIDENCE,
    FORMAT,
    PAIN_CATEGORIES,
    PAIN_SOURCES,
    SERVICE_TYPES,
    STATES,
    TRANSITION_KINDS,
    VISIBILITIES,
)

# Sizes are kept well under the format's limits so the property tests stay fast; the
# limits themselves are tested one by one in test_schemas.py.
# Text holds no control character but tab, line feed and carriage return (journey-format.md).
_CONTROLS = "".join(map(chr, [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]))
_CHARS = st.characters(exclude_categories=("Cs",), exclude_characters=_CONTROLS)
slugs = st.from_regex(r"[a-z0-9][a-z0-9-]{0,63}", fullmatch=True)


def texts(max_len: int) -> st.SearchStrategy[str]:
    """Any Unicode text (no surrogates) of 1–max_len code points, not only white space."""
    return st.text(_CHARS, min_size=1, max_size=min(max_len, 30)).filter(str.strip)


def whole_numbers(low: int, high: int) -> st.SearchStrategy[int | float]:
    """Whole numbers in range, written as an int or as a float such as 2.0."""
    ints = st.integers(low, high)
    return ints | ints.map(float)


amounts = (
    st.integers(0, 10**12)
    | st.floats(min_value=0, max_value=1e15, allow_nan=False, allow_infinity=False)
)


def maybe_null(strategy: st.SearchStrategy) -> st.SearchStrategy:
    """The values of ``strategy`` or null."""
    return st.none() | strategy


check_answers = st.sampled_from(CHECK_RESULTS) | st.fixed_dictionaries(
    {"result": st.sampled_from(CHECK_RESULTS)}, optional={"note": texts(1000)}
)

pain_points = st.fixed_dictionaries(
    {"text": texts(1000)},
    optional={
        "category": st.sampled_from(PAIN_CATEGORIES),
        "severity": whole_numbers(1, 3),
        "source": st.sampled_from(PAIN_SOURCES),
        "votes": whole_numbers(0, 10**6),
    },
)

personas = st.fixed_dictionaries(
    {"name": texts(100)},
    optional={"description": texts(2000), "needs": st.lists(texts(200), max_size=3)},
)


def steps(step_id: str, stage_ids: list[str]) -> st.SearchStrategy[dict]:
    """A valid step with this id, in one of these stages; optional keys sometimes left out."""
    return st.fixed_dictionaries(
        {"id": st.just(step_id), "stage": st.sampled_from(stage_ids), "title": texts(200)},
        optional={
            "description": texts(5000),
            "channel": st.sampled_from(CHANNELS),
            "actor": st.sampled_from(ACTORS),
            "agency": texts(200),
            "visibility": st.sampled_from(VISIBILITIES),
            "level": maybe_null(whole_numbers(1, 4)),
            "target_level": maybe_null(whole_numbers(1, 4)),
            "emotion": maybe_null(whole_numbers(-2, 2)),
            "moment_of_truth": st.booleans(),
            "effort_minutes": maybe_null(amounts),
            "wait_days": maybe_null(amounts),
            "checks": st.dictionaries(st.sampled_from(list(CHECKS)), check_answers, max_size=4),
            "pain_points": st.lists(pain_points, max_size=2),
            "ideas": st.lists(texts(500), max_size=2),
            "measure": maybe_null(texts(200)),
            "evidence": st.sampled_from(EVIDENCE),
            "tags": st.lists(texts(50), max_size=3),
        },
    )


def transitions(step_ids: list[str]) -> st.SearchStrategy[list[dict]]:
    """Transitions between these steps, each (from, to) pair at most once."""
    pairs = st.lists(
        st.tuples(st.sampled_from(step_ids), st.sampled_from(step_ids)), unique=True, max_size=8
    )
    return pairs.flatmap(lambda ps: st.tuples(*(
        st.fixed_dictionaries(
            {"from": st.just(a), "to": st.just(b)},
            optional={"label": texts(200), "kind": st.sampled_from(TRANSITION_KINDS)},
        )
        for a, b in ps
    )).map(list))


@st.composite
def valid_documents(draw) -> dict:
    """A ``citizen-journey/1`` document (as parsed JSON) that satisfies every rule."""
    stage_ids = draw(st.lists(slugs, min_size=1, max_size=4, unique=True))
    step_ids = draw(st.lists(slugs, min_size=1, max_size=6, unique=True))
    doc = {"format": FORMAT, "title": draw(texts(200))}
    doc.update(draw(st.fixed_dictionaries({}, optional={
        "service": texts(200),
        "service_type": st.sampled_from(SERVICE_TYPES),
        "organization": texts(200),
        "persona": personas,
        "state": st.sampled_from(STATES),
        "reviewed_on": st.dates().map(lambda d: d.isoformat()),
    })))
    doc["stages"] = [
        draw(st.fixed_dictionaries({"id": st.just(i), "name": texts(100)},
                                   optional={"description": texts(2000)}))
        for i in stage_ids
    ]
    doc["steps"] = [draw(steps(i, stage_ids)) for i in step_ids]
    if draw(st.booleans()):
        doc["transitions"] = draw(transitions(step_ids))
    return doc
