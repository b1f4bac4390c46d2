"""Eject the built-in templates for editing, and check a folder of templates.

`eject` copies the built-in templates, knowledge files and reference .docx into a
folder with a sample brand file, without overwriting anything unless forced.
`check` renders the main template of each language (and so every template it
includes) with the folder in front of the built-in ones, against sample profiles,
validates the folder's knowledge files, and flags files that override nothing (a
misspelt `en/sumary.md.j2` would otherwise be silently ignored). No click here: the
CLI (`cli_templates.py`) prints what these functions return.
"""

from __future__ import annotations

import datetime
import difflib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .brand import BRAND_FILE, load_brand
from .errors import InputError, OutputError, PlaybookError
from .knowledge import LANGUAGES, placeholders
from .outputs import atomic_write
from .paths import builtin_templates
from .sources import read_data

EJECT_SUFFIXES = (".j2", ".yaml", ".docx", ".css", ".png")
REFERENCE_DOC = "reference.docx"
CHECK_DATE = datetime.date(2026, 11, 22)  # fixed, so a check gives the same result every day


# -- eject ------------------------------------------------------------------------

def builtin_files() -> list[str]:
    """The built-in files a user may override, as relative names (`en/summary.md.j2`)."""
    root = builtin_templates()
    return sorted(
        path.relative_to(root).as_posix() for path in root.rglob("*")
        if path.is_file() and path.suffix in EJECT_SUFFIXES
        and not any(part.startswith((".", "__")) for part in path.relative_to(root).parts))


def sample_brand(with_reference: bool) -> str:
    """A commented brand file pointing at the ejected templates (and reference .docx)."""
    reference = "reference_doc: reference.docx   # styles, page setup, header and footer" \
        if with_reference else \
        "# reference_doc: reference.docx # styles, page setup, header and footer"
    return f"""\
# Brand file: your agency's name, logo, colours and fonts, read by every playbook.
# Use it with:  playbook render profile.yaml --brand path/to/brand.yaml
# (or put it next to the profiles, or in the folder you run playbook from).
# Paths are relative to this file. Every field is optional; see docs/templates.md.

agency: Your Agency                 # cover, header and document author
# logo: logo.png                    # PNG or JPEG, about 600x200 pixels
primary_color: "#1F3864"            # title and headings; quote it: in YAML # starts a comment
accent_color: "#2E75B6"             # table headers and callouts
# heading_font: Liberation Serif    # a font installed where the playbook is opened
# body_font: Liberation Sans
contact: contact@your-agency.example · +33 1 23 45 67 89
footer_text: Your Agency · Confidential
# date_format: "{{day}} {{month_name}} {{year}}"   # also {{day2}} and {{month}} (two digits)
# table_style: Light Grid Accent 1  # a table style of the reference document

templates: .                        # this folder, searched before the built-in templates:
                                    # delete the files you do not change, so they follow
                                    # the tool's updates
{reference}
"""


@dataclass
class EjectResult:
    folder: Path
    written: list[Path] = field(default_factory=list)

    @property
    def brand(self) -> Path:
        return self.folder / BRAND_FILE


def eject(folder: Path, force: bool = False) -> EjectResult:
    """Copy the built-in templates and a sample brand file into `folder`.

    Every target is checked before anything is written: without `force`, one existing
    file stops the whole copy, and each existing file is named."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: is a file, not a folder; choose another folder")
    root = builtin_templates()
    names = builtin_files()
    targets = [folder / name for name in names] + [folder / BRAND_FILE]
    existing = [path for path in targets if path.exists()]
    if existing and not force:
        shown = ", ".join(str(path) for path in existing[:3])
        more = f" and {len(existing) - 3} more" if len(existing) > 3 else ""
        raise OutputError(f"{shown}{more}: already exist{'s' if len(existing) == 1 else ''}; "
                          "they may hold edits. Use --force to overwrite, or eject into another "
                          "folder")
    result = EjectResult(folder)
    for name, target in zip(names, targets, strict=False):
        _make_folder(target.parent)
        atomic_write(target, (root / name).read_bytes())
        result.written.append(target)
    atomic_write(result.brand, sample_brand(REFERENCE_DOC in names).encode("utf-8"))
    result.written.append(result.brand)
    return result


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create the folder: {exc.strerror or exc}") from None


# -- sample profiles ----------------------------------------------------------------

_COMMON = {"version": 1, "document": {"date": CHECK_DATE.isoformat(), "version": "1.0",
                                      "prepared_by": "Template Check"}}

# One profile per staffing model, plus one with every answer unknown: together they
# reach every branch the built-in templates have (warnings, relays, skipped networks...).
SAMPLE_PROFILES: dict[str, dict] = {
    "internal": {
        **_COMMON, "language": "fr",
        "company": {"name": "Boulangerie Exemple", "sector": "bakery", "employees": 12,
                    "market": "b2c", "region": "Alsace", "values": ["artisanal", "local"],
                    "description": "Family bakery, three shops.", "story": "Founded in 1952."},
        "goals": ["awareness", "sales"], "audiences": ["customers", "prospects"],
        "strategy": {"brand_image_key": False, "digital_transformation": False,
                     "web_core_business": False, "seo_only": False},
        "staffing": {"interested_person": True, "time_available": True, "trained": False,
                     "training_budget": True, "external_budget": False, "monthly_budget_eur": 300},
        "organization": {"single_contact": True, "contact_understands_social": False,
                         "management_support": True, "activity_complexity": "low",
                         "time_for_project": True, "departments": ["sales", "production"],
                         "communications_director": False, "sensitive_topics": True},
        "presence": {"blog": False, "networks": [{"platform": "facebook", "followers": 800,
                                                  "active": True}],
                     "wants_data_ownership": True, "content_resources": True,
                     "media_budget": False},
    },
    "external": {
        **_COMMON, "language": "en",
        "company": {"name": "Example Logistics", "sector": "logistics", "employees": 40,
                    "market": "b2b", "values": ["reliability"]},
        "goals": ["recruitment", "employer_brand"], "audiences": ["candidates", "partners"],
        "strategy": {"brand_image_key": False, "digital_transformation": False,
                     "web_core_business": False, "seo_only": False},
        "staffing": {"interested_person": False, "time_available": False, "trained": False,
                     "training_budget": False, "external_budget": True,
                     "monthly_budget_eur": 2500},
        "organization": {"single_contact": False, "management_support": False,
                         "activity_complexity": "high", "time_for_project": False,
                         "departments": ["hr", "legal"], "communications_director": False,
                         "sensitive_topics": False},
        "presence": {"blog": True, "networks": [{"platform": "linkedin", "followers": 150,
                                                 "active": False}],
                     "wants_data_ownership": False, "content_resources": False,
                     "media_budget": False},
    },
    "pair": {
        **_COMMON, "language": "en",
        "company": {"name": "Example Health Group", "sector": "health", "employees": 800,
                    "market": "both", "region": "Lyon"},
        "goals": ["awareness", "customer_service", "investor_relations"],
        "audiences": ["customers", "shareholders", "press"],
        "strategy": {"brand_image_key": True, "digital_transformation": True,
                     "web_core_business": False, "seo_only": False},
        "staffing": {"interested_person": True, "time_available": False, "trained": True,
                     "training_budget": True, "external_budget": True,
                     "monthly_budget_eur": 8000},
        "organization": {"single_contact": True, "contact_understands_social": True,
                         "management_support": True, "activity_complexity": "medium",
                         "time_for_project": True,
                         "departments": ["communication", "marketing", "customer_service",
                                         "legal", "quality", "it"],
                         "communications_director": True, "sensitive_topics": True},
        "presence": {"blog": True, "networks": [
            {"platform": "linkedin", "followers": 12000, "active": True},
            {"platform": "x", "followers": 3000, "active": False},
            {"platform": "youtube", "active": True}],
            "wants_data_ownership": True, "content_resources": True, "media_budget": True},
    },
    "seo_addon": {
        **_COMMON, "language": "fr",
        "company": {"name": "Garage Exemple", "sector": "car repair", "employees": 5,
                    "market": "b2c"},
        "goals": ["seo"], "audiences": ["customers"],
        "strategy": {"brand_image_key": False, "digital_transformation": False,
                     "web_core_business": False, "seo_only": True},
        "staffing": {"interested_person": False, "time_available": False, "trained": False,
                     "training_budget": False, "external_budget": True,
                     "monthly_budget_eur": 100},
        "presence": {"blog": False, "networks": []},
    },
    "unknown": {"company": {"name": "Example Co"}},
}


# -- check ----------------------------------------------------------------------------

@dataclass
class CheckReport:
    """What `check_templates` found. `ok` when there is neither error nor warning."""

    folder: Path | None
    profiles: list[str] = field(default_factory=list)
    renders: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.warnings


def default_profiles() -> list[Path]:
    """The repository's sample profiles, when the built-in templates sit in a checkout."""
    folder = builtin_templates().parent / "profiles"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml", ".toml", ".json"))


def check_templates(folder: Path | None = None, profiles: Sequence[Path] = ()) -> CheckReport:
    """Render every language against sample profiles with `folder` in front of the
    built-in templates; report errors (template, line, cause) and unused files."""
    from .build import Builder
    from .profile import validate_data

    if folder is not None:
        folder = Path(folder)
        if not folder.is_dir():
            raise InputError.single(str(folder), "folder not found; give the folder of "
                                    "templates (the one holding en/ and fr/)")
    report = CheckReport(folder)
    if folder is not None and (folder / BRAND_FILE).is_file():
        try:
            load_brand(folder / BRAND_FILE)
        except PlaybookError as exc:
            report.errors += str(exc).splitlines()
    try:
        builder = Builder(templates=folder)
    except PlaybookError as exc:  # the folder's knowledge files are broken
        report.errors += str(exc).splitlines()
        return report
    if folder is not None:
        _compare_knowledge(folder, builder.knowledge, report)

    loaded = []
    for path in profiles:
        try:
            loaded.append(builder.load(path))
        except PlaybookError as exc:
            report.errors += str(exc).splitlines()
    if not profiles:
        for name, data in SAMPLE_PROFILES.items():
            try:
                loaded.append(validate_data(data, f"sample profile '{name}'",
                                            builder.knowledge.accepted_ids,
                                            builder.knowledge.aliases,
                                            choices=builder.knowledge.profile_choices))
            except PlaybookError as exc:  # the folder's platform catalogue lacks a network
                report.errors += str(exc).splitlines()
        for path in default_profiles():
            try:
                loaded.append(builder.load(path))
            except PlaybookError as exc:
                report.errors += str(exc).splitlines()
    report.profiles = [profile.source for profile in loaded]

    failures: dict[str, list[str]] = {}
    front_matter: dict[str, bool] = {}  # language -> its playbook starts with front matter
    for profile in loaded:
        for language in LANGUAGES:
            report.renders += 1
            try:
                markdown = builder.build(profile, language, CHECK_DATE).markdown
                front_matter.setdefault(language, markdown.startswith("---\n"))
            except PlaybookError as exc:  # a template error, or a text missing from knowledge
                failures.setdefault(str(exc), []).append(f"{profile.source}, {language}")
    if any(": missing; the rules use this text" in message for message in report.errors):
        # a text missing from the folder's knowledge is already reported once, by name
        failures = {m: w for m, w in failures.items() if "knowledge: no text for" not in m}
    for message, where in failures.items():
        more = f"; and {len(where) - 1} more" if len(where) > 1 else ""
        report.errors.append(f"{message} (with {where[0]}{more})")
    for language, present in front_matter.items():
        if not present:
            report.warnings.append(f"{language}/playbook.md.j2: the playbook does not start with "
                                   "its front matter (---); the Word document will have no title, "
                                   "author or language")
    if folder is not None:
        _unused_files(folder, builder, report)
    return report


def _knowledge_owner(folder: Path) -> dict[str, str]:
    """Top-level knowledge key -> the knowledge file defining it, in one folder."""
    owners = {}
    for path in sorted((folder / "knowledge").glob("*.yaml")):
        try:
            data, _ = read_data(path)
        except PlaybookError:
            continue
        if isinstance(data, dict):
            owners.update({str(key): f"knowledge/{path.name}" for key in data})
    return owners


def _compare_knowledge(folder: Path, knowledge, report: CheckReport) -> None:
    """A user's knowledge file replaces the built-in one whole: it must keep every text
    the rules ask for, and use only the placeholders the rules fill in."""
    from .knowledge import load_knowledge
    from .paths import search_path

    if not (folder / "knowledge").is_dir():
        return
    builtin = load_knowledge(search_path()).messages
    owners = _knowledge_owner(builtin_templates())
    user_files = {f"knowledge/{p.name}" for p in (folder / "knowledge").glob("*.yaml")}
    for code, texts in sorted(builtin.items()):
        owner = owners.get(code.split(".", 1)[0], "knowledge")
        if owner not in user_files:
            continue  # the built-in file is still in use
        if _dropped_entry(code, knowledge):
            continue  # a sector or region the folder left out on purpose
        where = f"{folder / owner}: {code}"
        if code not in knowledge.messages:
            report.errors.append(f"{where}: missing; the rules use this text (copy it from "
                                 "the built-in file)")
            continue
        for language in LANGUAGES:
            extra = placeholders(knowledge.messages[code][language]) - placeholders(texts[language])
            if extra:
                names = ", ".join("{" + name + "}" for name in sorted(extra))
                given = ", ".join("{" + n + "}" for n in sorted(placeholders(texts[language])))
                report.errors.append(f"{where}: {language}: unknown placeholder {names}; this "
                                     f"text can use {given or 'no placeholder'}")


def _dropped_entry(code: str, knowledge) -> bool:
    """A text of a sector or region that the folder's own file does not define: a
    consultant may remove sectors and regions, unlike texts the rules always use."""
    parts = code.split(".")
    if len(parts) > 2 and parts[0] == "sectors":
        return parts[1] not in knowledge.sectors
    if len(parts) > 2 and parts[0] == "regions":
        return parts[1] not in knowledge.regions
    return False


def _unused_files(folder: Path, builder, report: CheckReport) -> None:
    """Files of the folder that override nothing and that no template includes."""
    import jinja2.meta

    builtin = builtin_files()
    env = builder.renderer.env
    used = set(builtin)
    used |= {key[1] for key in env.cache.keys()} if env.cache is not None else set()
    used |= _reachable(env, [f"{lang}/playbook.md.j2" for lang in LANGUAGES], jinja2.meta)
    unchanged = 0
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if not path.is_file() or any(p.startswith(".") for p in path.relative_to(folder).parts):
            continue
        if name in builtin and path.read_bytes() == (builtin_templates() / name).read_bytes():
            unchanged += 1
        in_subfolder = "/" in name
        if name.startswith("knowledge/") and path.suffix == ".yml":
            report.warnings.append(f"{path}: is never read: knowledge files must end in .yaml")
        elif name in used or not (path.suffix == ".j2" or
                                   (in_subfolder and path.suffix in (".yaml", ".yml"))):
            continue
        else:
            report.warnings.append(f"{path}: overrides nothing: no built-in file has this name "
                                   f"and no template includes it{_suggest(name, builtin)}")
    if unchanged:
        report.notes.append(f"{unchanged} file(s) in {folder} are unchanged copies of the "
                            "built-in ones; delete them so they follow the tool's updates")


def _suggest(name: str, builtin: list[str]) -> str:
    close = difflib.get_close_matches(name, builtin, n=1, cutoff=0.75)
    if close:
        return f" (did you mean '{close[0]}'?)"
    for known in builtin:  # `templates/en/summary.md.j2`: the folder given is one level up
        if name.endswith("/" + known):
            inner = name[: -len(known) - 1]
            return f" (is the template folder {inner}{os.sep}?)"
    return ""


def _reachable(env, start: list[str], meta) -> set[str]:
    """Templates reachable by include/import/extends with literal names, from `start`."""
    seen: set[str] = set()
    todo = list(start)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            source, _, _ = env.loader.get_source(env, name)
            referenced = meta.find_referenced_templates(env.parse(source))
        except Exception:  # noqa: BLE001 - a broken template is reported by the render
            continue
        todo.extend(ref for ref in referenced if ref)
    return seen
