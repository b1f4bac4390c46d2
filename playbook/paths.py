"""Where the built-in templates and knowledge files are, and the search order.

A folder given with `--templates` (or in the brand file) comes first, file by file,
then the built-in folder, like MkDocs' `custom_dir` in front of the theme.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def builtin_templates() -> Path:
    """The packaged templates: `playbook/templates` in a wheel, `templates/` in a checkout."""
    installed = _PACKAGE / "templates"
    return installed if installed.is_dir() else _PACKAGE.parent / "templates"


def search_path(user_dir: Path | None = None) -> list[Path]:
    """Folders searched for templates and knowledge files, first match wins."""
    folders = [Path(user_dir)] if user_dir else []
    folders.append(builtin_templates())
    return folders
