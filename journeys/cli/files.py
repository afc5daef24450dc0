"""Commands that read a document file or a stored journey: check and propose."""

import sys
from pathlib import Path

import click

from journeys.cli.common import (
    EXIT_INVALID,
    Invalid,
    _choose_format,
    _document_or_stored,
    _stdout,
    _today,
    _write_output,
    out,
    source_option,
)


@click.command("check")
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


PROPOSE_FORMATS = ("text", "json", "md", "pdf")


@click.command("propose")
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
