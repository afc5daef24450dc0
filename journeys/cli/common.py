"""The ``journeys`` command line: journeys (import, export, list, check, render, propose,
demo, history, restore), workshops, accounts (user, team, token) and the web app
(serve).

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
from journeys.formats.registry import DIRECTIONS, EXPORT_FORMATS, RENDER_FORMATS, VIEWS

EXIT_INVALID = 2
# Ids, revisions and versions are INTEGER columns, 32-bit on PostgreSQL: a larger number
# can name nothing on any database (the same limit as journeys.store.services.MAX_ID).
MAX_ID = 2**31 - 1
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
    from journeys.domain.document import MAX_BYTES

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


def _read_document(path: str, *, source_format: str = "json", raw: bytes | None = None):
    """Load and validate a journey document (or Mermaid diagram) from a file (``-``: stdin),
    or from its ``raw`` bytes when they were read already.

    A JSON read that fails on what looks like a Mermaid diagram suggests ``--from mermaid``.
    """
    from journeys.domain.schemas import DocumentError, load_data, load_document

    if raw is None:
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


@contextmanager
def _store():
    """A session on the configured database; a database failure exits 2 with one line."""
    from journeys.store.db import DatabaseError, open_session

    try:
        with open_session() as session:
            yield session
    except DatabaseError as exc:
        raise Invalid(str(exc)) from exc


def _load_stored(journey_id: int, revision: int | None = None):
    """Load a stored journey by id (as it was at ``revision``), or exit 2 with a clear message."""
    from journeys.store import services as store

    with _store() as session, _store_errors():
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
                  timeout: float | None, view: str = "auto", stage: str | None = None) -> None:
    """Export the journey in ``fmt`` to ``output`` or ``exports/<slug>.<ext>``."""
    from journeys.formats.registry import FORMATS, ExportError, export, export_name

    if FORMATS[fmt].needs_dot:
        # A bad JOURNEYS_RENDER_TIMEOUT is bad input (exit 2), found before any work.
        from journeys.formats.graphviz import RenderError, render_timeout

        try:
            render_timeout(timeout)
        except RenderError as exc:
            raise Invalid(str(exc)) from exc
    stage_id = None
    if stage is not None:
        from journeys.formats.overview import find_stage

        try:
            stage_id = find_stage(journey, stage)
        except ValueError as exc:
            raise Invalid(f"--stage: {exc}") from exc
    try:
        data = export(journey, fmt, direction=direction, show_backstage=backstage,
                      timeout=timeout, view=view, stage=stage_id)
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
    click.option("--direction", type=click.Choice(DIRECTIONS), default="auto",
                 show_default=True,
                 help="Stages left to right (LR), top to bottom (TB), or auto: TB for a "
                      "journey more than 14 steps long."),
    click.option("--view", type=click.Choice(VIEWS), default="auto", show_default=True,
                 help="Every step (full), one box per stage (overview), or auto: the "
                      "overview when the full diagram would be too large to lay out."),
    click.option("--stage", default=None, metavar="STAGE",
                 help="Draw one stage alone (its id, or its number from 1)."),
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


@main.command("export")
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


@main.command("list")
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
def render(file, fmt, output, direction, view, stage, backstage, timeout, source_format):
    """Render a journey document file, without any database.

    A journey too large to lay out readably is drawn as an overview, one box per stage
    (say --view full to insist); --stage draws one stage alone.
    """
    fmt = _choose_format(fmt, output, default="svg", allowed=RENDER_FORMATS)
    raw = _read_input(file)
    early = None
    if source_format == "json" and fmt in ("svg", "png", "pdf") and stage is None:
        early = _early_render(raw, fmt, direction=direction, view=view, backstage=backstage,
                              timeout=timeout)
    try:
        journey = _read_document(file, source_format=source_format, raw=raw)
    except BaseException:
        if early is not None:
            early.cancel()
        raise
    if early is not None and early.journey == journey:
        from journeys.formats.graphviz import RenderError
        from journeys.formats.registry import export_name

        try:
            data = early.result()
        except RenderError as exc:
            raise click.ClickException(str(exc)) from exc
        _write_output(data, output, Path("exports") / export_name(journey, fmt))
        return
    if early is not None:
        early.cancel()
    _write_export(journey, fmt, output, direction=direction, backstage=backstage,
                  timeout=timeout, view=view, stage=stage)


def _early_render(raw: bytes, fmt: str, *, direction: str, view: str, backstage: bool,
                  timeout: float | None):
    """Start laying out the unchecked document while it is validated (see
    :mod:`journeys.formats.early`); None when there is no head start to be had."""
    from journeys.formats.early import EarlyRender, unchecked_journey
    from journeys.formats.options import Options
    from journeys.formats.registry import dot_text

    guess = unchecked_journey(raw)
    if guess is None:
        return None
    options = Options(direction, backstage, timeout, view)
    try:
        return EarlyRender(guess, fmt, lambda j: dot_text(j, None, options), timeout=timeout)
    except Exception:  # noqa: BLE001 - the validated render below reports any problem
        return None


PROPOSE_FORMATS = ("text", "json", "md", "pdf")


@main.command("propose")
@click.argument("ref", metavar="FILE|ID")
@click.option("--format", "fmt", type=click.Choice(PROPOSE_FORMATS), default=None,
              help="text (one line per proposal), json (citizen-journey-proposals/1), md or "
                   "pdf (the design brief). Default: from the -o file's extension, else text.")
@click.option("-o", "--output", default=None,
              help="File to write, or - for stdout (default: stdout; a PDF brief goes to "
                   "exports/<slug>-brief.pdf).")
@click.option("--today", default=None, metavar="YYYY-MM-DD",
              help="Evaluation date (default: today), for reproducible output.")
@click.option("--review-months", type=click.IntRange(min=1), default=12, show_default=True,
              help="Review period for renewal (DR08).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=None,
              help="Seconds dot may take for the brief's diagram (pdf only).")
@source_option
def propose(ref, fmt, output, today, review_months, timeout, source_format):
    """Propose design work for a journey (ISO 11367 clause 7.3.2)."""
    from designer import propose as run
    from designer.report import render_report

    fmt = _choose_format(fmt, output, default="text", allowed=PROPOSE_FORMATS)
    journey = _document_or_stored(ref, source_format)
    evaluated_on = _today(today)
    proposals = run(journey, today=evaluated_on, review_months=review_months)
    if fmt == "pdf":
        from designer.brief import build_brief
        from journeys.domain.text import slugify
        from journeys.formats.brief import brief_pdf
        from journeys.formats.registry import ExportError

        try:
            data = brief_pdf(journey, build_brief(journey, proposals, evaluated_on),
                             timeout=timeout)
        except ExportError as exc:
            raise click.ClickException(str(exc)) from exc
        _write_output(data, output, Path("exports") / f"{slugify(journey.title)}-brief.pdf")
        return
    report = render_report(journey, proposals, evaluated_on, fmt)
    if output is not None and output != "-":
        _write_output(report.encode("utf-8"), output, Path(output))
        return
    if fmt == "text":
        out(report, nl=False)
    else:
        _stdout()
        click.echo(report, nl=False)


@main.command("demo")
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


# Accounts: users, teams and API tokens -------------------------------------------------


def _read_password() -> str:
    """The password: typed twice, hidden, on a terminal; else the first line of stdin."""
    from journeys.store.accounts import PASSWORD_MAX

    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True)
    line = sys.stdin.buffer.readline(4 * PASSWORD_MAX + 3)
    try:
        return line.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError as exc:
        raise Invalid("password: the line read from stdin is not UTF-8 text") from exc


def _team(session, ref: str):
    """A team by name, or by id when ``ref`` is a number that names no team."""
    from journeys.store import accounts
    from journeys.store.actors import SYSTEM
    from journeys.store.errors import NotFound

    try:
        return accounts.find_team(session=session, actor=SYSTEM, name=ref)
    except NotFound:
        if not ref.strip().isdigit():
            raise
        return accounts.get_team(session=session, actor=SYSTEM, team_id=int(ref))


def _when(moment) -> str:
    return "-" if moment is None else f"{moment:%Y-%m-%d %H:%M}"


@main.group("user")
def user_group():
    """Create and list the accounts that sign in to the web app and the API."""


@user_group.command("create")
@click.argument("email")
@click.option("--name", default=None, help="Name shown to others (default: the email's "
              "part before the @).")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from the first line of stdin (at least 10 characters).")
def user_create(email, name, password_stdin):
    """Create an account; print its id on stdout."""
    from journeys.store import accounts

    password = _read_password() if password_stdin else None
    with _store() as session, _store_errors():
        user = accounts.create_user(session=session, email=email, name=name, password=password)
    click.echo(user.id)
    if password is None:
        say(f"{user.email} has no password yet, so it cannot sign in: set one "
                             f"with 'journeys user set-password {user.email}'")


@user_group.command("set-password")
@click.argument("email")
def user_set_password(email):
    """Set an account's password, read from stdin; its open sessions end."""
    from journeys.store import accounts

    password = _read_password()
    with _store() as session, _store_errors():
        user = accounts.find_user(session=session, email=email)
        accounts.set_password(session=session, user_id=user.id, password=password)
    say(f"password of {user.email} changed")


@user_group.command("list")
def user_list():
    """List the accounts: id, email, name and teams."""
    from journeys.store import accounts
    from journeys.store.actors import actor_for_user

    with _store() as session:
        users = accounts.list_users(session=session)
        for user in users:
            actor = actor_for_user(session=session, user_id=user.id)
            teams = ", ".join(f"{team.name} ({role})" for team, role
                              in accounts.teams_of(session=session, actor=actor))
            out(tsv_line(user.id, user.email, user.name, teams or "-"))
    if not users:
        say("no accounts yet (try 'journeys user create EMAIL --password-stdin')")


@main.group("team")
def team_group():
    """Create teams and manage their members (TEAM is a team's name or id)."""


@team_group.command("create")
@click.argument("name")
@click.option("--owner", "owner_email", required=True, metavar="EMAIL",
              help="The account that owns the team.")
@click.option("--language", type=click.Choice(["en", "fr"]), default="en", show_default=True,
              help="Language of the team's pages.")
def team_create(name, owner_email, language):
    """Create a team with its owner; print its id on stdout."""
    from journeys.store import accounts
    from journeys.store.actors import SYSTEM

    with _store() as session, _store_errors():
        team = accounts.create_team(session=session, actor=SYSTEM, name=name,
                                    owner_email=owner_email, language=language)
    click.echo(team.id)


_role_option = click.option("--role", type=click.Choice(["owner", "editor", "viewer"]),
                            required=True, help="Owners manage members, editors write, "
                            "viewers read.")


@team_group.command("add-member")
@click.argument("team")
@click.argument("email")
@_role_option
def team_add_member(team, email, role):
    """Add an account to a team with a role."""
    from journeys.store import accounts
    from journeys.store.actors import SYSTEM

    with _store() as session, _store_errors():
        found = _team(session, team)
        accounts.add_member(session=session, actor=SYSTEM, team_id=found.id, email=email,
                            role=role)
    say(f"{email.strip().lower()} is now {role} in {found.name}")


@team_group.command("set-role")
@click.argument("team")
@click.argument("email")
@_role_option
def team_set_role(team, email, role):
    """Change a member's role (a team keeps at least one owner)."""
    from journeys.store import accounts
    from journeys.store.actors import SYSTEM

    with _store() as session, _store_errors():
        found = _team(session, team)
        user = accounts.find_user(session=session, email=email)
        accounts.set_role(session=session, actor=SYSTEM, team_id=found.id, user_id=user.id,
                          role=role)
    say(f"{user.email} is now {role} in {found.name}")


@team_group.command("remove-member")
@click.argument("team")
@click.argument("email")
def team_remove_member(team, email):
    """Take a member out of a team (never its last owner)."""
    from journeys.store import accounts
    from journeys.store.actors import SYSTEM

    with _store() as session, _store_errors():
        found = _team(session, team)
        user = accounts.find_user(session=session, email=email)
        accounts.remove_member(session=session, actor=SYSTEM, team_id=found.id,
                               user_id=user.id)
    say(f"{user.email} is no longer a member of {found.name}")


@team_group.command("list")
def team_list():
    """List the teams: id, name, language and members."""
    from journeys.store import accounts
    from journeys.store.actors import SYSTEM

    with _store() as session:
        teams = accounts.teams_of(session=session, actor=SYSTEM)
        for team, _role in teams:
            members = accounts.list_members(session=session, actor=SYSTEM, team_id=team.id)
            who = ", ".join(f"{m.email} ({m.role})" for m in members)
            out(tsv_line(team.id, team.name, team.language, who or "-"))
    if not teams:
        say("no teams yet (try 'journeys team create NAME --owner EMAIL')")


@main.group("token")
def token_group():
    """Personal API tokens: each acts as its user, with the user's roles."""


@token_group.command("create")
@click.option("--user", "email", required=True, metavar="EMAIL", help="The token's user.")
@click.option("--name", default=None, help="What the token is for, to recognise it later.")
@click.option("--expires", "days", type=click.IntRange(1, 3650), default=None, metavar="DAYS",
              help="Days until the token stops working (default: never).")
def token_create(email, name, days):
    """Create a token and print it, once, alone on stdout; only its hash is stored."""
    from journeys.store import accounts

    with _store() as session, _store_errors():
        user = accounts.find_user(session=session, email=email)
        token, plaintext = accounts.create_token(session=session, user_id=user.id, name=name,
                                                 expires_days=days)
    click.echo(plaintext)
    until = f"until {token.expires_at:%Y-%m-%d}" if token.expires_at else "with no expiry"
    say(f"token {token.id} for {user.email}, valid {until}: it is shown only "
                         f"now; send it as 'Authorization: Bearer <token>'")


@token_group.command("list")
@click.option("--user", "email", required=True, metavar="EMAIL", help="Whose tokens.")
def token_list(email):
    """List a user's tokens: id, name, state, created, expires, last used."""
    from journeys.store import accounts

    with _store() as session, _store_errors():
        user = accounts.find_user(session=session, email=email)
        tokens = accounts.list_tokens(session=session, user_id=user.id)
    for t in tokens:
        out(tsv_line(t.id, t.name or "-", accounts.token_state(t), _when(t.created_at),
                     _when(t.expires_at), _when(t.last_used_at)))
    if not tokens:
        say(f"{user.email} has no tokens (try 'journeys token create --user {user.email}')")


@token_group.command("revoke")
@click.argument("token_id", metavar="ID", type=int)
def token_revoke(token_id):
    """Revoke a token: requests sending it are refused from now on."""
    from journeys.store import accounts

    with _store() as session, _store_errors():
        token = accounts.revoke_token(session=session, token_id=token_id)
    say(f"token {token.id} revoked")


@main.command("history")
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
    with _store() as session, _store_errors():
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
    with _store() as session, _store_errors():
        store.delete_journey(session=session, actor=store.SYSTEM, journey_id=journey_id)
    say(f"deleted journey {journey_id}; 'journeys undelete {journey_id}' brings it back "
        "within 30 days")


@main.command("undelete")
@click.argument("journey_id", type=JOURNEY_ID)
def undelete(journey_id):
    """Bring back a journey deleted in the last 30 days."""
    from journeys.store import services as store
    with _store() as session, _store_errors():
        store.undelete_journey(session=session, actor=store.SYSTEM, journey_id=journey_id)
    say(f"journey {journey_id} is back")


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 for every interface).")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes serving requests side by side.")
def serve(host, port, workers):
    """Serve the web app with gunicorn and several worker processes."""
    from journeys.web.server import run

    run(host=host, port=port, workers=workers)


@main.group("workshop")
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


if __name__ == "__main__":  # pragma: no cover
    main()
