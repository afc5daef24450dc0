"""What a design rule is: an id, a name, clauses, a base priority and a documented finder.

A rule's documentation lives once, in the docstring of its finder, in sections:

- the first paragraph says when the rule fires;
- ``What it proposes:``, ``Why:`` and ``Example:`` paragraphs, always;
- an optional ``Settled:`` paragraph recording how an ambiguity of the spec was read.

The rule reference (:mod:`designer.reference`), the API and the web help read these
sections from the registry, so nothing is written twice: ``Rule.rationale`` *is* the
``Why:`` paragraph.
"""

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

SECTIONS = ("What it proposes", "Why", "Example", "Settled")
REQUIRED_SECTIONS = ("What it proposes", "Why", "Example")
TARGET_KINDS = ("journey", "step", "transition")


@dataclass(frozen=True)
class Finding:
    """What a rule found: the proposal's target, title, evidence and actions.

    ``step`` is the index of the proposal's step (the target step, or the ``from``
    step of a target transition; None for the journey); ``transition`` is the index of
    a target transition in the document's ``transitions``.
    """

    title: str
    evidence: list[str]
    actions: list  # of str (a service change) or designer.wording.Action
    step: int | None = None
    transition: int | None = None


def doc_sections(doc: str) -> dict[str, str]:
    """Split a rule docstring into its summary and named sections (paragraphs joined)."""
    paragraphs = [" ".join(line.strip() for line in block.splitlines())
                  for block in doc.strip().split("\n\n") if block.strip()]
    out: dict[str, str] = {}
    current = "summary"
    for para in paragraphs:
        for name in SECTIONS:
            if para.startswith(name + ":"):
                current = name
                para = para[len(name) + 1:].strip()
                break
        out[current] = f"{out[current]}\n\n{para}" if current in out else para
    return out


@dataclass(frozen=True)
class Rule:
    """One design rule of the registry.

    ``redesigns`` marks rules whose proposal redesigns its step: on a moment of truth
    the engine makes sure such a proposal includes co-creation with citizens.
    """

    id: str
    name: str
    clauses: tuple[str, ...]
    base: int
    title: str
    target: str
    find: Callable[..., Iterable[Finding]] = field(repr=False, compare=False)
    redesigns: bool = False

    @property
    def doc(self) -> dict[str, str]:
        """The docstring's sections: ``summary``, ``What it proposes``, ``Why``, …"""
        return doc_sections(inspect.getdoc(self.find) or "")

    @property
    def fires_when(self) -> str:
        """When the rule fires (the docstring's first paragraph)."""
        return self.doc.get("summary", "")

    @property
    def proposes(self) -> str:
        """What the rule proposes."""
        return self.doc.get("What it proposes", "")

    @property
    def rationale(self) -> str:
        """Why the rule exists, with reference to the standard."""
        return self.doc.get("Why", "")

    @property
    def example(self) -> str:
        """A worked example."""
        return self.doc.get("Example", "")

    @property
    def settled(self) -> str:
        """How an ambiguity of the spec was read, if any."""
        return self.doc.get("Settled", "")


def rule(id: str, name: str, *, clauses: tuple[str, ...], base: int, title: str, target: str,
         redesigns: bool = False) -> Callable[[Callable[..., Iterable[Finding]]], Rule]:
    """Declare a design rule around its finder ``find(ctx) -> Iterable[Finding]``."""
    if target not in TARGET_KINDS:
        raise ValueError(f"{id}: target must be one of {TARGET_KINDS}")

    def wrap(find: Callable[..., Iterable[Finding]]) -> Rule:
        return Rule(id=id, name=name, clauses=tuple(clauses), base=base, title=title,
                    target=target, find=find, redesigns=redesigns)

    return wrap
