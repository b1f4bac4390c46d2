"""`playbook render`, `explain`, `validate` and `schema`: thin click commands over
`playbook.commands`; like the other command modules, only click is imported at load time.
"""

from __future__ import annotations

import sys

import click

from .cli import (
    EPILOG_RENDER,
    FormatList,
    _paths,
    call,
    error,
    error_for,
    render_options,
    shared_options,
    warn,
)


@click.command()
@click.argument("profiles", nargs=-1, required=True,
                type=click.Path())
@click.option("-o", "--output", type=click.Path(),
              default="output", show_default=True, help="Folder for the playbooks.")
@click.option("-f", "--formats", type=FormatList(), default="md,docx", show_default=True,
              help="Comma-separated: md, docx, html, pdf (pdf needs LibreOffice).")
@click.option("--force", is_flag=True, help="Overwrite existing playbooks.")
@shared_options
def render(profiles, output, formats, force, **kwargs):
    """Render a playbook from each PROFILE (YAML, TOML, JSON, or a filled questionnaire).

    Writes OUTPUT/<company-slug>.md and .docx; an existing file is never overwritten
    without --force, since a consultant may have edited it.
    """
    # with the commands, the modules the work will need, imported while start-up pauses
    # the collector (playbook.entry): it has fewer objects to scan, a thirtieth of a
    # one-profile render
    from . import render as _templates  # noqa: F401
    from .commands import render_profiles
    if {"docx", "pdf"} & set(formats):
        from . import docx_writer as _word  # noqa: F401

    options = render_options(output=output, formats=formats, force=force, **kwargs)
    results = call(render_profiles, _paths(profiles), options, warn)
    failed = 0
    for result in results:
        if result.error:
            failed += 1
            error_for(result.source, result.error)
        else:
            for path in result.outputs:
                click.echo(f"wrote {path}")
    sys.exit(1 if failed else 0)


render.epilog = EPILOG_RENDER


@click.command(short_help="Show the decisions for PROFILE and their reasons.")
@click.argument("profile", type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the decisions as JSON.")
@shared_options
def explain(profile, as_json, **kwargs):
    """Show the decisions for PROFILE and their reasons, without rendering.

    \b
    Examples:
      playbook explain profiles/boulangerie-muller.yaml
      playbook explain profiles/boulangerie-muller.yaml --json > decisions.json
    """
    from .commands import explain_json, explain_profile, explain_text

    report = call(explain_profile, _paths([profile])[0], render_options(**kwargs))
    click.echo(explain_json(report) if as_json else explain_text(report))


@click.command(short_help="Check profiles without rendering.")
@click.argument("profiles", nargs=-1, required=True,
                type=click.Path())
@shared_options
def validate(profiles, **kwargs):
    """Check PROFILES without rendering: exit 0 if all are valid, 1 otherwise.

    Every problem is listed with its file, line, field, what was expected and a
    suggestion for near misses.

    \b
    Example:
      playbook validate profiles/*.yaml
    """
    from .commands import validate_profiles

    results = call(validate_profiles, _paths(profiles), render_options(**kwargs), warn)
    bad = [r for r in results if r.error]
    for result in results:
        if result.error:
            error(str(result.error))
        else:
            click.echo(f"{result.source}: valid")
    sys.exit(1 if bad else 0)


@click.command()
@click.argument("kind", type=click.Choice(["profile", "brand"]), default="profile")
def schema(kind):
    """Print the JSON Schema of a profile or brand file, for editors.

    \b
    Example:
      playbook schema profile > profile.schema.json
    """
    import json

    if kind == "brand":
        from .brand import brand_json_schema

        click.echo(json.dumps(brand_json_schema(), indent=2, ensure_ascii=False))
        return
    from .knowledge import load_knowledge
    from .paths import search_path
    from .profile import profile_json_schema

    catalogue = call(load_knowledge, search_path())
    click.echo(json.dumps(profile_json_schema(catalogue), indent=2, ensure_ascii=False))
