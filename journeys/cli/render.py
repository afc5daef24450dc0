"""The ``render`` command: a document file to a diagram or a text format, without any
database. Kept alone in its module so that rendering loads only what it needs.
"""

from pathlib import Path

import click

from journeys.cli.common import (
    _choose_format,
    _read_document,
    _read_input,
    _write_export,
    _write_output,
    diagram_options,
    source_option,
)
from journeys.formats.registry import RENDER_FORMATS


@click.command("render")
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
