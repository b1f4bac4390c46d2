"""The pipeline: profile -> decisions -> Markdown -> Word / HTML / PDF.

A `Builder` loads what is shared by every playbook once (knowledge files, compiled
templates, the prepared reference .docx) and then builds playbooks one after the
other; `playbook batch` keeps one per worker process. Usable from Python:

    builder = Builder()
    result = builder.build(builder.load("profiles/boulangerie-muller.yaml"))
    Path("out.md").write_text(result.markdown)
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any

from .brand import DEFAULT_BRAND, LoadedBrand, format_date
from .knowledge import knowledge_files, load_knowledge
from .mdtext import french_spacing
from .paths import image_finder, search_path
from .profile import LoadedProfile, load_profile
from .records import Record
from .report import build_report
from .rules import decide

FORMATS = ("md", "docx", "html", "pdf")
DEFAULT_LANGUAGE = "en"
DEFAULT_VERSION = "1.0"


# What is costly to prepare and shared by builders in one process (a CLI call that
# renders profiles from several folders, a test session): keyed by the files it was
# made from, with their size and modification time, so an edited file is reloaded.
_SHARED: dict[tuple, Any] = {}


def _signature(paths) -> tuple:
    out = []
    for path in paths:
        try:
            stat = Path(path).stat()
            out.append((str(path), stat.st_mtime_ns, stat.st_size))
        except OSError:
            out.append((str(path), None, None))
    return tuple(out)


def shared(kind: str, key: tuple, factory: Callable[[], Any]) -> Any:
    full_key = (kind, *key)
    if full_key not in _SHARED:
        _SHARED[full_key] = factory()
    return _SHARED[full_key]


class Playbook(Record):
    """One built playbook: its decisions (the report) and its Markdown text."""

    source: str
    language: str
    report: dict[str, Any]
    markdown: str

    @cached_property
    def document(self):
        """The Markdown's tree: parsed once, read by every writer (Word, HTML)."""
        from .mdtree import parse

        return parse(self.markdown)


class Builder:
    def __init__(self, brand: LoadedBrand = DEFAULT_BRAND, templates: Path | None = None,
                 reference: Path | None = None, warn: Callable[[str], None] | None = None):
        self.brand = brand
        self.warn = warn or (lambda message: None)
        self.user_templates = templates or brand.templates_path
        self.folders = search_path(self.user_templates)
        self.knowledge = shared("knowledge", _signature(knowledge_files(self.folders)),
                                lambda: load_knowledge(self.folders))
        self.reference = reference or brand.reference_path or self._builtin_reference()
        self._renderer = None
        self._docx_writer = None
        self.images = image_finder(self.folders)  # pictures a template shows, by address

    def _builtin_reference(self) -> Path | None:
        for folder in self.folders:
            candidate = folder / "reference.docx"
            if candidate.is_file():
                return candidate
        return None

    @property
    def renderer(self):
        """Compiled templates, created on first use (explain never needs Jinja2)."""
        if self._renderer is None:
            from .render import Renderer

            self._renderer = shared("renderer", (str(self.user_templates),),
                                    lambda: Renderer(self.user_templates))
        return self._renderer

    # -- steps ---------------------------------------------------------------
    def load(self, path: str | Path) -> LoadedProfile:
        return load_profile(path, self.knowledge)

    def language_of(self, loaded: LoadedProfile, language: str | None = None) -> str:
        return language or loaded.profile.language or DEFAULT_LANGUAGE

    def date_of(self, loaded: LoadedProfile, date: datetime.date | None = None) -> datetime.date:
        document = loaded.profile.document
        return date or (document.date if document and document.date else None) \
            or datetime.date.today()

    def report(self, loaded: LoadedProfile, language: str | None = None,
               date: datetime.date | None = None) -> dict[str, Any]:
        """The decisions in words: what `explain --json` prints and templates read."""
        language = self.language_of(loaded, language)
        day = self.date_of(loaded, date)
        decisions = decide(loaded.profile, self.knowledge, day)
        report = build_report(loaded.profile, decisions, self.knowledge, loaded.source,
                              language, day)
        texts = self.knowledge.texts(language)
        date_format = self.brand.brand.for_language(language).date_format
        branded = format_date(day, date_format, texts.get(f"labels.month.{day.month}"))
        if branded:
            report["date_text"] = branded
            for step in report["plan"]:  # the plan on a page's dates, in the same format
                due = datetime.date.fromisoformat(step["due"])
                step["due_text"] = format_date(due, date_format,
                                               texts.get(f"labels.month.{due.month}"))
        return report

    def context(self, loaded: LoadedProfile, report: dict[str, Any]) -> dict[str, Any]:
        texts = self.knowledge.texts(report["language"])
        document = loaded.profile.document
        brand = self.brand.brand.for_language(report["language"])
        prepared_by = document.prepared_by if document else None
        name = loaded.profile.company.name
        return {
            "d": report,
            "lang": report["language"],
            "brand": {"agency": brand.agency or "", "contact": brand.contact or "",
                      "footer_text": brand.footer_text or ""},
            "doc": {
                "title": texts.get("document.title"),
                "subtitle": name,
                "subject": texts.get("document.subject", name=name),
                "version": (document.version if document and document.version
                            else DEFAULT_VERSION),
                "prepared_by": prepared_by or "",
                "author": prepared_by or brand.agency or "",
            },
        }

    def build(self, loaded: LoadedProfile, language: str | None = None,
              date: datetime.date | None = None) -> Playbook:
        report = self.report(loaded, language, date)
        from .render import MAIN_TEMPLATE

        template = f"{report['language']}/{MAIN_TEMPLATE}"
        markdown = self.renderer.render(template, self.context(loaded, report))
        if report["language"] == "fr":
            markdown = french_spacing(markdown)
        return Playbook(loaded.source, report["language"], report, markdown)

    # -- writers -------------------------------------------------------------
    @property
    def docx_writer(self):
        if self._docx_writer is None:
            from .docx_writer import DocxBrand, DocxWriter

            b = self.brand.brand
            options = {k: v for k, v in {
                "agency": b.agency or "", "logo": self.brand.logo_path,
                "primary_color": b.primary_color, "accent_color": b.accent_color,
                "heading_font": b.heading_font, "body_font": b.body_font,
                "footer_text": b.footer_text or "", "table_style": b.table_style,
                "footer_texts": tuple((language, b.for_language(language).footer_text or "")
                                      for language in ("en", "fr")),
            }.items() if v is not None}
            brand = DocxBrand(**options)
            files = [p for p in (self.reference, self.brand.logo_path) if p]
            self._docx_writer = shared("docx", (_signature(files), brand),
                                       lambda: DocxWriter(self.reference, brand, self.warn))
        return self._docx_writer

    def docx(self, playbook: Playbook, toc_pages: dict[str, int] | None = None) -> bytes:
        """The .docx; with `toc_pages` (each heading bookmark's page in the PDF's layout)
        its contents carry those page numbers."""
        return self.docx_writer.render(playbook.document, self.images, toc_pages)

    def html(self, playbook: Playbook) -> bytes:
        from .html_writer import render_html

        return render_html(playbook.document, self.brand.brand.for_language(playbook.language),
                           self.images).encode("utf-8")
