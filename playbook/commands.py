"""What the commands do, as plain functions the CLI (and Python callers) use.

Each function takes resolved options, does its work and returns what happened; the
CLI prints and chooses the exit code. Errors are `PlaybookError`s.
"""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from .brand import LoadedBrand, find_brand
from .build import Builder, Playbook
from .errors import PlaybookError
from .outputs import (
    atomic_write,
    check_free,
    check_writable,
    create_new,
    ensure_folder,
    remove_stale_temporaries,
    unique_slugs,
)
from .records import Record, field


class RenderOptions(Record, frozen=False):
    """What a render command was asked for (outputs, language, brand...)."""

    output: Path = Path("output")
    formats: tuple[str, ...] = ("md", "docx")
    language: str | None = None
    force: bool = False
    brand: Path | None = None
    templates: Path | None = None
    reference: Path | None = None
    date: datetime.date | None = None


class RenderResult(Record, frozen=False):
    """One profile's outcome: the files written, or its error."""

    source: str
    outputs: list[Path] = field(default_factory=list)
    error: PlaybookError | None = None


def encode_outputs(builder: Builder, playbook: Playbook, formats: Sequence[str]) -> dict[str, bytes]:
    """Every requested format's bytes, built in memory before anything is written."""
    data: dict[str, bytes] = {}
    if "md" in formats:
        data["md"] = playbook.markdown.encode("utf-8")
    if "docx" in formats or "pdf" in formats:
        docx = builder.docx(playbook)
        if "pdf" in formats:
            from .pdf import convert

            # LibreOffice's layout gives the contents' page numbers: the .docx shows the
            # same ones as the PDF, in Word (no update prompt) and in LibreOffice
            conversion = convert(docx, builder.warn, lambda pages: builder.docx(playbook, pages))
            data["pdf"], docx = conversion.pdf, conversion.docx
        if "docx" in formats:
            data["docx"] = docx
    if "html" in formats:
        data["html"] = builder.html(playbook)
    return data


def write_outputs(folder: Path, slug: str, data: dict[str, bytes], force: bool) -> list[Path]:
    """Check every target first, then write each atomically: all or nothing. Without
    --force a file is only ever created, never replaced (even one another run made
    after the check); if one cannot be written, those this call created are removed,
    so a re-run after a full disk needs no --force."""
    targets = {fmt: folder / f"{slug}.{fmt}" for fmt in data}
    check_free(targets.values(), force)
    created: list[Path] = []
    try:
        for fmt, path in targets.items():
            if force:
                atomic_write(path, data[fmt])
            else:
                create_new(path, data[fmt])
                created.append(path)
    except PlaybookError:
        for path in created:
            path.unlink(missing_ok=True)
        raise
    return list(targets.values())


class BuilderCache:
    """One Builder per brand in force (profiles in different folders may differ)."""

    def __init__(self, options: RenderOptions, warn: Callable[[str], None]):
        self.options = options
        self.warn = warn
        self.builders: dict[str | None, Builder] = {}

    def for_profile(self, profile_path: Path) -> Builder:
        brand: LoadedBrand = find_brand(self.options.brand, profile_path)
        if brand.source not in self.builders:
            self.builders[brand.source] = Builder(brand, self.options.templates,
                                                  self.options.reference, self.warn)
        return self.builders[brand.source]


def render_profiles(paths: Sequence[Path], options: RenderOptions,
                    warn: Callable[[str], None]) -> list[RenderResult]:
    """Render each profile; a failing profile is reported and the others go on."""
    ensure_folder(options.output)
    check_writable(options.output)
    remove_stale_temporaries(options.output)
    builders = BuilderCache(options, warn)
    loaded, results = [], []
    seen: set[str] = set()
    for path in paths:
        real = os.path.realpath(path)
        if real in seen:  # the same file named twice is one client: one playbook
            continue
        seen.add(real)
        result = RenderResult(str(path))
        results.append(result)
        try:
            builder = builders.for_profile(path)
            profile = builder.load(path)
            for problem in profile.warnings:
                warn(str(problem))
            loaded.append((result, builder, profile))
        except PlaybookError as exc:
            result.error = exc
    slugs = unique_slugs(profile.profile.company.name for _, _, profile in loaded)
    for (result, builder, profile), slug in zip(loaded, slugs, strict=True):
        try:
            playbook = builder.build(profile, options.language, options.date)
            data = encode_outputs(builder, playbook, options.formats)
            result.outputs = write_outputs(options.output, slug, data, options.force)
        except PlaybookError as exc:
            result.error = exc
    return results


def explain_profile(path: Path, options: RenderOptions) -> dict:
    builder = Builder(find_brand(options.brand, path), options.templates, options.reference)
    profile = builder.load(path)
    return builder.report(profile, options.language, options.date)


def validate_profiles(paths: Sequence[Path], options: RenderOptions,
                      warn: Callable[[str], None]) -> list[RenderResult]:
    builders = BuilderCache(options, warn)
    results = []
    for path in paths:
        result = RenderResult(str(path))
        try:
            profile = builders.for_profile(path).load(path)
            for problem in profile.warnings:
                warn(str(problem))
        except PlaybookError as exc:
            result.error = exc
        results.append(result)
    return results


def explain_text(report: dict) -> str:
    """The decisions, readable in a terminal."""
    s = report["staffing"]
    lines = [f"{report['company']['name']} ({report['profile']}, {report['language']})", ""]
    control = ", keep control" if s["keep_control"] else ""
    lines.append(f"Staffing: {s['model']}{control} (confidence {s['confidence']})")
    lines += [f"  - {r['text']}" for r in s["reasons"]]
    lines.append(f"Blog: {report['blog']['decision']}")
    lines += [f"  - {r['text']}" for r in report["blog"]["reasons"]]
    lines.append("Networks: " + ", ".join(f"{p['name']} ({p['score']:.2f})"
                                          for p in report["platforms"]))
    lines.append("Skip: " + ", ".join(p["name"] for p in report["skip_platforms"]))
    relays = ", ".join(r["department"] for r in report["relays"]) or "none listed"
    lines.append(f"Relays: {relays}; joker: {report['joker']['who']}")
    critical = [q["id"] for q in report["provider_questions"] if q["critical"]]
    lines.append("Critical questions: " + (", ".join(critical) or "none"))
    lines.append("Plan: " + "; ".join(f"{p['step']}. {p['title']}" for p in report["plan"]))
    for title, key in (("Warnings", "warnings"), ("Open questions", "open_questions")):
        if report[key]:
            lines.append(f"{title}:")
            lines += [f"  - {item}" for item in report[key]]
    return "\n".join(lines)


def explain_json(report: dict) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2)
