"""The agency's brand: name, logo, colours, fonts, contact and footer, date format.

A `brand.yaml` is found, in order: the `--brand` option, next to the profile, in the
working folder; without one the playbook carries no agency name and the default look.
Paths in it (logo, reference document, templates) are relative to the brand file.
Validated like profiles: every problem with its field, line and a suggestion.
"""


import datetime
import re
from pathlib import Path

from .bounded import SpecialFile, TooLarge, read_at_most
from .errors import BrandError, PlaybookError
from .records import Record, replace
from .schema import Validator, json_schema, spec
from .sources import read_data, special_file_message

BRAND_FILE = "brand.yaml"
_COLOUR = r"^#[0-9A-Fa-f]{6}$"  # compiled on first use: most brands set no colour
_DATE_TOKENS = re.compile(r"\{(day|day2|month|month_name|year)\}")


class BrandTexts(Record):
    """The brand's words in one playbook language, over the brand's defaults."""

    contact: str | None = spec("Contact line on the cover, in this language.", max_len=300)
    footer_text: str | None = spec("Text on the left of every page footer, in this language.",
                                   max_len=200)
    date_format: str | None = spec("How dates are written in this language.", max_len=60)


class Brand(Record):
    """The brand file's settings (agency, logo, colours, fonts, reference, templates)."""

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
    en: BrandTexts | None = spec("Contact line, footer text and date format for English "
                                 "playbooks, over the ones above.")
    fr: BrandTexts | None = spec("Contact line, footer text and date format for French "
                                 "playbooks, over the ones above (e.g. footer_text: "
                                 "« Confidentiel »).")

    def path(self, value: str | None, base: Path) -> Path | None:
        return (base / value) if value else None

    def for_language(self, language: str) -> "Brand":
        """The brand as a playbook in `language` shows it: that language's texts over
        the defaults (a French playbook never says "Confidential")."""
        texts = self.en if language == "en" else self.fr if language == "fr" else None
        if texts is None:
            return self
        return replace(self, **{name: getattr(texts, name) for name in
                                ("contact", "footer_text", "date_format")
                                if getattr(texts, name) is not None})


class LoadedBrand(Record):
    """A brand with the file it came from and the folder its paths are relative to."""

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


_IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")  # PNG, JPEG


def load_brand(path: Path) -> LoadedBrand:
    """Read and validate a brand file; check that the files it names exist.

    Every problem is collected before stopping, so a user fixes them all in one pass."""
    path = Path(path)
    data, lines = read_data(path, BrandError)
    if not isinstance(data, dict):
        raise BrandError.single(str(path), "expected a mapping of fields at the top level "
                                "(agency:, logo:, ...)")
    validator = Validator(str(path), lines)
    data = _check_colours(data, validator)
    brand = validator.build(Brand, data)
    _check_values(data, path.parent, validator)
    if validator.problems:  # in the file's order
        raise BrandError(sorted(validator.problems, key=lambda p: (p.line is None, p.line or 0)))
    assert brand is not None
    if brand.primary_color:
        brand = replace(brand, primary_color=brand.primary_color.upper())
    if brand.accent_color:
        brand = replace(brand, accent_color=brand.accent_color.upper())
    return LoadedBrand(brand, str(path), path.parent)


def _check_colours(data: dict, validator: Validator) -> dict:
    """Colour problems, said in colour terms; the fields in question are left out of the
    data the validator then checks, so each gets one message."""
    data = dict(data)
    for name in ("primary_color", "accent_color"):
        if name in data and data[name] is None:
            validator.error((name,), 'is empty; in YAML a # starts a comment, so put the colour '
                            'in quotes: "#1F4E79"')
            del data[name]
        elif isinstance(data.get(name), str) and not re.match(_COLOUR, data[name].strip()):
            validator.error((name,), f"expected a colour written #RRGGBB (e.g. #1F4E79), "
                            f"got {data[name].strip()!r}")
            del data[name]
        elif name in data and not isinstance(data[name], str):  # e.g. 12345, unquoted
            validator.error((name,), f"expected a colour written #RRGGBB (e.g. #1F4E79), got "
                            f"{data[name]!r}; put it in quotes: \"#1F4E79\"")
            del data[name]
    return data


def _check_values(data: dict, base: Path, validator: Validator) -> None:
    """What the types alone do not say: colours, files, folders, date placeholders."""
    flagged = {problem.field for problem in validator.problems}  # one message per field

    def text(name: str) -> str | None:
        value = data.get(name)
        if name in flagged or not isinstance(value, str) or not value.strip():
            return None
        return value.strip()

    logo = text("logo")
    if logo:
        logo_path = base / logo
        if not logo_path.is_file():
            validator.error(("logo",), f"file not found: {logo_path}")
        elif logo_path.suffix.lower() not in (".png", ".jpg", ".jpeg"):
            validator.error(("logo",), "the logo must be a .png or .jpg image")
        elif not _is_image(logo_path):
            validator.error(("logo",), f"{logo_path} is not a PNG or JPEG image (its content "
                            "does not match its name); export the logo again as PNG")
        else:
            problem = logo_problem(logo_path)
            if problem:
                validator.error(("logo",), problem)
    reference = text("reference_doc")
    if reference:
        if not (base / reference).is_file():
            validator.error(("reference_doc",), f"file not found: {base / reference}")
        elif (base / reference).suffix.lower() != ".docx":
            validator.error(("reference_doc",), "the reference document must be a .docx file "
                            "(save it from Word as .docx)")
        else:
            problem = _reference_problem(base / reference)
            if problem:
                validator.error(("reference_doc",), problem)
    templates = text("templates")
    if templates and not (base / templates).is_dir():
        validator.error(("templates",), f"folder not found: {base / templates}")
    for where in [()] + [(language,) for language in ("en", "fr")
                         if isinstance(data.get(language), dict)]:
        date_format = (data.get(where[0]) if where else data).get("date_format")
        if isinstance(date_format, str) and date_format:
            leftover = _DATE_TOKENS.sub("", date_format)
            if "{" in leftover or "}" in leftover:
                validator.error(where + ("date_format",), "unknown placeholder; use {day}, "
                                "{day2}, {month}, {month_name} and {year}")


def _is_image(path: Path) -> bool:
    try:
        with path.open("rb") as stream:
            head = stream.read(8)
    except OSError:
        return False
    return head.startswith(_IMAGE_SIGNATURES)


MAX_LOGO_BYTES = 5 * 1024 * 1024  # a logo is copied into every .docx of a batch
MAX_LOGO_SIDE = 10_000  # pixels; a logo is shown 5 cm wide at most
_IMAGE_ENDS = {"image/png": b"IEND", "image/jpeg": b"\xff\xd9"}


def logo_problem(path: Path) -> str | None:
    """What is wrong with a logo file, or None: read with a bound, its size, its
    pixels (as its header claims them) and its end (a file cut short lacks it)."""
    from docx.image.exceptions import (
        InvalidImageStreamError,
        UnexpectedEndOfFileError,
        UnrecognizedImageError,
    )
    from docx.image.image import Image

    damaged = "the logo cannot be read as an image (damaged or cut short); export it again as PNG"
    try:
        data = read_at_most(path, MAX_LOGO_BYTES)
    except TooLarge as exc:
        return (f"the logo is too large ({exc.size:,} bytes, at most {MAX_LOGO_BYTES:,}); "
                "export it smaller (a logo needs a few hundred pixels)")
    except SpecialFile as exc:
        return special_file_message(exc)
    except OSError as exc:
        return f"cannot read the file: {exc.strerror or exc}"
    try:
        image = Image.from_blob(data)
    except (InvalidImageStreamError, UnexpectedEndOfFileError, UnrecognizedImageError,
            ValueError, IndexError):
        return damaged
    if max(image.px_width, image.px_height) > MAX_LOGO_SIDE or min(image.px_width,
                                                                   image.px_height) < 1:
        return (f"the logo is {image.px_width:,} x {image.px_height:,} pixels, more than "
                f"{MAX_LOGO_SIDE:,} on a side (or none); export it smaller")
    if _IMAGE_ENDS.get(image.content_type, b"") not in data[-1024:]:
        return damaged
    return None


def _reference_problem(path: Path) -> str | None:
    """Whether the reference .docx opens as a Word document (as render will read it)."""
    from .docx_reference import check_reference

    try:
        check_reference(path)
    except PlaybookError as exc:
        return str(exc)
    return None


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
