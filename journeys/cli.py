"""The ``journeys`` command line: import, export, list, check, render, propose, demo.

Messages go to stderr, data to stdout. Bad input exits with code 2. Imports are kept
inside the commands so that file-only commands (``render``, ``check FILE``,
``propose FILE``) never load the web framework or the database layer.
"""

import errno
import io
import os
import re
import stat
import sys
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import click

from journeys.domain.text import terminal as _terminal
from journeys.domain.text import tsv_line
from journeys.formats.registry import DIRECTIONS, EXPORT_FORMATS, RENDER_FORMATS

EXIT_INVALID = 2
# Ids are SQL BIGINTs on every database: a larger number can name no journey.
MAX_ID = 2**63 - 1
_ASCII_DIGITS = re.compile(r"[0-9]+")


def say(message: str) -> None:
    """A message on stderr, every control or bidi character shown as a visible escape.

    Every message of the command line goes through here (see :class:`Invalid` and
    :meth:`JourneysGroup.main`), so user text can never drive the terminal.
    """
    if sys.stderr is not None:
        click.echo(_terminal(message), err=True)


def out(text: str, *, nl: bool = True) -> None:
    """Text on stdout, shown as :func:`say` shows it; a closed stdout is an error."""
    _stdout()
    click.echo(_terminal(text), nl=nl)


class Invalid(click.ClickException):
    """Bad input: printed on stderr, exit code 2."""

    exit_code = EXIT_INVALID

    def show(self, file=None) -> None:
        """Print the message through :func:`say`."""
        say(f"Error: {self.format_message()}")


STDOUT_CLOSED = ("standard output is closed: nothing could be written (run the command "
                 "without >&-, or write to a file with -o)")


class _ClosedStdout(io.RawIOBase):
    """What ``sys.stdout`` writes to when the caller closed it: every write fails (EBADF).

    So ``click.echo`` in any command fails loudly (one message, exit 2) instead of
    printing nothing and exiting 0.
    """

    def writable(self) -> bool:
        """A stream that takes writes, to refuse them."""
        return True

    refused = False

    def write(self, data) -> int:
        """Refuse the data, once: the command stops there, and the buffer left behind is
        then dropped quietly when Python closes the stream at exit."""
        if self.refused:
            return len(data)
        self.refused = True
        raise OSError(errno.EBADF, STDOUT_CLOSED)


def _stdout():
    """The standard output stream, or Invalid when it is closed."""
    if sys.stdout is None or isinstance(getattr(getattr(sys.stdout, "buffer", None), "raw",
                                                None), _ClosedStdout):
        raise Invalid(STDOUT_CLOSED)
    return sys.stdout


def journey_id(ref: str, *, what: str = "journey id") -> int:
    """An id given on the command line: ASCII digits only, within the database's range.

    ``int()`` would read ``١`` (Arabic-Indic one) as 1 and fail on ``²``; an id is
    written with the digits 0–9 or it is no id at all. Revision and version numbers
    follow the same rule (``what`` names the number in messages).
    """
    if not _ASCII_DIGITS.fullmatch(ref):
        noun = "an id" if what.endswith(" id") else f"a {what}"
        raise Invalid(f"{what} {ref!r}: {noun} is a whole number written with the "
                      "digits 0–9")
    if len(ref) > 19 or int(ref) > MAX_ID:
        shown = ref if len(ref) <= 40 else ref[:40] + "…"
        too_large = ("no journey has an id this large" if what == "journey id" else
                     f"no {what} is this large")
        raise Invalid(f"{what} {shown}: {too_large} (the largest is {MAX_ID:,})")
    return int(ref)


class StoredNumber(click.ParamType):
    """A click parameter type for ids, revisions and versions (see :func:`journey_id`)."""

    def __init__(self, what: str, name: str):
        self.what, self.name = what, name

    def convert(self, value, param, ctx):
        """The number as an int; else :class:`Invalid`, one line naming the number."""
        if isinstance(value, int):
            return value
        return journey_id(str(value), what=self.what)


JOURNEY_ID = StoredNumber("journey id", "ID")
REVISION = StoredNumber("revision", "N")
VERSION = StoredNumber("version", "N")


def _file_size(f) -> int | None:
    """The size of an open regular file (stdin redirected from one too); None for a pipe."""
    try:
        st = os.fstat(f.fileno())
    except (OSError, ValueError):
        return None
    return st.st_size if stat.S_ISREG(st.st_mode) else None


def _read_input(path: str) -> bytes:
    """The bytes of a file (``-``: stdin), reading at most one byte past the size limit.

    A file over the limit is refused here, with its real size when the file system knows
    it, else as "more than 5,000,000 bytes" (a pipe).
    """
    from journeys.domain.schemas import MAX_BYTES

    name = "standard input" if path == "-" else path
    try:
        if path == "-":
            if sys.stdin is None:
                raise Invalid("-: standard input is closed: there is no document to read "
                              "(give a file name, or pipe the document in)")
            raw = sys.stdin.buffer.read(MAX_BYTES + 1)
            size = _file_size(sys.stdin.buffer) if len(raw) > MAX_BYTES else None
        else:
            with open(path, "rb") as f:
                raw = f.read(MAX_BYTES + 1)
                size = _file_size(f) if len(raw) > MAX_BYTES else None
    except OSError as exc:
        raise Invalid(f"{path}: cannot read the file ({exc.strerror})") from exc
    if len(raw) > MAX_BYTES:
        real = f"{size:,} bytes" if size and size > MAX_BYTES else f"more than {MAX_BYTES:,} bytes"
        raise Invalid(f"{name} is not a valid journey document:\nthe document is {real}; at "
                      f"most {MAX_BYTES:,} bytes are allowed")
    return raw


def _read_document(path: str, *, source_format: str = "json"):
    """Load and validate a journey document (or Mermaid diagram) from a file (``-``: stdin).

    A JSON read that fails on what looks like a Mermaid diagram suggests ``--from mermaid``.
    """
    from journeys.domain.schemas import DocumentError, load_data, load_document

    raw = _read_input(path)
    try:
        if source_format == "mermaid":
            from journeys.formats.mermaid import MermaidError, read_mermaid

            try:
                read = read_mermaid(raw.decode("utf-8-sig"))
            except (MermaidError, UnicodeDecodeError) as exc:
                raise Invalid(f"{path}: {exc}") from exc
            journey = load_data(read.document)
            for warning in read.warnings:
                say(f"warning: {path}: {warning}")
            return journey
        return load_document(raw)
    except DocumentError as err:
        hint = ""
        if source_format == "json" and raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"journey"):
            hint = "\n(this looks like a Mermaid journey diagram: read it with --from mermaid)"
        raise Invalid(f"{path} is not a valid journey document:\n{err}{hint}") from err


def _load_stored(journey_id: int, revision: int | None = None):
    """Load a stored journey by id (as it was at ``revision``), or exit 2 with a clear message."""
    from journeys.store import services as store
    from journeys.store.db import open_session

    with open_session() as session, _store_errors():
        return store.load_journey(session=session, actor=store.SYSTEM, journey_id=journey_id,
                                  revision=revision)


@contextmanager
def _store_errors():
    """A refused store operation becomes one line on stderr and exit 2."""
    from journeys.store.errors import StoreError

    try:
        yield
    except StoreError as exc:
        raise Invalid(str(exc)) from exc


def _document_or_stored(ref: str, source_format: str = "json"):
    """A journey from a file path, or from the store when ``ref`` is a journey id.

    Digits that name no file are an id; digits of other scripts (``١``, ``²``) are
    refused as ids rather than read as numbers.
    """
    if ref.isdecimal() or ref.isdigit():
        if not os.path.exists(ref):  # False, not an error, for a name too long for a file
            return _load_stored(journey_id(ref))
    return _read_document(ref, source_format=source_format)


def _write_output(data: bytes, output: str | None, default_path: Path) -> None:
    """Write bytes to ``output`` (``-``: stdout) or the default export path, whole or not at
    all."""
    from journeys.formats.files import write_atomic

    if output == "-":
        stream = _stdout()
        stream.buffer.write(data)
        stream.buffer.flush()
        return
    target = Path(output) if output else default_path
    try:
        if not output:
            target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, data)
    except OSError as exc:
        raise Invalid(f"-o {target}: cannot write the file ({exc.strerror})") from exc
    say(f"wrote {target}")


def _choose_format(fmt: str | None, output: str | None, *, default: str,
                   allowed: tuple[str, ...]) -> str:
    """The export format: as given, else the one ``-o``'s extension names, else ``default``.

    A given format that contradicts the extension is refused rather than writing, say,
    SVG into ``report.png``.
    """
    from journeys.formats.registry import format_of_path

    implied = None
    if output and output != "-":
        implied = format_of_path(output)
    if implied is not None and implied not in allowed:
        raise Invalid(f"-o {output}: this command cannot write {implied}; "
                      f"it writes {', '.join(allowed)}")
    if fmt is None:
        return implied or default
    if implied is not None and implied != fmt:
        raise Invalid(f"-o {output}: the extension says {implied} but --format is {fmt}; "
                      "change one of them")
    return fmt


def _write_export(journey, fmt: str, output: str | None, *, direction: str, backstage: bool,
                  timeout: float | None) -> None:
    """Export the journey in ``fmt`` to ``output`` or ``exports/<slug>.<ext>``."""
    from journeys.formats.registry import FORMATS, ExportError, export, export_name

    if FORMATS[fmt].needs_dot:
        # A bad JOURNEYS_RENDER_TIMEOUT is bad input (exit 2), found before any work.
        from journeys.formats.graphviz import RenderError, render_timeout

        try:
            render_timeout(timeout)
        except RenderError as exc:
            raise Invalid(str(exc)) from exc
    try:
        data = export(journey, fmt, direction=direction, show_backstage=backstage,
                      timeout=timeout)
    except ExportError as exc:
        raise click.ClickException(str(exc)) from exc
    _write_output(data, output, Path("exports") / export_name(journey, fmt))


def _today(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        # fromisoformat alone would also take 20261124 or 2026-W48-2.
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError as exc:
        raise Invalid(f"--today: {value!r} is not a date (expected YYYY-MM-DD)") from exc


_diagram_options = [
    click.option("--direction", type=click.Choice(DIRECTIONS), default="LR", show_default=True,
                 help="Stages left to right (LR) or top to bottom (TB)."),
    click.option("--backstage/--no-backstage", default=True, show_default=True,
                 help="Show or hide backstage steps in diagrams."),
    click.option("--timeout", type=click.FloatRange(min=0.1), default=None,
                 help="Seconds dot may take (default 10, or JOURNEYS_RENDER_TIMEOUT)."),
]


source_option = click.option(
    "--from", "source_format", type=click.Choice(["json", "mermaid"]), default="json",
    show_default=True, help="Read a journey document or a Mermaid journey diagram.")


def diagram_options(f):
    """Attach the diagram options shared by ``render`` and ``export``."""
    for option in reversed(_diagram_options):
        f = option(f)
    return f


def _guard_standard_streams() -> None:
    """Put /dev/null on any of fds 0–2 that the caller closed (``>&-``).

    Otherwise the next file opened (the database, an export's temporary file) would take
    that number, and anything written to "stdout" would land in it. Python has already
    set the closed stream's ``sys`` object to None; a closed stdout becomes a stream that
    refuses every write, and :func:`_read_input` refuses a closed stdin, each with a
    clear message.
    """
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
    if sys.stdout is None:
        sys.stdout = io.TextIOWrapper(io.BufferedWriter(_ClosedStdout()), encoding="utf-8")


def _usage_text(exc: click.UsageError) -> str:
    """What click prints for a usage error: usage, help hint, then the error."""
    lines = []
    ctx = exc.ctx
    if ctx is not None:
        lines.append(ctx.get_usage())
        if ctx.command.get_help_option(ctx) is not None:
            lines.append(f"Try '{ctx.command_path} {ctx.help_option_names[0]}' for help.")
        lines.append("")
    lines.append(f"Error: {exc.format_message()}")
    return "\n".join(lines)


def _silence_stdout() -> None:
    """After stdout failed, send it to /dev/null so exit's final flush stays quiet."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.close(null)
    except OSError:
        pass
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # kept open until the process exits


class JourneysGroup(click.Group):
    """The command group, whose entry point turns every failure into one message.

    Usage errors, bad input, a closed or broken stdout: one message on stderr through
    :func:`say`, and exit code 2 (1 for an export that failed, as click does), never a
    traceback or Python's "Exception ignored" at exit.
    """

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True,
             **extra):
        """Run the command line; with ``standalone_mode`` (the default) exit the process."""
        _guard_standard_streams()
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
            if sys.stdout is not None:
                sys.stdout.flush()
        except click.UsageError as exc:
            say(_usage_text(exc))
            code = exc.exit_code
        except click.ClickException as exc:
            say(f"Error: {exc.format_message()}")
            code = exc.exit_code
        except click.Abort:
            say("Aborted!")
            code = 1
        except OSError as exc:
            if exc.errno not in (errno.EPIPE, errno.EBADF):
                raise
            # stdout was closed (``>&-``), or the reader went away (``| head``).
            _silence_stdout()
            say("Error: " + (STDOUT_CLOSED if exc.errno == errno.EBADF else
                             "standard output was closed before everything was written"))
            code = EXIT_INVALID
        sys.exit(code if isinstance(code, int) else 0)


@click.group(cls=JourneysGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="citizen-journeys")
def main():
    """Map, check and redesign citizen journeys (ISO 11367:2025).

    Commands that take an ID use the database named by DATABASE_URL (default: an
    SQLite file in the instance folder), creating it on first use.
    """


@main.command("import")
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
    from journeys.store.db import open_session

    with open_session() as session, _store_errors():
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


@main.command("export")
@click.argument("journey_id", type=JOURNEY_ID)
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default=None,
              help="Output format (default: from the -o file's extension, else json).")
@click.option("-o", "--output", default=None,
              help="File to write, or - for stdout (default: exports/<slug>.<ext>).")
@click.option("--revision", type=REVISION, default=None, metavar="N",
              help="Export the journey as it was at revision N (see 'journeys history').")
@diagram_options
def export_(journey_id, fmt, output, revision, direction, backstage, timeout):
    """Write a stored journey as a document, a diagram or a text format."""
    journey = _load_stored(journey_id, revision)
    fmt = _choose_format(fmt, output, default="json", allowed=EXPORT_FORMATS)
    _write_export(journey, fmt, output, direction=direction, backstage=backstage,
                  timeout=timeout)


@main.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.option("--deleted", is_flag=True,
              help="List the deleted journeys (they can be undeleted for 30 days).")
def list_(as_json, deleted):
    """List the stored journeys."""
    import json

    from journeys.store import services as store
    from journeys.store.db import open_session

    with open_session() as session:
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


@main.command("check")
@click.argument("refs", metavar="FILE|ID...", nargs=-1, required=True)
@source_option
def check(refs, source_format):
    """Validate journeys and summarise levels, check coverage and failed checks.

    Exit 0: all valid, no failed check; 1: valid, with failed checks; 2: a journey is
    invalid (the others are still checked).
    """
    from journeys.domain.summary import summarise

    worst = 0
    for ref in refs:
        if len(refs) > 1:
            out(f"== {ref}")
        try:
            journey = _document_or_stored(ref, source_format)
        except Invalid as exc:
            exc.show()
            worst = EXIT_INVALID
            continue
        text, failed = summarise(journey)
        out(text, nl=False)
        worst = max(worst, 1 if failed else 0)
    sys.exit(worst)


@main.command("render")
@click.argument("file")
@click.option("--format", "fmt", type=click.Choice(RENDER_FORMATS), default=None,
              help="Output format (default: from the -o file's extension, else svg).")
@click.option("-o", "--output", default=None,
              help="File to write, or - for stdout (default: exports/<slug>.<ext>).")
@diagram_options
@source_option
def render(file, fmt, output, direction, backstage, timeout, source_format):
    """Render a journey document file, without any database."""
    journey = _read_document(file, source_format=source_format)
    fmt = _choose_format(fmt, output, default="svg", allowed=RENDER_FORMATS)
    _write_export(journey, fmt, output, direction=direction, backstage=backstage,
                  timeout=timeout)


@main.command("propose")
@click.argument("ref", metavar="FILE|ID")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "md"]), default="text",
              show_default=True)
@click.option("--today", default=None, metavar="YYYY-MM-DD",
              help="Evaluation date (default: today), for reproducible output.")
@click.option("--review-months", type=click.IntRange(min=1), default=12, show_default=True,
              help="Review period for renewal (DR08).")
@source_option
def propose(ref, fmt, today, review_months, source_format):
    """Propose design work for a journey (ISO 11367 clause 7.3.2)."""
    from designer import propose as run
    from designer.report import render_report

    journey = _document_or_stored(ref, source_format)
    evaluated_on = _today(today)
    proposals = run(journey, today=evaluated_on, review_months=review_months)
    report = render_report(journey, proposals, evaluated_on, fmt)
    if fmt == "text":
        out(report, nl=False)
    else:
        _stdout()
        click.echo(report, nl=False)


@main.command("demo")
def demo():
    """Load the demo journeys that ship with the package."""
    from journeys.store import services as store
    from journeys.store.db import open_session

    with open_session() as session, _store_errors():
        loaded = store.load_demo(session=session, actor=store.SYSTEM)
    for journey_id, title, new in loaded:
        out(tsv_line(journey_id, title))
        if not new:
            say(f"journey {journey_id} ({title}) was already loaded; kept")


def _cell(text: str) -> str:
    """User text as one cell of a tab-separated line: on one line, no tabs, visible."""
    return _terminal(" ".join(str(text).split()))


@main.command("history")
@click.argument("journey_id", type=JOURNEY_ID)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
def history(journey_id, as_json):
    """List a journey's revisions, newest first: number, time, who, what changed."""
    import json

    from journeys.store import services as store
    from journeys.store.db import open_session

    with open_session() as session, _store_errors():
        revisions = store.history(session=session, actor=store.SYSTEM, journey_id=journey_id)
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in revisions], ensure_ascii=False, indent=2))
        return
    for r in revisions:
        when = r.created_at.strftime("%Y-%m-%d %H:%M:%S UTC")
        click.echo(f"{r.number}\t{when}\t{_cell(r.actor_name)}\t{_cell(r.summary)}")


@main.command("restore")
@click.argument("journey_id", type=JOURNEY_ID)
@click.option("--revision", type=REVISION, required=True, metavar="N",
              help="The revision to restore (see 'journeys history').")
@click.option("--expect-version", type=VERSION, default=None, metavar="N",
              help="Refuse unless the journey is still at version N.")
def restore(journey_id, revision, expect_version):
    """Make an earlier revision the journey's content again (a new revision); print the
    new version."""
    from journeys.store import services as store
    from journeys.store.db import open_session

    with open_session() as session, _store_errors():
        if expect_version is None:
            expect_version = store.get_journey_row(
                session=session, actor=store.SYSTEM, journey_id=journey_id).version
        click.echo(store.restore_revision(session=session, actor=store.SYSTEM,
                                          journey_id=journey_id, revision=revision,
                                          expected_version=expect_version))


@main.command("delete")
@click.argument("journey_id", type=JOURNEY_ID)
def delete(journey_id):
    """Delete a stored journey; 'journeys undelete' brings it back within 30 days."""
    from journeys.store import services as store
    from journeys.store.db import open_session

    with open_session() as session, _store_errors():
        store.delete_journey(session=session, actor=store.SYSTEM, journey_id=journey_id)
    click.echo(f"deleted journey {journey_id}; 'journeys undelete {journey_id}' brings it back "
               "within 30 days", err=True)


@main.command("undelete")
@click.argument("journey_id", type=JOURNEY_ID)
def undelete(journey_id):
    """Bring back a journey deleted in the last 30 days."""
    from journeys.store import services as store
    from journeys.store.db import open_session

    with open_session() as session, _store_errors():
        store.undelete_journey(session=session, actor=store.SYSTEM, journey_id=journey_id)
    click.echo(f"journey {journey_id} is back", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
