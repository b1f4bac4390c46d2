"""`playbook templates`: eject the built-in templates for editing, and check a folder.

Thin click commands over `playbook.template_tools`; only click is imported at load time.
"""

from __future__ import annotations

import sys

import click


@click.group()
def templates():
    """Copy the built-in templates out for editing, and check them.

    A folder of templates overrides the built-in ones file by file: keep only the
    files you change. See docs/templates.md.

    \b
    Examples:
      playbook templates eject my-brand
      playbook templates check my-brand
      playbook render profile.yaml --brand my-brand/brand.yaml
    """


@templates.command()
@click.argument("folder", type=click.Path())
@click.option("--force", is_flag=True, help="Overwrite files that already exist in FOLDER.")
def eject(folder, force):
    """Copy the built-in templates, knowledge files and reference .docx into FOLDER,
    with a sample brand.yaml pointing at them.

    Nothing is overwritten without --force: every existing file is listed instead.

    \b
    Example:
      playbook templates eject my-brand
    """
    from pathlib import Path

    from .cli import call
    from .template_tools import eject as eject_templates

    result = call(eject_templates, Path(folder), force)
    for path in result.written:
        click.echo(f"wrote {path}")
    click.echo(f"\nEdit the files (delete those you do not change), then:\n"
               f"  playbook templates check {result.folder}\n"
               f"  playbook render profile.yaml --brand {result.brand}")


@templates.command()
@click.argument("folder", required=False, type=click.Path())
@click.option("--profile", "profiles", multiple=True, type=click.Path(), metavar="FILE",
              help="Profile to render (repeat for several); default: sample profiles "
                   "covering each staffing model, and the repository's profiles/.")
def check(folder, profiles):
    """Render every template in both languages with FOLDER in front of the built-in
    ones, against sample profiles; report each error with its template and line.

    Also checks FOLDER's knowledge files and brand.yaml, and warns about files that
    override nothing (a misspelt name is otherwise silently ignored). Without FOLDER,
    checks the built-in templates. Exit 0 if all is well, 1 otherwise.

    \b
    Examples:
      playbook templates check my-brand
      playbook templates check my-brand --profile client.yaml --profile other.toml
    """
    from pathlib import Path

    from .cli import call, error, warn
    from .template_tools import check_templates

    report = call(check_templates, Path(folder) if folder else None,
                  [Path(p) for p in profiles])
    for message in report.errors:
        error(message)
    for message in report.warnings:
        warn(message)
    for message in report.notes:
        click.echo(f"note: {message}")
    where = f"{report.folder}, then the built-in templates" if report.folder else \
        "the built-in templates"
    count = len(report.profiles)
    summary = (f"checked {report.renders} renders ({count} profile{'s' if count != 1 else ''} "
               f"in both languages) with {where}: ")
    if report.ok:
        click.echo(summary + "all good")
    else:
        click.echo(summary + f"{len(report.errors)} error(s), {len(report.warnings)} warning(s)")
    sys.exit(0 if report.ok else 1)
