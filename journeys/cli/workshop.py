"""Workshops on a stored journey: start, list and close (``journeys workshop ...``)."""

import click

from journeys.cli.common import (
    JOURNEY_ID,
    VERSION,
    Invalid,
    StoredNumber,
    _store,
    _store_errors,
    out,
    say,
)
from journeys.domain.text import tsv_line


@click.group("workshop")
def workshop_group():
    """Start, list and close co-creation workshops on stored journeys."""


@workshop_group.command("start")
@click.argument("journey_id", type=JOURNEY_ID)
@click.option("--title", required=True, help="The workshop's title, shown to participants.")
@click.option("--stage", "stages", multiple=True, metavar="STAGE",
              help="A stage open for comment (repeatable; default: every stage).")
@click.option("--moderation", type=click.Choice(["after", "before"]), default="after",
              show_default=True, help="Remove contributions afterwards, or approve them first.")
@click.option("--language", type=click.Choice(["en", "fr"]), default="en", show_default=True,
              help="Language of the participant pages.")
@click.option("--closes-in", "minutes", type=click.IntRange(1, 60 * 24 * 30), default=None,
              metavar="MINUTES", help="Refuse contributions after this many minutes.")
def workshop_start(journey_id, title, stages, moderation, language, minutes):
    """Start a workshop; print its id and join code on stdout, tab-separated."""
    from datetime import UTC, datetime, timedelta

    from journeys.domain.schemas import DocumentError
    from journeys.store import services as store
    from journeys.store import workshops

    with _store() as session, _store_errors():
        if not stages:
            stages = [s.id for s in store.load_journey(
                session=session, actor=store.SYSTEM, journey_id=journey_id).stages]
        closes_at = datetime.now(UTC) + timedelta(minutes=minutes) if minutes else None
        try:
            w = workshops.start_workshop(session=session, actor=store.SYSTEM,
                                         journey_id=journey_id, title=title,
                                         open_stages=list(stages), closes_at=closes_at,
                                         moderation=moderation, language=language)
        except DocumentError as err:
            raise Invalid(f"the workshop cannot be started:\n{err}") from err
    out(tsv_line(w.id, w.code))
    say(f"workshop {w.id} started on journey {journey_id}: participants join with the code "
        f"{w.code[:3]} {w.code[3:]}")


@workshop_group.command("list")
@click.argument("journey_id", type=JOURNEY_ID)
def workshop_list(journey_id):
    """List a journey's workshops: id, code, state, participants, title."""
    from journeys.store import services as store
    from journeys.store import workshops

    with _store() as session, _store_errors():
        found = workshops.list_workshops(session=session, actor=store.SYSTEM,
                                         journey_id=journey_id)
        for w in found:
            board = workshops.board(session=session, actor=store.SYSTEM, workshop_id=w.id)
            state = "closed" if board.closed else "open"
            out(tsv_line(w.id, w.code, state, board.participants, w.title))
    if not found:
        say(f"journey {journey_id} has no workshops yet (try 'journeys workshop start "
            f"{journey_id} --title TITLE')")


@workshop_group.command("close")
@click.argument("workshop_id", type=StoredNumber("workshop id", "ID"))
@click.option("--expect-version", type=VERSION, default=None, metavar="N",
              help="Refuse unless the journey is still at version N.")
def workshop_close(workshop_id, expect_version):
    """Close a workshop: what citizens said joins the journey; print its new version."""
    from journeys.domain.schemas import DocumentError
    from journeys.store import services as store
    from journeys.store import workshops

    with _store() as session, _store_errors():
        w = workshops.get_workshop(session=session, actor=store.SYSTEM,
                                   workshop_id=workshop_id)
        if expect_version is None:
            expect_version = store.get_journey_row(
                session=session, actor=store.SYSTEM, journey_id=w.journey_id).version
        try:
            version = workshops.close_workshop(session=session, actor=store.SYSTEM,
                                               workshop_id=workshop_id,
                                               expected_version=expect_version)
        except DocumentError as err:
            raise Invalid(f"workshop {workshop_id} cannot be closed:\n{err}") from err
    out(str(version))
