"""The command line: thin click commands over `playbook.commands`.

The group loads each command's module only when that command runs (click's lazy
group pattern), and the commands import heavy libraries (Jinja2, python-docx, PyYAML)
inside their bodies, so `playbook --help` imports click and nothing else (and the
installed `playbook` script prints that help without even click: `playbook.entry`).
Every user mistake ends as one clear line on stderr and a non-zero exit code (1: some
input failed, 2: wrong usage), never a traceback.
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
    from .entry import resume_collector
    from .errors import PlaybookError

    resume_collector()  # the command's work starts here (see playbook.entry)
    try:
        return function(*args)
    except PlaybookError as exc:
        error(str(exc))
        sys.exit(exc.exit_code)


# Each command's module, loaded only when the command runs.
COMMANDS = {
    "batch": "playbook.cli_batch:batch",
    "explain": "playbook.cli_render:explain",
    "init": "playbook.cli_profile:init",
    "questionnaire": "playbook.cli_profile:questionnaire",
    "render": "playbook.cli_render:render",
    "schema": "playbook.cli_render:schema",
    "templates": "playbook.cli_templates:templates",
    "validate": "playbook.cli_render:validate",
}

# What `playbook --help` lists for each command (its short_help, or the first
# paragraph of its docstring), so the listing needs no command module;
# tests/test_cli.py checks these against the commands themselves.
SUMMARIES = {
    "batch": {"short_help": "Render a whole portfolio (folders, globs, sheets) in parallel."},
    "explain": {"short_help": "Show the decisions for PROFILE and their reasons."},
    "init": {"short_help": "Build a profile by answering questions in the terminal."},
    "questionnaire": {"short_help": "Write an Excel questionnaire for the client to fill in."},
    "render": {"help": "Render a playbook from each PROFILE (YAML, TOML, JSON, or a filled "
                       "questionnaire)."},
    "schema": {"help": "Print the JSON Schema of a profile or brand file, for editors."},
    "templates": {"help": "Copy the built-in templates out for editing, and check them."},
    "validate": {"short_help": "Check profiles without rendering."},
}


class LazyGroup(click.Group):
    """A group whose commands live in modules imported on first use."""

    def __init__(self, *args, lazy_commands: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy_commands = lazy_commands
        self._listing = False

    def list_commands(self, ctx):
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx, name):
        if self._listing and name in SUMMARIES:
            return click.Command(name, **SUMMARIES[name])
        if name not in self.commands and name in self.lazy_commands:
            import importlib

            module, attribute = self.lazy_commands[name].split(":")
            self.add_command(getattr(importlib.import_module(module), attribute), name)
        return super().get_command(ctx, name)

    def format_commands(self, ctx, formatter):
        # list the commands from SUMMARIES instead of importing every module
        self._listing = True
        try:
            super().format_commands(ctx, formatter)
        finally:
            self._listing = False


@click.group(cls=LazyGroup, lazy_commands=COMMANDS,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", message=version_message())
def main():
    """Turn a company profile into a tailored social presence playbook (Word and Markdown).

    \b
    Start with:
      playbook render profiles/boulangerie-muller.yaml
    """


if __name__ == "__main__":  # pragma: no cover
    main()
