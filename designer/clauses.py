"""Clause titles and the reach of the regulations the rules cite: one table each.

The design brief never writes a bare clause number: it writes the number with its
title (``7.3.2 Designing and renewing outstanding customer/citizen experiences``). The
titles are those of ISO 11367:2025 as listed in ``docs/service-excellence.md`` (the
clause texts themselves are copyrighted and never quoted). A reference to a regulation
or a benchmark says where it applies, so that a reader outside the EU or the UK knows
whether it binds them.
"""

CLAUSE_TITLES: dict[str, str] = {
    "Introduction (pyramid level 2)": "the service excellence pyramid, level 2: recovery",
    "3.1": "the customer/citizen, as the standard defines the term",
    "5.1.1": "Manage from the outside in",
    "5.1.2": "Deepen relationships",
    "5.1.3": "People make the difference",
    "5.1.4": "Balanced attention to citizens, staff, subcontractors and other stakeholders",
    "5.1.5": "Cross-functional management along journeys",
    "5.1.6": "Leverage technology",
    "5.1.7": "Create value with stakeholders through co-creation",
    "5.2.1": "Public interest",
    "5.2.2": "Equitable approach",
    "5.2.3": "Transparency and communication",
    "5.2.4": "Accessibility",
    "5.2.5": "Efficiency and effectiveness",
    "5.2.6": "Accountability",
    "5.2.7": "Agility",
    "7.1.1": "Public service excellence purpose, vision, mission and strategy",
    "7.1.2": "Public service leadership and management requirements",
    "7.1.3": "Public accountability",
    "7.2.1": "Public service excellence culture",
    "7.2.2": "Employee engagement",
    "7.2.3": "Integrity and conflict management",
    "7.3.1": "Understanding customer/citizen and societal needs, expectations and desires",
    "7.3.2": "Designing and renewing outstanding customer/citizen experiences",
    "7.3.3": "Public service innovation management",
    "7.4.1": "Managing customer/citizen-experience-related efficient and effective processes "
             "and organizational structure",
    "7.4.2": "Managing equity, fairness, transparency and accessibility",
    "7.4.3": "Monitoring public service excellence activities and results",
}
"""Clause number → title, for every clause a rule or a check cites."""


def clause_with_title(clause: str) -> str:
    """``7.3.2 Designing and renewing …``; the introduction as ``Introduction: …``."""
    title = CLAUSE_TITLES[clause]
    if clause.startswith("Introduction"):
        return f"Introduction: {title}"
    return f"{clause} {title}"


REGULATIONS: tuple[tuple[str, str], ...] = (
    ("EU Single Digital Gateway", "the EU Single Digital Gateway Regulation, for EU member "
                                  "states"),
    ("SDG art. 10", "SDG is the EU Single Digital Gateway Regulation, for EU member states"),
    ("UK Service Standard", "the UK Service Standard, for UK government services"),
    ("EN 301 549", "EN 301 549, the accessibility standard public bodies in the EU apply to "
                   "their digital services"),
    ("eGovernment Benchmark", "the eGovernment Benchmark, the European Commission's yardstick "
                              "for online public services in Europe"),
)
"""A name that may appear in a check's basis → where that regulation or benchmark applies."""


def where_they_apply(basis: str) -> str | None:
    """A sentence saying where the regulations named in ``basis`` apply, or None."""
    scopes = []
    for name, scope in REGULATIONS:
        if name in basis and scope not in scopes:
            if name == "SDG art. 10" and "EU Single Digital Gateway" in basis:
                continue
            scopes.append(scope)
    if not scopes:
        return None
    return "Where it applies: " + "; ".join(scopes) + "."
