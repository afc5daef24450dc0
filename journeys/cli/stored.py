"""Commands on stored journeys: import, export, list, demo, history, restore, delete and
undelete.
"""

from datetime import date
from pathlib import Path

import click

from journeys.cli.common import (
    JOURNEY_ID,
    REVISION,
    VERSION,
    Invalid,
    _choose_format,
    _load_stored,
    _read_document,
    _stdout,
    _store,
    _store_errors,
    _write_export,
    _write_output,
    diagram_options,
    out,
    say,
    source_option,
)
from journeys.domain.text import tsv_line
from journeys.formats.registry import EXPORT_FORMATS


@click.command("import")
@click.argument("file")
@click.option("--team", default=None,
              help='Team that owns the journey, created if new (default: "Default team").')
@click.option("--into", "into", type=JOURNEY_ID, default=None, metavar="ID",
              help="Replace the content of stored journey ID, as a new revision; print the "
                   "new version.")
@click.option("--expect-version", type=VERSION, default=None, metavar="N",
              help="With --into: refuse unless journey ID is still at version N.")
@source_option
def import_(file, team, into, expect_version, source_format):
    """Store a journey document; print its id on stdout (with --into, the new version)."""
    if into is None and expect_version is not None:
        raise Invalid("--expect-version goes with --into ID")
    if into is not None and team is not None:
        raise Invalid("--team cannot be used with --into (the journey keeps its team)")
    journey = _read_document(file, source_format=source_format)
    from journeys.domain.schemas import DocumentError
    from journeys.store import services as store

    with _store() as session, _store_errors():
        try:
            if into is None:
                out(str(store.import_journey(session=session, actor=store.SYSTEM,
                                             journey=journey, team_name=team)))
                return
            if expect_version is None:
                expect_version = store.get_journey_row(
                    session=session, actor=store.SYSTEM, journey_id=into).version
            out(str(store.replace_journey(session=session, actor=store.SYSTEM,
                                          journey_id=into, journey=journey,
                                          expected_version=expect_version)))
        except DocumentError as err:
            raise Invalid(f"{file} cannot be stored:\n{err}") from err


@click.command("export")
@click.argument("journey_id", type=JOURNEY_ID)
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default=None,
              help="Output format (default: from the -o file's extension, else json).")
@click.option("-o", "--output", default=None,
              help="File to write, or - for stdout (default: exports/<slug>.<ext>).")
@click.option("--revision", type=REVISION, default=None, metavar="N",
              help="Export the journey as it was at revision N (see 'journeys history').")
@diagram_options
def export_(journey_id, fmt, output, revision, direction, view, stage, backstage, timeout):
    """Write a stored journey as a document, a diagram or a text format.

    With ``--format csv -o DIR/`` (a folder), write the set of CSV tables: steps,
    transitions, checks, pain points, ideas, tags and the design proposals.
    """
    journey = _load_stored(journey_id, revision)
    if output and output != "-" and (output.endswith(("/", "\\")) or Path(output).is_dir()):
        if fmt not in (None, "csv"):
            raise Invalid(f"-o {output}: a folder receives the set of CSV tables; "
                          f"--format {fmt} writes one file, so name the file")
        _write_csv_set(journey, journey_id, Path(output))
        return
    fmt = _choose_format(fmt, output, default="json", allowed=EXPORT_FORMATS)
    if fmt == "csv":  # the steps table, with the stored journey's id in every row
        from journeys.formats.registry import export_name
        from journeys.formats.tabular import steps_csv

        data = steps_csv(journey, journey_id=journey_id).encode("utf-8")
        _write_output(data, output, Path("exports") / export_name(journey, "csv"))
        return
    _write_export(journey, fmt, output, direction=direction, backstage=backstage,
                  timeout=timeout, view=view, stage=stage)


def _write_csv_set(journey, journey_id: int, folder: Path) -> None:
    """Write every CSV table of a stored journey, its proposals included, into ``folder``."""
    from designer import propose as run
    from designer.report import proposal_tables
    from journeys.domain.checks import Assessment
    from journeys.formats.files import write_atomic
    from journeys.formats.tabular import csv_set

    assessment = Assessment(journey)
    proposals = run(journey, today=date.today(), assessment=assessment)
    files = csv_set(journey, journey_id=journey_id, assessment=assessment,
                    extra=proposal_tables(journey, proposals, journey_id))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            write_atomic(folder / name, data)
    except OSError as exc:
        raise Invalid(f"-o {folder}: cannot write the CSV tables ({exc.strerror})") from exc
    say(f"wrote {len(files)} tables to {folder}: {', '.join(files)}")


@click.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.option("--deleted", is_flag=True,
              help="List the deleted journeys (they can be undeleted for 30 days).")
def list_(as_json, deleted):
    """List the stored journeys."""
    import json

    from journeys.store import services as store

    with _store() as session:
        rows = store.list_journeys(session=session, actor=store.SYSTEM, deleted=deleted)
    if as_json:
        _stdout()
        click.echo(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2))
        return
    if not rows:
        say("no journeys stored yet (try 'journeys demo')")
    for r in rows:
        steps = "1 step" if r.steps == 1 else f"{r.steps} steps"
        out(tsv_line(r.id, r.team, steps, r.title))


@click.command("demo")
def demo():
    """Load the demo journeys that ship with the package, and the demo account."""
    from journeys.store import accounts
    from journeys.store import services as store

    with _store() as session, _store_errors():
        loaded = store.load_demo(session=session, actor=store.SYSTEM)
        email, password = accounts.ensure_demo_account(session=session)
    for journey_id, title, new in loaded:
        out(tsv_line(journey_id, title))
        if not new:
            say(f"journey {journey_id} ({title}) was already loaded; kept")
    say(f"sign in as {email} with the password {password} (the demo account, owner "
        f"of the {accounts.DEMO_TEAM!r}; unless its password was changed with "
        f"'journeys user set-password {email}')")


@click.command("history")
@click.argument("journey_id", type=JOURNEY_ID)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
def history(journey_id, as_json):
    """List a journey's revisions, newest first: number, time, who, what changed."""
    import json

    from journeys.store import services as store
    with _store() as session, _store_errors():
        revisions = store.history(session=session, actor=store.SYSTEM, journey_id=journey_id)
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in revisions], ensure_ascii=False, indent=2))
        return
    for r in revisions:
        when = r.created_at.strftime("%Y-%m-%d %H:%M:%S UTC")
        out(tsv_line(r.number, when, r.actor_name, r.summary))


@click.command("restore")
@click.argument("journey_id", type=JOURNEY_ID)
@click.option("--revision", type=REVISION, required=True, metavar="N",
              help="The revision to restore (see 'journeys history').")
@click.option("--expect-version", type=VERSION, default=None, metavar="N",
              help="Refuse unless the journey is still at version N.")
def restore(journey_id, revision, expect_version):
    """Make an earlier revision the journey's content again (a new revision); print the
    new version."""
    from journeys.store import services as store
    with _store() as session, _store_errors():
        if expect_version is None:
            expect_version = store.get_journey_row(
                session=session, actor=store.SYSTEM, journey_id=journey_id).version
        click.echo(store.restore_revision(session=session, actor=store.SYSTEM,
                                          journey_id=journey_id, revision=revision,
                                          expected_version=expect_version))


@click.command("delete")
@click.argument("journey_id", type=JOURNEY_ID)
def delete(journey_id):
    """Delete a stored journey; 'journeys undelete' brings it back within 30 days."""
    from journeys.store import services as store
    with _store() as session, _store_errors():
        store.delete_journey(session=session, actor=store.SYSTEM, journey_id=journey_id)
    say(f"deleted journey {journey_id}; 'journeys undelete {journey_id}' brings it back "
        "within 30 days")


@click.command("undelete")
@click.argument("journey_id", type=JOURNEY_ID)
def undelete(journey_id):
    """Bring back a journey deleted in the last 30 days."""
    from journeys.store import services as store
    with _store() as session, _store_errors():
        store.undelete_journey(session=session, actor=store.SYSTEM, journey_id=journey_id)
    say(f"journey {journey_id} is back")
