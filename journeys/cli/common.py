"""What every command shares: messages, ids, reading documents, writing outputs, the
store session, the diagram options and the group that turns failures into one message.
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
from journeys.formats.registry import DIRECTIONS, VIEWS

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

    Its commands are named in ``lazy_commands`` (name → ``module:attribute``) and their
    module is imported only when the command runs or the help lists it, so a command
    loads its own module and not the definitions (and imports) of every other one.
    """

    def __init__(self, *args, lazy_commands: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command's name, the lazily loaded ones included, in alphabetical order."""
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command, its module imported the first time it is asked for."""
        if cmd_name not in self.commands and cmd_name in self.lazy_commands:
            import importlib

            module, _, attribute = self.lazy_commands[cmd_name].partition(":")
            command = getattr(importlib.import_module(module), attribute)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

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
