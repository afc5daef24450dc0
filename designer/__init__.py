"""The proposal engine: journey in, design proposals out (pure Python, no I/O).

``propose(journey, today=…)`` runs every rule of the registry (:data:`RULES`, in
:mod:`designer.rules`) and returns the proposals ordered as the spec says;
:mod:`designer.wording` words each action for its step, :mod:`designer.brief` turns
the proposals into the design brief a director reads (:mod:`designer.report` renders
them as text, JSON, the Markdown brief or CSV tables), and :mod:`designer.reference`
renders the rule reference from the registry.
"""

from designer.engine import propose
from designer.proposal import FORMAT, Proposal, Target
from designer.rules import RULES, RULES_BY_ID

__all__ = ["FORMAT", "RULES", "RULES_BY_ID", "Proposal", "Target", "propose"]
