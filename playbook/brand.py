"""The agency's brand: name, logo, colours, fonts, contact and footer, date format.

A `brand.yaml` is found, in order: the `--brand` option, next to the profile, in the
working folder; without one the playbook carries no agency name and the default look.
Paths in it (logo, reference document, templates) are relative to the brand file.
Validated like profiles: every problem with its field, line and a suggestion.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import BrandError
from .schema import Validator, json_schema, spec
from .sources import read_data

BRAND_FILE = "brand.yaml"
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_DATE_TOKENS = re.compile(r"\{(day|day2|month|month_name|year)\}")


@dataclass(frozen=True, slots=True)
class Brand:
    agency: str | None = spec("The agency's name: cover, header, document author.", max_len=120)
    logo: str | None = spec("Logo image (PNG or JPEG), relative to the brand file.", max_len=500)
    primary_color: str | None = spec("Title and heading colour, #RRGGBB.", max_len=7)
    accent_color: str | None = spec("Table header and callout colour, #RRGGBB.", max_len=7)
    heading_font: str | None = spec("Font of the title and headings.", max_len=80)
    body_font: str | None = spec("Font of the body text.", max_len=80)
    contact: str | None = spec("Contact line on the cover (address, e-mail, phone).",
                               max_len=300)
    footer_text: str | None = spec("Text on the left of every page footer.", max_len=200)
    date_format: str | None = spec("How dates are written, with {day}, {day2}, {month}, "
                                   "{month_name} and {year}; default: 22 November 2026.",
                                   max_len=60)
    reference_doc: str | None = spec("A reference .docx supplying styles, page setup, header "
                                     "and footer.", max_len=500)
    templates: str | None = spec("A folder of templates searched before the built-in ones.",
                                 max_len=500)
    table_style: str | None = spec("Name of the Word table style to use.", max_len=80)

    def path(self, value: str | None, base: Path) -> Path | None:
        return (base / value) if value else None


@dataclass(frozen=True)
class LoadedBrand:
    brand: Brand
    source: str | None  # None: no brand file, defaults
    base: Path  # folder that relative paths are relative to

    @property
    def logo_path(self) -> Path | None:
        return self.brand.path(self.brand.logo, self.base)

    @property
    def reference_path(self) -> Path | None:
        return self.brand.path(self.brand.reference_doc, self.base)

    @property
    def templates_path(self) -> Path | None:
        return self.brand.path(self.brand.templates, self.base)


DEFAULT_BRAND = LoadedBrand(Brand(), None, Path("."))


def load_brand(path: Path) -> LoadedBrand:
    """Read and validate a brand file; check that the files it names exist."""
    data, lines = read_data(path, BrandError)
    if not isinstance(data, dict):
        raise BrandError.single(str(path), "expected a mapping of fields at the top level "
                                "(agency:, logo:, ...)")
    validator = Validator(str(path), lines)
    brand = validator.build(Brand, data)
    if brand is not None:
        base = path.parent
        for name in ("primary_color", "accent_color"):
            value = getattr(brand, name)
            if value is not None and not _COLOUR.match(value):
                validator.error((name,), f"expected a colour written #RRGGBB (e.g. #1F4E79), "
                                f"got {value!r}")
        if brand.logo:
            logo = base / brand.logo
            if not logo.is_file():
                validator.error(("logo",), f"file not found: {logo}")
            elif logo.suffix.lower() not in (".png", ".jpg", ".jpeg"):
                validator.error(("logo",), "the logo must be a .png or .jpg image")
        if brand.reference_doc and not (base / brand.reference_doc).is_file():
            validator.error(("reference_doc",), f"file not found: {base / brand.reference_doc}")
        if brand.templates and not (base / brand.templates).is_dir():
            validator.error(("templates",), f"folder not found: {base / brand.templates}")
        if brand.date_format:
            leftover = _DATE_TOKENS.sub("", brand.date_format)
            if "{" in leftover or "}" in leftover:
                validator.error(("date_format",), "unknown placeholder; use {day}, {day2}, "
                                "{month}, {month_name} and {year}")
    if validator.problems:
        raise BrandError(validator.problems)
    assert brand is not None
    if brand.primary_color:
        brand = replace(brand, primary_color=brand.primary_color.upper())
    if brand.accent_color:
        brand = replace(brand, accent_color=brand.accent_color.upper())
    return LoadedBrand(brand, str(path), path.parent)


def find_brand(option: Path | None, profile_path: Path | None) -> LoadedBrand:
    """The brand in force: --brand, else brand.yaml next to the profile, else in the cwd."""
    if option is not None:
        return load_brand(Path(option))
    candidates = []
    if profile_path is not None:
        candidates.append(Path(profile_path).parent / BRAND_FILE)
    candidates.append(Path.cwd() / BRAND_FILE)
    for candidate in candidates:
        if candidate.is_file():
            return load_brand(candidate)
    return DEFAULT_BRAND


def format_date(day: datetime.date, pattern: str | None, month_name: str) -> str | None:
    """A date in the brand's format, or None to use the language's default."""
    if not pattern:
        return None
    values = {"day": str(day.day), "day2": f"{day.day:02d}", "month": f"{day.month:02d}",
              "month_name": month_name, "year": str(day.year)}
    return _DATE_TOKENS.sub(lambda m: values[m.group(1)], pattern)


def brand_json_schema() -> dict:
    return json_schema(Brand, "Playbook brand file")
