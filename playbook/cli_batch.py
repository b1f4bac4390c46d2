"""`playbook batch`: render a whole portfolio; the work is `playbook.batch.run_batch`.

This module shows what the engine reports: progress on stderr (one updating line on
a terminal, a plain line every 10% otherwise), each failure as it happens, and a
summary at the end. It imports only click at load time, to keep `--help` fast.
"""

from __future__ import annotations

import sys
import time

import click

from .cli import FormatList, error, shared_options, warn

EPILOG = """\b
Examples:
  playbook batch profiles/ -o output/
  playbook batch 'clients/**/*.yaml' portfolio.xlsx -f md,docx --report report.json
  playbook batch clients/ --shard 2/4 --date 2026-11-22    # machine 2 of 4
"""


class ShardType(click.ParamType):
    """`--shard K/N`: the K-th of N slices, 1-based."""

    name = "K/N"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        index, _, count = str(value).partition("/")
        try:
            shard = int(index), int(count)
        except ValueError:
            shard = (0, 0)
        if not 1 <= shard[0] <= shard[1]:
            self.fail(f"expected K/N with 1 <= K <= N, e.g. 2/4; got '{value}'", param, ctx)
        return shard


def _duration(seconds: float) -> str:
    seconds = max(1, round(seconds))
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"


class Progress:
    """Shows the batch's events on stderr."""

    def __init__(self, quiet: bool, terminal: bool):
        self.quiet = quiet
        self.terminal = terminal
        self.total = 0
        self.finished = 0
        self.rendering = 0  # profiles rendered or failed, for the rate
        self.first_at = 0.0  # when the first came: the rate leaves out the start-up
        self.drawn_at = 0.0
        self.shown_step = 0
        self.line_shown = False

    # the engine's events
    def planned(self, total: int) -> None:
        self.total = total

    def warning(self, message: str) -> None:
        if not self.quiet:
            self._clear()
            warn(message)

    def done(self, entry) -> None:
        if entry.status == "cancelled":
            return
        self.finished += 1
        if entry.error:
            self._clear()
            error(entry.error)
        for message in entry.warnings:
            self.warning(message)
        if entry.status in ("rendered", "failed"):  # skipped ones go by at the start
            self.rendering += 1
            if self.rendering == 1:
                self.first_at = time.monotonic()
            if not self.quiet:
                self._show()

    # drawing
    def _clear(self) -> None:
        if self.line_shown:
            click.echo("\r\x1b[K", nl=False, err=True)
            self.line_shown = False

    def _show(self) -> None:
        now = time.monotonic()
        if self.terminal:
            if now - self.drawn_at < 0.1 and self.finished < self.total:
                return  # at most ten redraws a second
            self.drawn_at = now
            click.echo(f"\r\x1b[K{self._status(now)}", nl=False, err=True)
            self.line_shown = True
        else:
            step = self.finished * 10 // self.total if self.total else 10
            if step > self.shown_step:
                self.shown_step = step
                click.echo(f"playbook: {self._status(now)}", err=True)

    def _status(self, now: float) -> str:
        text = f"{self.finished}/{self.total} profiles"
        elapsed = now - self.first_at
        if elapsed > 0.5:  # enough to measure
            rate = (self.rendering - 1) / elapsed
            text += f", {rate:.0f}/s"
            if self.finished < self.total:
                text += f", {_duration((self.total - self.finished) / rate)} left"
        return text

    def finish(self) -> None:
        self._clear()


def _summary(result, output) -> list[str]:
    from .batch import CANCELLED, FAILED, RENDERED, SKIPPED

    parts = [f"{result.count(RENDERED)} rendered",
             f"{result.count(SKIPPED)} skipped (outputs exist)",
             f"{result.count(FAILED)} failed"]
    if result.count(CANCELLED):
        parts.append(f"{result.count(CANCELLED)} not rendered")
    lines = [", ".join(parts) + f" in {result.seconds:.1f} s; outputs in {output}"]
    if result.stale_count:
        more = result.stale_count - 10
        shown = ", ".join(result.stale[:10]) + (f" and {more} more" if more > 0 else "")
        lines.append(f"{result.stale_count} skipped output(s) older than their profile: {shown}; "
                     "use --force to render them again")
    for message in result.failures[:20]:
        lines.append(f"failed: {message.splitlines()[0]}")
    if result.count(FAILED) > 20:
        lines.append(f"failed: ... and {result.count(FAILED) - 20} more (see the errors above)")
    if result.stopped_early:
        lines.append("stopped at the first failure (--fail-fast)")
    return lines


@click.command(short_help="Render a whole portfolio (folders, globs, sheets) in parallel.",
               epilog=EPILOG)
@click.argument("sources", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(), default="output", show_default=True,
              help="Folder for the playbooks.")
@click.option("-f", "--formats", type=FormatList(), default="md,docx", show_default=True,
              help="Comma-separated: md, docx, html, pdf (pdf needs LibreOffice).")
@click.option("-j", "--jobs", type=click.IntRange(min=1),
              help="Worker processes (default: every CPU available); 1 renders in-process.")
@click.option("--shard", type=ShardType(),
              help="Render only the K-th of N stable slices (CI matrix, Slurm array...).")
@click.option("--force", is_flag=True, help="Overwrite existing playbooks.")
@click.option("--report", type=click.Path(dir_okay=False),
              help="Write a JSON report with one entry per profile.")
@click.option("--fail-fast", is_flag=True, help="Stop at the first failure.")
@click.option("-q", "--quiet", is_flag=True, help="No progress and no summary; errors still shown.")
@shared_options
def batch(sources, output, formats, jobs, shard, force, report, fail_fast, quiet, **kwargs):
    """Render a playbook for every profile in SOURCES, in parallel.

    A SOURCE is a folder (its profiles, recursively; brand.yaml files excluded), a
    glob ('clients/**/*.yaml', quoted or not), a profile file, or a CSV/XLSX sheet
    with one client per row (see docs/batch.md). Outputs are OUTPUT/<name>.md and
    .docx, named after the file, or the company for a sheet row. An existing output
    is never overwritten without --force: such profiles are skipped, so running the
    same command again continues an interrupted batch.

    Exit code 0 if every profile rendered or was skipped, 1 if any failed, 2 for
    wrong usage, 130/143 when interrupted.
    """
    from pathlib import Path

    from .batch import BatchOptions, run_batch
    from .cli import call, render_options

    options = BatchOptions(render_options(output=output, formats=formats, force=force, **kwargs),
                           jobs=jobs, shard=shard, fail_fast=fail_fast,
                           report=Path(report) if report else None, keep_entries=False)
    progress = Progress(quiet, sys.stderr.isatty())
    try:
        result = call(run_batch, list(sources), options, progress)
    finally:
        progress.finish()
    if result.worker_lost:
        error(f"a worker process stopped unexpectedly (killed, or out of memory?); "
              f"{result.count('cancelled')} profile(s) not rendered; run the same command "
              "again to continue")
    if result.interrupted:
        click.echo(f"playbook: interrupted: {result.count('rendered')} rendered; run the same "
                   "command again to continue", err=True)
    elif not quiet:
        for line in _summary(result, output):
            click.echo(f"playbook: {line}", err=True)
    if result.report_error:
        error(result.report_error)
    sys.exit(result.exit_code)
