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


IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
MAX_IMAGE_BYTES = 10 * 1024 * 1024  # a picture in a playbook; larger is a mistake


def image_finder(folders: list[Path]):
    """A function from an image's address in a template (`![...](pictures/plan.png)`)
    to its file, searched in `folders` like the templates; None for anything that is not
    a PNG or JPEG file inside one of them (a web address, an absolute path, `..`)."""
    roots = [Path(folder).resolve() for folder in folders]

    def find(address: str) -> Path | None:
        relative = Path(address)
        if ":" in address or relative.is_absolute() or not address.lower().endswith(IMAGE_SUFFIXES):
            return None
        for root in roots:
            candidate = (root / relative).resolve()
            if candidate.is_relative_to(root) and candidate.is_file() \
                    and candidate.stat().st_size <= MAX_IMAGE_BYTES:
                return candidate
        return None

    return find
