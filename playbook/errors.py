"""Error classes: every mistake a user can make ends as one of these, never a traceback.

The CLI catches `PlaybookError`, prints `str(error)` (one line per problem) to stderr
and exits with `error.exit_code`. Each class says when it is raised. The catalogue
of messages, with their fixes, is `docs/errors.md`.
"""

from __future__ import annotations

from .records import Record


class Problem(Record):
    """One thing wrong in an input file: where it is, what is wrong, how to fix it."""

    source: str  # the file, as the user named it
    field: str = ""  # dotted field path, e.g. "organization.departments[1]"; "" for the file
    message: str = ""
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        if self.field:
            return f"{where}: {self.field}: {self.message}"
        return f"{where}: {self.message}"


class PlaybookError(Exception):
    """Base of every error the tool reports to a user (exit code 1 unless said otherwise).

    `names_its_file`: each line starts with the file it is about; otherwise (a template
    or a converter failing) the command says which profile was being rendered."""

    exit_code = 1
    names_its_file = False


class InputError(PlaybookError):
    """An input file (profile, brand, sheet) cannot be read or fails validation.

    Carries every problem found, so a user fixes them all in one pass. `kind` and
    `starter` word the reading errors for the kind of file (what it should be, where
    to start a new one).
    """

    kind = "a profile"
    starter = "start from a sample in profiles/"
    names_its_file = True

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, source: str, message: str, **where) -> InputError:
        return cls([Problem(str(source), message=message, **where)])


class ProfileError(InputError):
    """A profile file is missing, unreadable, malformed or invalid."""

    kind = "a profile"
    starter = "start from a sample in profiles/"


class BrandError(InputError):
    """A brand file is missing, malformed or invalid (bad colour, missing logo...)."""

    kind = "a brand file"
    starter = "start from examples/brand/brand.yaml"


class TemplateError(PlaybookError):
    """A template fails to compile or render: names the template, the line and the cause."""

    def __init__(self, template: str, message: str, line: int | None = None):
        self.template = template
        self.line = line
        where = f"{template}:{line}" if line else template
        super().__init__(f"template {where}: {message}")


class TemplateSecurityError(TemplateError):
    """A sandboxed template tried something unsafe (internals, files) or exceeded a bound."""


class OutputError(PlaybookError):
    """An output cannot be written: it exists (without --force), or the folder refuses it."""

    names_its_file = True


class ReferenceDocError(PlaybookError):
    """The reference .docx cannot be opened as a Word document."""

    names_its_file = True


class ConversionError(PlaybookError):
    """An external converter (LibreOffice for PDF) is missing or failed."""
