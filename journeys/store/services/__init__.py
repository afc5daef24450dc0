"""Store services: everything that reads or writes the database goes through here.

Plain functions with keyword-only arguments, ``session`` and ``actor`` first; each write
is one transaction that checks who acts (:func:`get_journey_row`), the version the edit
was based on, validates the content with the domain schemas and records a revision.
Nothing here imports Flask or click, so the command line, the pages and the API share
the same code. ``journeys.store.services`` is the one import path; the modules below it
group the services by what they act on.
"""

from journeys.store.actors import ROLES, SYSTEM, Actor, actor_for_user, can
from journeys.store.errors import Conflict, Forbidden, NotFound, StoreError
from journeys.store.services.common import MAX_ID, get_journey_row
from journeys.store.services.edits import (
    add_idea,
    add_pain_point,
    add_stage,
    add_step,
    add_transition,
    delete_idea,
    delete_pain_point,
    delete_stage,
    delete_step,
    delete_transition,
    move_stage,
    move_step,
    set_check,
    update_idea,
    update_journey,
    update_pain_point,
    update_stage,
    update_step,
    update_transition,
    vote_pain_point,
)
from journeys.store.services.history import RevisionInfo, history, restore_revision
from journeys.store.services.journeys import (
    DEFAULT_TEAM,
    DEMO_TEAM,
    KEEP_DELETED,
    MAX_STORED_INT,
    JourneySummary,
    StepInJourney,
    check_storable,
    check_team_name,
    delete_journey,
    demo_documents,
    duplicate_journey,
    get_or_create_team,
    import_journey,
    list_journeys,
    load_demo,
    load_journey,
    load_journey_version,
    load_step,
    purge_deleted,
    replace_journey,
    undelete_journey,
)

__all__ = [
    "DEFAULT_TEAM", "DEMO_TEAM", "KEEP_DELETED", "MAX_ID", "MAX_STORED_INT", "ROLES", "SYSTEM",
    "Actor", "Conflict", "Forbidden", "JourneySummary", "NotFound", "RevisionInfo",
    "StoreError", "actor_for_user", "add_idea", "add_pain_point", "add_stage", "add_step",
    "add_transition", "can", "check_storable", "check_team_name", "delete_idea",
    "delete_journey", "delete_pain_point", "delete_stage", "delete_step", "delete_transition",
    "demo_documents", "duplicate_journey", "get_journey_row", "get_or_create_team", "history",
    "import_journey", "list_journeys", "load_demo", "load_journey", "move_stage", "move_step",
    "purge_deleted", "replace_journey", "restore_revision", "set_check", "undelete_journey",
    "update_idea", "update_journey", "update_pain_point", "update_stage", "update_step",
    "update_transition", "vote_pain_point",
    "StepInJourney", "load_journey_version", "load_step",
]
