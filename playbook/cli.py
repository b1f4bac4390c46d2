"""The command line: thin click commands over `playbook.commands`.

Heavy libraries (Jinja2, python-docx, PyYAML) are imported inside the commands, so
`playbook --help` starts fast. Every user mistake ends as one clear line on stderr and
a non-zero exit code (1: some input failed, 2: wrong usage), never a traceback.
"""

from __future__ import annotations

import sys

import click

from . import __version__

FORMATS = ("md", "docx", "html", "pdf")
EPILOG_RENDER = """\b
Examples:
  playbook render profiles/boulangerie-muller.yaml
  playbook render profiles/*.yaml -o output/ -f md,docx,html --force
  playbook render client.toml --lang en --brand examples/brand/brand.yaml
"""


def error(message: str) -> None:
    for line in str(message).splitlines():
        click.echo(f"playbook: error: {line}", err=True)


def warn(message: str) -> None:
    click.echo(f"playbook: warning: {message}", err=True)


class FormatList(click.ParamType):
    """`-f md,docx`: a comma-separated subset of the output formats."""

    name = "formats"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        chosen = []
        for item in str(value).split(","):
            item = item.strip().lower()
            if item not in FORMATS:
                import difflib

                close = difflib.get_close_matches(item, FORMATS, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                self.fail(f"unknown format '{item}'{hint}; choose from {', '.join(FORMATS)}",
                          param, ctx)
            if item not in chosen:
                chosen.append(item)
        return tuple(chosen)


class DateOption(click.ParamType):
    """`--date 2026-11-22`, with the same wording as a profile's date error."""

    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        import datetime

        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"expected a date written YYYY-MM-DD, got {value!r}", param, ctx)


def error_for(source: str, problem) -> None:
    """A profile's error; one that does not name a file (a template, a converter)
    is said with the profile it happened on."""
    for line in str(problem).splitlines():
        error(line if problem.names_its_file else f"{source}: {line}")


def version_message() -> str:
    import os

    location = os.path.dirname(os.path.abspath(__file__))
    return f"playbook {__version__} from {location} (Python {sys.version.split()[0]})"


def shared_options(function):
    """Options every rendering command shares, declared once."""
    options = [
        click.option("--lang", "language", type=click.Choice(["fr", "en"]),
                     help="Language of the playbook (default: the profile's, else en)."),
        click.option("--brand", type=click.Path(exists=True, dir_okay=False),
                     help="Brand file (default: brand.yaml next to the profile or here)."),
        click.option("--templates", type=click.Path(exists=True, file_okay=False,
                                                    ),
                     help="Folder of templates searched before the built-in ones."),
        click.option("--reference-doc", "reference",
                     type=click.Path(exists=True, dir_okay=False),
                     help="Reference .docx supplying styles, page setup, header and footer."),
        click.option("--date", type=DateOption(),
                     help="Document date (YYYY-MM-DD); default: the profile's, else today."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def render_options(**kwargs):
    """RenderOptions from the command's options (paths arrive as text: pathlib is
    imported only once a command runs, to keep --help fast)."""
    from pathlib import Path

    from .commands import RenderOptions

    date = kwargs.pop("date", None)
    paths = {"output", "brand", "templates", "reference"}
    values = {k: Path(v) if k in paths else v for k, v in kwargs.items() if v is not None}
    return RenderOptions(date=date, **values)


def _paths(values):
    from pathlib import Path

    return [Path(v) for v in values]


def call(function, *args):
    """Call a command function; turn domain errors into a message and exit code."""
    from .errors import PlaybookError

    try:
        return function(*args)
    except PlaybookError as exc:
        error(str(exc))
        sys.exit(exc.exit_code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", message=version_message())
def main():
    """Turn a company profile into a tailored social presence playbook (Word and Markdown).

    \b
    Start with:
      playbook render profiles/boulangerie-muller.yaml
    """


@main.command()
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
    from .commands import render_profiles

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


@main.command(short_help="Show the decisions for PROFILE and their reasons.")
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


@main.command(short_help="Check profiles without rendering.")
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


@main.command()
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


def _register_commands() -> None:
    """Commands kept in their own modules (each imports only click at load time)."""
    from .cli_batch import batch
    from .cli_profile import init, questionnaire
    from .cli_templates import templates

    main.add_command(init)
    main.add_command(questionnaire)
    main.add_command(batch)
    main.add_command(templates)


_register_commands()

if __name__ == "__main__":  # pragma: no cover
    main()
