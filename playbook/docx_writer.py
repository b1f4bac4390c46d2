"""The Word writer: a playbook's Markdown -> a .docx, in a few milliseconds.

One `DocxWriter` per reference document and brand prepares everything documents
share (styles, numbering, header, footer, logo: see `docx_reference`), compressed
once; `render(markdown)` then only writes the body, the numbered lists, the core
properties and the header (it names the client), and zips them with the shared parts.
The body is WordprocessingML written directly from the Markdown's tree (`mdtree`):
building it through python-docx's object model costs ten times more.

What the Markdown becomes is in docs/markdown-dialect.md: the cover (everything before
the first page break), a table of contents field, headings in Word's Heading styles,
real numbered and bulleted lists, tables in the reference's table style with a header
row repeated on every page, callouts in the Quote style. Output is deterministic: the
same Markdown gives the same bytes (the document date comes from the front matter).
"""

from __future__ import annotations

import base64
import json
import os
import re
import zlib
from collections.abc import Callable, Mapping
from pathlib import Path

from . import mdtree
from .colours import tint
from .docx_reference import (
    LANGUAGE_TAGS,
    MAIN_TYPE,
    REL_TYPE,
    DocxBrand,
    Reference,
    load_reference,
    section_xml,
    styles_for_language,
)
from .errors import BrandError
from .mdtree import BOLD, CODE, ITALIC
from .paths import builtin_templates
from .records import Record, replace
from .zipwriter import Member, archive, member

__all__ = ["DocxBrand", "DocxWriter"]

NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
)
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
EMU_PER_CM = 360000
EMU_PER_PIXEL = 9525  # at 96 pixels an inch
EMU_PER_TWIP = 635
HEADER_LOGO_CM = (0.9, 5.0)  # (height, widest) of the logo in the page header
COVER_LOGO_CM = (2.2, 8.0)
DEFAULT_PAGE_LABEL = "Page {page} of {pages}"
SAFE_URL = re.compile(r"^(?:https?://|mailto:)", re.I)
MANUAL_NUMBER = re.compile(r"^\d+(?:\.\d+)*\.?\s+")
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")
# for a PDF's page numbers only: compiled on first use (`re` caches them)
UPDATE_FIELDS = rb"<w:updateFields\b[^>]*/>"
TOC_BOOKMARK = r'<w:bookmarkStart w:id="\d+" w:name="(_Toc\d{8})"/>'

HEADING_ROLES = {1: "title", 2: "heading1", 3: "heading2", 4: "heading3", 5: "heading4",
                 6: "heading4"}
# A chart's mark cells: a month of a timeline, a tenth of a bar (twips).
MARK_TWIPS = 482
BAR_TWIPS = 284
# white bands above and below a mark: bars stand apart from the rows and the header
GAPS = ('<w:tcBorders><w:top w:val="single" w:sz="18" w:space="0" w:color="FFFFFF"/>'
        '<w:bottom w:val="single" w:sz="18" w:space="0" w:color="FFFFFF"/></w:tcBorders>')
DEFAULT_CHART_COLOUR = "2E86AB"  # the built-in reference's accent (headings 3, links)
SHORT_LIST = 6  # items: a list this short is kept on one page
SHORT_TABLE = 8  # body rows: a table this short is kept on one page
LINK = 8  # with the tree's BOLD, ITALIC, CODE: a run inside a link (the writer's flag)
LIST_ROLES = {False: ("bullet1", "bullet2", "bullet3"), True: ("number1", "number2", "number3")}


def escape(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def attribute(text: str) -> str:
    return escape(text).replace('"', "&quot;")


class _Prepared(Record, frozen=False):
    """What every document of a writer shares, as plain data: the reference's facts the
    body needs, the compressed shared parts, the styles for English and French, the page
    section and the logo. Made from the reference with lxml once, then kept as JSON in
    the user's cache folder (`_PreparedCache`), so a one-profile command skips lxml and
    the reference's XML entirely."""

    style_ids: dict[str, str]
    numbered_headings: set[int]
    numbering_head: str
    numbering_tail: str
    next_num_id: int
    list_num_ids: dict[str, int]
    number_abstract_id: int
    has_own_header: bool
    text_width: int
    warnings: list[str]
    header_tabs: list[int]  # the tab stops of the Header style (cleared in our header)
    section: str  # the body's w:sectPr, header and footer references included
    relationships: str  # the document's relationships to the shared parts
    members: dict[str, Member]
    styles: dict[str, Member]  # language -> styles.xml
    logo: _Logo | None


class DocxWriter:
    """Writes playbooks with one reference document and brand."""

    def __init__(self, reference: Path | None = None, brand: DocxBrand | None = None,
                 warn: Callable[[str], None] | None = None):
        builtin = builtin_templates() / "reference.docx"
        self.brand = brand = brand or DocxBrand()
        self._reference_path, self._builtin = Path(reference or builtin), builtin
        self._loaded_reference: Reference | None = None
        cache = _PreparedCache(self._reference_path, builtin, brand)
        prepared = cache.read()
        if prepared is None:
            prepared = self._prepare()
            cache.write(prepared)
        self.prepared = prepared
        for message in prepared.warnings:
            (warn or (lambda m: None))(message)
        self.logo = prepared.logo
        self._shared = prepared.members
        self._relationships = prepared.relationships
        self._styles: dict[str, Member] = dict(prepared.styles)
        self._footers: dict[str, Member] = {}
        self._images: dict[tuple, _Logo | None] = {}  # template pictures, by file and version
        self._settings_fixed: Member | None = None

    def image(self, path: Path) -> _Logo | None:
        """A template's picture, read once per writer (a batch shows it in every
        document) and again only if the file changes; None if it is not an image."""
        try:
            stat = path.stat()
        except OSError:
            return None
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        if key not in self._images:
            try:
                self._images[key] = _Logo.load(path)
            except BrandError:
                self._images[key] = None
        return self._images[key]

    @property
    def reference(self) -> Reference:
        """The reference read with lxml: only needed to prepare, or for a language whose
        styles were not prepared."""
        if self._loaded_reference is None:
            self._loaded_reference = load_reference(self._reference_path, self._builtin, self.brand)
        return self._loaded_reference

    def _prepare(self) -> _Prepared:
        ref = self.reference
        logo = _Logo.load(self.brand.logo) if self.brand.logo else None
        members, relationships = self._shared_members(ref, logo)
        header_refs = ("" if ref.has_own_header else
                       '<w:headerReference w:type="default" r:id="rIdPbHeader"/>'
                       '<w:footerReference w:type="default" r:id="rIdPbFooter"/>')
        return _Prepared(
            style_ids=dict(ref.style_ids), numbered_headings=set(ref.numbered_headings),
            numbering_head=ref.numbering_head, numbering_tail=ref.numbering_tail,
            next_num_id=ref.next_num_id, list_num_ids=dict(ref.list_num_ids),
            number_abstract_id=ref.number_abstract_id, has_own_header=ref.has_own_header,
            text_width=ref.text_width, warnings=list(ref.warnings),
            header_tabs=_style_tabs(ref, ref.style_ids["header"]),
            section=section_xml(ref, header_refs), relationships=relationships,
            members=members, logo=logo,
            styles={language: member("word/styles.xml", styles_for_language(ref, language))
                    for language in LANGUAGE_TAGS})

    # -- parts every document shares -------------------------------------------------
    def _shared_members(self, ref: Reference, logo: _Logo | None) -> tuple[dict[str, Member], str]:
        parts: dict[str, bytes] = {part.name: part.data for part in ref.kept_parts}
        overrides = {part.name: part.content_type for part in ref.kept_parts if part.content_type}
        overrides.update({
            "word/document.xml": MAIN_TYPE + "document.main+xml",
            "word/styles.xml": MAIN_TYPE + "styles+xml",
            "word/numbering.xml": MAIN_TYPE + "numbering+xml",
            "word/settings.xml": MAIN_TYPE + "settings+xml",
            "docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
            "docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-"
                                "properties+xml",
        })
        defaults = {"rels": "application/vnd.openxmlformats-package.relationships+xml",
                    "xml": "application/xml", "png": "image/png", "jpeg": "image/jpeg",
                    **ref.defaults}
        rels = [(rid, kind, target) for rid, kind, target in ref.kept_relationships]
        rels += [("rIdPbStyles", REL_TYPE + "styles", "styles.xml"),
                 ("rIdPbNumbering", REL_TYPE + "numbering", "numbering.xml"),
                 ("rIdPbSettings", REL_TYPE + "settings", "settings.xml")]
        if not ref.has_own_header:
            overrides["word/playbook-header.xml"] = MAIN_TYPE + "header+xml"
            overrides["word/playbook-footer.xml"] = MAIN_TYPE + "footer+xml"
            rels += [("rIdPbHeader", REL_TYPE + "header", "playbook-header.xml"),
                     ("rIdPbFooter", REL_TYPE + "footer", "playbook-footer.xml")]
        if logo:
            parts[f"word/media/playbook-logo.{logo.extension}"] = logo.data
            defaults[logo.extension] = logo.content_type
            rels.append(("rIdPbLogo", REL_TYPE + "image",
                         f"media/playbook-logo.{logo.extension}"))
            parts["word/_rels/playbook-header.xml.rels"] = (
                f'{XML_HEAD}<Relationships xmlns="{RELS_NS}"><Relationship Id="rIdPbLogo" '
                f'Type="{REL_TYPE}image" Target="media/playbook-logo.{logo.extension}"/>'
                "</Relationships>").encode()
        content_types = [f'{XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/'
                         '2006/content-types">']
        content_types += [f'<Default Extension="{attribute(ext)}" ContentType="{attribute(kind)}"/>'
                          for ext, kind in sorted(defaults.items())]
        content_types += [f'<Override PartName="/{attribute(name)}" ContentType="{attribute(kind)}"/>'
                          for name, kind in sorted(overrides.items())]
        content_types.append("</Types>")
        relationships = "".join(
            f'<Relationship Id="{attribute(rid)}" Type="{attribute(kind)}" '
            f'Target="{attribute(target)}"/>' for rid, kind, target in rels)
        members = {
            "[Content_Types].xml": member("[Content_Types].xml",
                                          "".join(content_types).encode("utf-8")),
            "_rels/.rels": member("_rels/.rels", (
                f'{XML_HEAD}<Relationships xmlns="{RELS_NS}">'
                f'<Relationship Id="rId1" Type="{REL_TYPE}officeDocument" '
                'Target="word/document.xml"/>'
                '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
                'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
                f'<Relationship Id="rId3" Type="{REL_TYPE}extended-properties" '
                'Target="docProps/app.xml"/></Relationships>').encode()),
            "docProps/app.xml": member("docProps/app.xml", (
                f'{XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/'
                '2006/extended-properties"><Application>playbook</Application>'
                f'<Company>{escape(self.brand.agency)}</Company></Properties>').encode()),
            "word/settings.xml": member("word/settings.xml", ref.settings),
        }
        for name, data in sorted(parts.items()):
            members[name] = member(name, data)
        return members, relationships

    def _styles_member(self, language: str) -> Member:
        if language not in self._styles:
            self._styles[language] = member("word/styles.xml",
                                            styles_for_language(self.reference, language))
        return self._styles[language]

    def _footer_member(self, page_label: str, language: str) -> Member:
        key = f"{language}\n{page_label}"
        if key not in self._footers:
            self._footers[key] = member("word/playbook-footer.xml",
                                        self._footer_xml(page_label, language).encode("utf-8"))
        return self._footers[key]

    # -- one document ---------------------------------------------------------------------
    def render(self, markdown: str | mdtree.Document,
               images: Callable[[str], Path | None] | None = None,
               toc_pages: Mapping[str, int] | None = None) -> bytes:
        """The .docx bytes of one playbook's Markdown (text, or its parsed tree).
        `images` finds the file of an image's address (None: the description is shown).
        `toc_pages` gives the page of each heading's bookmark (`toc_bookmarks`), as laid
        out for the PDF: the contents then show those numbers, and Word opens the file
        without asking to update fields. Without them (or if one is missing) the
        contents list the headings without numbers and Word offers to fill them in."""
        document = markdown if isinstance(markdown, mdtree.Document) else mdtree.parse(markdown)
        meta = dict(document.meta)
        if not LANGUAGE_TAG.fullmatch(meta.get("lang", "")):
            meta["lang"] = "en"
        language = meta["lang"]
        body = _Body(self, document, images, toc_pages)
        ref = self.prepared
        relationships = self._relationships + "".join(
            f'<Relationship Id="{rid}" Type="{REL_TYPE}hyperlink" Target="{attribute(url)}" '
            'TargetMode="External"/>' for url, rid in body.links.items()) + "".join(
            f'<Relationship Id="{image.rid}" Type="{REL_TYPE}image" Target="{image.target}"/>'
            for image in body.pictures.values() if image)
        numbering = ref.numbering_head + "".join(body.numbers) + ref.numbering_tail
        document_xml = (f"{XML_HEAD}<w:document {NAMESPACES}><w:body>{''.join(body.out)}"
                        f"{ref.section}</w:body></w:document>")
        shared = self._shared
        members = [
            shared["[Content_Types].xml"], shared["_rels/.rels"],
            member("docProps/core.xml", _core_xml(meta, self.brand).encode("utf-8")),
            shared["docProps/app.xml"],
            member("word/document.xml", document_xml.encode("utf-8"), level=1),
            member("word/_rels/document.xml.rels",
                   f'{XML_HEAD}<Relationships xmlns="{RELS_NS}">{relationships}'
                   "</Relationships>".encode()),
            self._styles_member(language),
            member("word/numbering.xml", numbering.encode("utf-8")),
            shared["word/settings.xml"] if body.toc_dirty else self._settings_without_update(),
        ]
        if not ref.has_own_header:
            members.append(member("word/playbook-header.xml",
                                  self._header_xml(meta).encode("utf-8")))
            members.append(self._footer_member(meta.get("page_label") or DEFAULT_PAGE_LABEL,
                                               language))
        members += [m for name, m in self._shared.items() if name not in (
            "[Content_Types].xml", "_rels/.rels", "docProps/app.xml", "word/settings.xml")]
        members += [member(f"word/{image.target}", image.data, level=0)
                    for image in body.pictures.values() if image]
        return archive(members)

    def _settings_without_update(self) -> Member:
        """settings.xml without `w:updateFields`: for a document whose contents already
        hold their page numbers, so Word has nothing to ask on opening."""
        if self._settings_fixed is None:
            raw = zlib.decompress(self._shared["word/settings.xml"].data, -15)
            self._settings_fixed = member("word/settings.xml", re.sub(UPDATE_FIELDS, b"", raw))
        return self._settings_fixed

    @staticmethod
    def toc_bookmarks(docx: bytes) -> list[str]:
        """The bookmarks the contents point to, in the order of the headings."""
        import io
        import zipfile

        with zipfile.ZipFile(io.BytesIO(docx)) as package:
            body = package.read("word/document.xml").decode("utf-8")
        return re.findall(TOC_BOOKMARK, body)

    # -- header and footer -----------------------------------------------------------------
    def _header_xml(self, meta: dict[str, str]) -> str:
        """The agency's logo or name on the left (else the document's title), the client's
        name flush right, on one line: one right tab stop at the margin replaces the
        style's centre stop, which a long title ran past (the name then wrapped)."""
        style = self.prepared.style_ids["header"]
        if self.logo:
            left = self.logo.drawing("rIdPbLogo", HEADER_LOGO_CM, 1)
        else:
            left = _run(self.brand.agency or meta.get("title", ""))
        right = meta.get("client", "")
        width = self.prepared.text_width
        tabs = ("<w:tabs>" + "".join(f'<w:tab w:val="clear" w:pos="{pos}"/>'
                                     for pos in sorted(set(self.prepared.header_tabs))
                                     if pos != width)
                + f'<w:tab w:val="right" w:pos="{width}"/></w:tabs>')
        return (f'{XML_HEAD}<w:hdr {NAMESPACES}><w:p><w:pPr><w:pStyle w:val="{style}"/>{tabs}'
                f'</w:pPr>{left}<w:r><w:tab/></w:r>{_run(right)}</w:p></w:hdr>')

    def _footer_xml(self, page_label: str, language: str = "en") -> str:
        style = self.prepared.style_ids["footer"]
        fields = {"page": "PAGE", "pages": "NUMPAGES"}
        pieces = []
        for index, piece in enumerate(re.split(r"\{(page|pages)\}", page_label)):
            if index % 2:
                pieces.append(f'<w:fldSimple w:instr=" {fields[piece]} "><w:r><w:t>1</w:t></w:r>'
                              "</w:fldSimple>")
            elif piece:
                pieces.append(_run(piece))
        left = dict(self.brand.footer_texts).get(language) or self.brand.footer_text \
            or self.brand.agency
        return (f'{XML_HEAD}<w:ftr {NAMESPACES}><w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
                f'{_run(left) if left else ""}<w:r><w:tab/><w:tab/></w:r>{"".join(pieces)}'
                "</w:p></w:ftr>")


def _introduces(runs: list[mdtree.Run]) -> bool:
    """A paragraph that leads into the next one: it ends with a colon, or it is a short
    line all in bold (a label standing as a heading)."""
    if not runs:
        return False
    if runs[-1].text.rstrip(" \u00a0\u202f").endswith(":"):
        return True
    words = [run for run in runs if run.text.strip() or run.line_break]
    return (bool(words) and all(run.flags & BOLD and not run.line_break for run in words)
            and sum(len(run.text) for run in words) <= 80)


def _run(text: str, properties: str = "") -> str:
    rpr = f"<w:rPr>{properties}</w:rPr>" if properties else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _core_xml(meta: dict[str, str], brand: DocxBrand) -> str:
    date = meta.get("date", "")
    stamp = f"{date}T00:00:00Z" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else ""
    title = " \u2013 ".join(v for v in (meta.get("title"), meta.get("client")) if v)
    # The deliverable is the agency's: it is the author; the consultant who prepared
    # it is the last to have modified it.
    author = meta.get("agency") or brand.agency or meta.get("author", "")
    editor = meta.get("author") or author
    language = LANGUAGE_TAGS.get(meta.get("lang", ""), meta.get("lang", ""))
    fields = [
        ("dc:title", title), ("dc:subject", meta.get("subject", "")),
        ("dc:creator", author), ("cp:keywords", meta.get("keywords", "")),
        ("cp:lastModifiedBy", editor), ("dc:language", language),
        ("cp:version", meta.get("version", "")),
    ]
    body = "".join(f"<{tag}>{escape(value)}</{tag}>" for tag, value in fields if value)
    if stamp:
        body += (f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
                 f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>')
    return (f'{XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/'
            '2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"{body}</cp:coreProperties>")


class _Logo:
    """The agency's logo: its bytes, type and proportions."""

    def __init__(self, data: bytes, extension: str, content_type: str, width: int, height: int):
        self.data, self.extension, self.content_type = data, extension, content_type
        self.width, self.height = max(width, 1), max(height, 1)

    @classmethod
    def load(cls, path: Path) -> _Logo:
        from docx.image.exceptions import (
            InvalidImageStreamError,
            UnexpectedEndOfFileError,
            UnrecognizedImageError,
        )
        from docx.image.image import Image

        try:
            data = Path(path).read_bytes()
            image = Image.from_blob(data)
        except (OSError, InvalidImageStreamError, UnexpectedEndOfFileError,
                UnrecognizedImageError):
            raise BrandError.single(str(path), "the logo cannot be read as an image (damaged "
                                    "or cut short); export it again as PNG") from None
        extension = "png" if image.content_type == "image/png" else "jpeg"
        return cls(data, extension, image.content_type, image.px_width, image.px_height)

    def drawing(self, rid: str, size_cm: tuple[float, float], shape_id: int) -> str:
        """An inline picture `size_cm[0]` high, at most `size_cm[1]` wide."""
        height = int(size_cm[0] * EMU_PER_CM)
        width = int(height * self.width / self.height)
        widest = int(size_cm[1] * EMU_PER_CM)
        if width > widest:
            width, height = widest, int(widest * self.height / self.width)
        return _drawing(rid, width, height, shape_id, "Logo")


class _Picture(_Logo):
    """An image of the body (a template's `![description](path)`), stored per document."""

    def __init__(self, logo: _Logo, rid: str, number: int):
        super().__init__(logo.data, logo.extension, logo.content_type, logo.width, logo.height)
        self.rid, self.target = rid, f"media/playbook-image-{number}.{logo.extension}"

    def inline(self, widest_emu: int, shape_id: int, description: str) -> str:
        """At its natural size (96 pixels an inch), shrunk to the text width if wider."""
        width, height = self.width * EMU_PER_PIXEL, self.height * EMU_PER_PIXEL
        if width > widest_emu:
            width, height = widest_emu, int(widest_emu * self.height / self.width)
        return _drawing(self.rid, width, height, shape_id, description)


def _drawing(rid: str, width: int, height: int, shape_id: int, description: str) -> str:
    return (
        f'<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{width}" cy="{height}"/><wp:docPr id="{shape_id}" '
        f'name="Picture {shape_id}" descr="{attribute(description)}"/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/'
        f'picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="{shape_id}" name="Picture {shape_id}"/>'
        f'<pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="{rid}"/>'
        '<a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm>'
        f'<a:off x="0" y="0"/><a:ext cx="{width}" cy="{height}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
        '</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>')


class _PreparedCache:
    """A writer's prepared parts (`_Prepared`) as JSON in the user's cache folder (the
    knowledge cache's, `textcache.cache_folder`), keyed by everything they are made
    from: the reference and built-in .docx, the logo (path, size, modification time),
    the brand's options, and the writer's own source files, so any change prepares
    again. Data only, never code; any problem (no folder, a damaged entry) just means
    preparing as usual."""

    FORMAT = 2
    SOURCES = ("docx_writer.py", "docx_reference.py", "zipwriter.py", "bounded.py", "colours.py")

    def __init__(self, reference: Path, builtin: Path, brand: DocxBrand):
        from .textcache import cache_folder

        folder = cache_folder()
        stamps = []
        here = Path(__file__).resolve().parent
        for path in (reference, builtin, brand.logo, *(here / name for name in self.SOURCES)):
            if path is None:
                continue
            try:
                stat = Path(path).stat()
                stamps.append(f"{Path(path).resolve()}:{stat.st_size}:{stat.st_mtime_ns}")
            except OSError:
                stamps.append(f"{path}:missing")
        self.key = f"{self.FORMAT}|{'|'.join(stamps)}|{brand!r}"
        # the default look: no brand option set (an empty footer text per language is
        # none; it prepares the very same parts). Its key, which reads the reference and
        # the sources, is made only on a miss of the user's cache.
        plain = replace(
            brand, footer_texts=tuple(entry for entry in brand.footer_texts if entry[1]))
        self.default_look = (plain == DocxBrand()
                             and Path(reference).resolve() == Path(builtin).resolve())
        self.builtin = Path(builtin)
        name = self.key.encode("utf-8")
        self.entry = (folder / f"docx-{zlib.crc32(name):08x}{zlib.adler32(name):08x}.json"
                      if folder else None)

    def read(self) -> _Prepared | None:
        """The prepared parts from the user's cache, else (default look only) from the
        package's prebuilt file; None means preparing."""
        data = None
        if self.entry is not None:
            try:
                with open(self.entry, encoding="utf-8") as stream:
                    data = json.load(stream)
            except (OSError, ValueError):
                data = None
        if not isinstance(data, dict) or data.get("key") != self.key:
            data = None
            if self.default_look:
                from . import prebuilt

                try:
                    data = prebuilt.docx_prepared(self.default_key(self.builtin))
                except OSError:
                    data = None
                if data is not None:
                    self.entry = None  # nothing to write back: the package has it
        return _prepared_from(data) if data is not None else None

    def write(self, prepared: _Prepared) -> None:
        if self.entry is None:
            return
        try:
            self.entry.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.entry.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps(prepared_data(prepared, self.key)), encoding="utf-8")
            os.replace(temporary, self.entry)
        except (OSError, TypeError, ValueError):
            pass

    @classmethod
    def default_key(cls, builtin: Path) -> str:
        """What the default look's prepared parts are made from, by content (not by path
        or time, so the key a package ships holds wherever it is installed)."""
        from .prebuilt import checksum

        here = Path(__file__).resolve().parent
        sums = [checksum(path.read_bytes())
                for path in (builtin, *(here / name for name in cls.SOURCES))]
        return f"{cls.FORMAT}|default|{'|'.join(sums)}|{DocxBrand()!r}"


def prepared_data(prepared: _Prepared, key: str) -> dict:
    """The prepared parts as JSON data (`_PreparedCache`, tools/make_prebuilt.py)."""
    logo = prepared.logo
    return {
        "key": key, "style_ids": prepared.style_ids,
        "numbered_headings": sorted(prepared.numbered_headings),
        "numbering_head": prepared.numbering_head, "numbering_tail": prepared.numbering_tail,
        "next_num_id": prepared.next_num_id, "list_num_ids": prepared.list_num_ids,
        "number_abstract_id": prepared.number_abstract_id,
        "has_own_header": prepared.has_own_header, "text_width": prepared.text_width,
        "warnings": prepared.warnings, "header_tabs": prepared.header_tabs,
        "section": prepared.section,
        "relationships": prepared.relationships,
        "members": {name: _member_data(m) for name, m in prepared.members.items()},
        "styles": {lang: _member_data(m) for lang, m in prepared.styles.items()},
        "logo": {"data": base64.b64encode(logo.data).decode("ascii"),
                 "extension": logo.extension, "content_type": logo.content_type,
                 "width": logo.width, "height": logo.height} if logo else None,
    }


def _prepared_from(data: dict) -> _Prepared | None:
    try:
        logo = data["logo"]
        return _Prepared(
            style_ids=data["style_ids"], numbered_headings=set(data["numbered_headings"]),
            numbering_head=data["numbering_head"], numbering_tail=data["numbering_tail"],
            next_num_id=data["next_num_id"], list_num_ids=data["list_num_ids"],
            number_abstract_id=data["number_abstract_id"],
            has_own_header=data["has_own_header"], text_width=data["text_width"],
            warnings=data["warnings"], header_tabs=data["header_tabs"],
            section=data["section"],
            relationships=data["relationships"],
            members={name: _member_of(value) for name, value in data["members"].items()},
            styles={lang: _member_of(value) for lang, value in data["styles"].items()},
            logo=_Logo(base64.b64decode(logo["data"]), logo["extension"],
                       logo["content_type"], logo["width"], logo["height"]) if logo else None)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def _style_tabs(ref: Reference, style_id: str) -> list[int]:
    """The tab stop positions a paragraph style sets (twips)."""
    namespace = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for style in ref.styles.iter(f"{namespace}style"):
        if style.get(f"{namespace}styleId") == style_id:
            return [int(tab.get(f"{namespace}pos")) for tab in style.iter(f"{namespace}tab")
                    if (tab.get(f"{namespace}pos") or "").lstrip("-").isdigit()]
    return []


def _member_data(entry: Member) -> list:
    return [entry.name.decode("utf-8"), entry.crc, entry.size,
            base64.b64encode(entry.data).decode("ascii")]


def _member_of(value: list) -> Member:
    name, crc, size, data = value
    return Member(name.encode("utf-8"), int(crc), int(size), base64.b64decode(data))


class _Body:
    """Writes the blocks of one document as WordprocessingML paragraphs and tables."""

    def __init__(self, writer: DocxWriter, document: mdtree.Document,
                 images: Callable[[str], Path | None] | None = None,
                 toc_pages: Mapping[str, int] | None = None):
        self.writer = writer
        self.toc_pages = toc_pages or {}
        self.toc_dirty = False  # a contents without page numbers: Word is to fill them in
        self.ref = writer.prepared
        self.find_image = images or (lambda address: None)
        self.pictures: dict[str, _Picture | None] = {}  # address -> picture (None: unusable)
        self.shapes = 100  # drawing ids: 1 and 2 are the logo's
        self.picture_width = self.ref.text_width * EMU_PER_TWIP  # the widest
        self.styles = self.ref.style_ids
        self.run_properties = self._run_properties()
        self.out: list[str] = []
        self.links: dict[str, str] = {}  # url -> relationship id
        self.numbers: list[str] = []  # w:num elements of this document's numbered lists
        self.next_num = self.ref.next_num_id
        self.page_break = False
        self.after_table = False
        self.bookmark = 0
        self.toc_levels = max((b.levels for b in document.blocks if isinstance(b, mdtree.Toc)),
                              default=0)
        self.toc_entries: list[tuple[int, str, str]] = []  # (level, text, bookmark)
        blocks = document.blocks
        cover_end = next((i for i, b in enumerate(blocks) if isinstance(b, mdtree.PageBreak)),
                         None)
        if cover_end is not None and any(isinstance(b, mdtree.Heading) and b.level == 1
                                         for b in blocks[:cover_end]):
            self.cover(blocks[:cover_end])
            blocks = blocks[cover_end:]
        toc_at = None
        for block in blocks:
            if isinstance(block, mdtree.Toc):
                toc_at = len(self.out)
                self.out.append("")  # filled once every heading is known
                self.toc_title = block.title
                self.toc_break = self.page_break
                self.page_break = False
            else:
                self.block(block, 0)
        if toc_at is not None:
            self.out[toc_at] = self.toc()

    # -- paragraphs ---------------------------------------------------------------------------
    def paragraph(self, style: str | None, runs: list[mdtree.Run], extra: str = "",
                  content: str | None = None, indent: str = "", keep_next: bool = False) -> None:
        """One w:p; `extra` holds properties that come before w:spacing in the schema
        (numbering, borders), `indent` those after it. A paragraph that ends with a
        colon introduces what follows ("Indicators:"), and a short one all in bold is
        a heading in all but style: both are kept on the page of what follows."""
        ppr = f'<w:pStyle w:val="{style}"/>' if style else ""
        if keep_next or _introduces(runs):
            ppr += "<w:keepNext/>"
        if self.page_break:
            ppr += "<w:pageBreakBefore/>"
            self.page_break = False
        ppr += extra
        if self.after_table:  # Word puts no space between a table and what follows
            ppr += '<w:spacing w:before="160"/>'
            self.after_table = False
        ppr += indent
        self.out.append(f"<w:p><w:pPr>{ppr}</w:pPr>"
                        f"{self.runs(runs) if content is None else content}</w:p>")

    def runs(self, runs: list[mdtree.Run]) -> str:
        out = []
        open_url = None
        properties = self.run_properties
        for run in runs:
            url = run.url if run.url and SAFE_URL.match(run.url) else None
            if url != open_url:
                if open_url:
                    out.append("</w:hyperlink>")
                if url:
                    rid = self.links.setdefault(url, f"rIdPbLink{len(self.links) + 1}")
                    out.append(f'<w:hyperlink r:id="{rid}" w:history="1">')
                open_url = url
            if run.line_break:
                out.append("<w:r><w:br/></w:r>")
                continue
            if run.image is not None:
                picture = self.picture(run.image)
                if picture:
                    self.shapes += 1
                    out.append(picture.inline(self.picture_width, self.shapes, run.text))
                    continue
            text = escape(run.text)
            if "\t" in text:
                text = text.replace("\t", '</w:t><w:tab/><w:t xml:space="preserve">')
            out.append(f'{properties[run.flags | LINK if url else run.flags]}{text}</w:t></w:r>')
        if open_url:
            out.append("</w:hyperlink>")
        return "".join(out)

    def _run_properties(self) -> list[str]:
        """A run's opening up to its text, for each combination of BOLD, ITALIC, CODE and
        LINK (a link's style), made once per document rather than once per run."""
        openings = []
        for flags in range(2 * LINK):
            rpr = ""
            if flags & CODE:
                rpr += f'<w:rStyle w:val="{self.styles["verbatim"]}"/>'
            elif flags & LINK:
                rpr += f'<w:rStyle w:val="{self.styles["hyperlink"]}"/>'
            if flags & BOLD:
                rpr += "<w:b/><w:bCs/>"
            if flags & ITALIC:
                rpr += "<w:i/><w:iCs/>"
            openings.append(f'<w:r>{"<w:rPr>" + rpr + "</w:rPr>" if rpr else ""}'
                            '<w:t xml:space="preserve">')
        return openings

    def picture(self, address: str) -> _Picture | None:
        """The picture an image's address names, loaded once per document; None (the
        description is written instead) when it is not an image file the templates hold."""
        if address not in self.pictures:
            path = self.find_image(address)
            picture = None
            image = self.writer.image(path) if path is not None else None
            if image is not None:
                picture = _Picture(image, f"rIdPbImage{len(self.pictures) + 1}",
                                   len(self.pictures) + 1)
            self.pictures[address] = picture
        return self.pictures[address]

    # -- blocks ------------------------------------------------------------------------------
    def block(self, block, depth: int, style: str | None = None) -> None:
        kind = type(block)
        if kind is mdtree.Paragraph:
            self.paragraph(style or None, block.runs)
        elif kind is mdtree.Heading:
            self.heading(block)
        elif kind is mdtree.ListBlock:
            self.list(block, depth)
        elif kind is mdtree.Table:
            self.table(block)
        elif kind is mdtree.Quote:
            for inner in block.blocks:
                self.block(inner, depth, self.styles["quote"])
        elif kind is mdtree.PageBreak:
            self.page_break = True
        elif kind is mdtree.CodeBlock:
            runs = []
            for index, line in enumerate(block.text.split("\n")):
                if index:
                    runs.append(mdtree.Run("", line_break=True))
                runs.append(mdtree.Run(line))
            self.paragraph(self.styles["code_block"], runs)
        elif kind is mdtree.Rule:
            self.paragraph(None, [], '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" '
                                     'w:color="auto"/></w:pBdr>')
        elif kind is mdtree.Toc:
            pass  # only one table of contents, placed by __init__

    def heading(self, block: mdtree.Heading) -> None:
        role = HEADING_ROLES[block.level]
        runs = block.runs
        word_level = block.level - 1
        if word_level in self.ref.numbered_headings and runs and MANUAL_NUMBER.match(runs[0].text):
            # the reference numbers this heading level itself: drop the text's "2. "
            runs = [mdtree.Run(MANUAL_NUMBER.sub("", runs[0].text, count=1), runs[0].flags,
                                runs[0].url)] + runs[1:]
        if 1 <= word_level <= self.toc_levels:
            self.bookmark += 1
            name = f"_Toc{self.bookmark:08d}"
            self.toc_entries.append((word_level, "".join(r.text for r in runs), name))
            content = (f'<w:bookmarkStart w:id="{self.bookmark}" w:name="{name}"/>'
                       f'{self.runs(runs)}<w:bookmarkEnd w:id="{self.bookmark}"/>')
            self.paragraph(self.styles[role], runs, content=content, keep_next=True)
        else:  # kept with what follows even if a user's reference style forgets it
            self.paragraph(self.styles[role], runs, keep_next=True)

    def list(self, block: mdtree.ListBlock, depth: int) -> None:
        level = min(depth, 2)
        style = self.styles[LIST_ROLES[block.ordered][level]]
        num_ids = self.ref.list_num_ids
        if block.ordered:  # each numbered list restarts: its own w:num
            num_id = self.next_num
            self.next_num += 1
            self.numbers.append(
                f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{self.ref.number_abstract_id}"/>'
                f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="{block.start}"/>'
                "</w:lvlOverride></w:num>")
        # A short list stays on one page (each item kept with the next): no page ends
        # on a list's first item or starts with its last one.
        together = len(block.items) <= SHORT_LIST
        for index, item in enumerate(block.items):
            keep = together and index < len(block.items) - 1
            if item.checked is not None:
                item_num = num_ids["task_done" if item.checked else "task_open"]
            else:
                item_num = num_id if block.ordered else num_ids["bullet"]
            numbered = f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{item_num}"/></w:numPr>'
            first = True
            for inner in item.blocks or [mdtree.Paragraph([])]:
                if isinstance(inner, mdtree.Paragraph):
                    if first:
                        self.paragraph(style, inner.runs, numbered,
                                       keep_next=keep or len(item.blocks) > 1)
                    else:  # a further paragraph of the same item: body text under it
                        self.paragraph(None, inner.runs,
                                       indent=f'<w:ind w:left="{360 * (level + 1)}"/>')
                    first = False
                else:
                    if first:  # an item that starts with a block: give it its bullet alone
                        self.paragraph(style, [], numbered)
                        first = False
                    self.block(inner, depth + 1)

    def table(self, block: mdtree.Table) -> None:
        if self.page_break:  # a table cannot carry the break: an empty paragraph does
            self.paragraph(None, [])
        columns = len(block.header)
        marks = mdtree.chart_columns(block)
        if any(marks):
            self.chart(block, marks)
            return
        widths = _column_widths(block, self.ref.text_width)
        compact = self.styles["compact"]
        out = [f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.styles["table"]}"/>'
               '<w:tblW w:w="5000" w:type="pct"/><w:tblLayout w:type="fixed"/>'
               '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
               'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>']
        out += [f'<w:gridCol w:w="{width}"/>' for width in widths]
        out.append("</w:tblGrid>")
        justify = {"center": '<w:jc w:val="center"/>', "right": '<w:jc w:val="right"/>'}
        # A short table stays on one page (every row kept with the next, Word's way of
        # keeping a table together): no page holds only its last row. The header row of
        # any table stays with the first row: never alone at a page's foot.
        together = len(block.rows) <= SHORT_TABLE
        for row_index, row in enumerate([block.header] + block.rows):
            kept = row_index < len(block.rows) and (together or row_index == 0)
            keep = "<w:keepNext/>" if kept else ""
            out.append("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if row_index == 0
                       else "<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            for column in range(columns):
                cell = row[column] if column < len(row) else []
                jc = justify.get(block.aligns[column] or "", "")
                self.picture_width = (widths[column] - 216) * EMU_PER_TWIP  # less the margins
                out.append(f'<w:tc><w:tcPr><w:tcW w:w="{widths[column]}" w:type="dxa"/></w:tcPr>'
                           f'<w:p><w:pPr><w:pStyle w:val="{compact}"/>{keep}{jc}</w:pPr>'
                           f"{self.runs(cell)}</w:p></w:tc>")
            out.append("</w:tr>")
        out.append("</w:tbl>")
        self.picture_width = self.ref.text_width * EMU_PER_TWIP
        self.out.append("".join(out))
        self.after_table = True

    def chart(self, block: mdtree.Table, marks: list[int]) -> None:
        """A chart's table (a timeline, bars): each mark of a mark column becomes a
        narrow cell of its own, shaded in the brand's accent when filled (■ █) and in
        its pale tint when empty (□ ░); a cell without a mark has no shading. It stays
        a real table: in Word, a cell's shading is what one edits to move a bar."""
        accent = (self.writer.brand.accent_color or DEFAULT_CHART_COLOUR).lstrip("#").upper()
        fills = {**dict.fromkeys(mdtree.FILLED_MARKS, accent),
                 **dict.fromkeys(mdtree.EMPTY_MARKS, tint(accent, 0.2))}
        cell_width = [0 if count == 0 else MARK_TWIPS if count == 1 else BAR_TWIPS
                      for count in marks]
        text_columns = [c for c, count in enumerate(marks) if count == 0]
        room = self.ref.text_width - sum(w * n for w, n in zip(cell_width, marks, strict=True))
        text_widths = _column_widths(mdtree.Table(
            [block.header[c] for c in text_columns],
            [[row[c] if c < len(row) else [] for c in text_columns] for row in block.rows],
            [block.aligns[c] for c in text_columns]), room) if text_columns else []
        widths = dict(zip(text_columns, text_widths, strict=True))
        compact = self.styles["compact"]
        out = [f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.styles["table"]}"/>'
               '<w:tblW w:w="5000" w:type="pct"/><w:tblLayout w:type="fixed"/>'
               '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
               'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>']
        for column, count in enumerate(marks):
            out += ([f'<w:gridCol w:w="{widths[column]}"/>'] if count == 0
                    else [f'<w:gridCol w:w="{cell_width[column]}"/>'] * count)
        out.append("</w:tblGrid>")
        justify = {"center": '<w:jc w:val="center"/>', "right": '<w:jc w:val="right"/>'}
        no_margins = ('<w:tcMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/>'
                      "</w:tcMar>")
        for row_index, row in enumerate([block.header] + block.rows):
            out.append("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if row_index == 0
                       else "<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            for column, count in enumerate(marks):
                cell = row[column] if column < len(row) else []
                jc = justify.get(block.aligns[column] or "", "")
                if count == 0 or row_index == 0:  # text, or a mark column's heading
                    width = widths[column] if count == 0 else cell_width[column] * count
                    span = f'<w:gridSpan w:val="{count}"/>' if count > 1 else ""
                    margins = no_margins if count else ""
                    self.picture_width = (width - 216) * EMU_PER_TWIP
                    keep = "<w:keepNext/>" if row_index == 0 and block.rows else ""
                    out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}'
                               f'{margins}</w:tcPr><w:p><w:pPr><w:pStyle w:val="{compact}"/>'
                               f"{keep}{jc}</w:pPr>{self.runs(cell)}</w:p></w:tc>")
                    continue
                cell_marks = mdtree.chart_marks(cell) or ""
                for index in range(count):
                    mark = cell_marks[index] if index < len(cell_marks) else ""
                    shading = (f'<w:shd w:val="clear" w:color="auto" w:fill="{fills[mark]}"/>'
                               if mark else "")
                    out.append(f'<w:tc><w:tcPr><w:tcW w:w="{cell_width[column]}" w:type="dxa"/>'
                               f"{GAPS}{shading}{no_margins}</w:tcPr>"
                               f'<w:p><w:pPr><w:pStyle w:val="{compact}"/></w:pPr></w:p></w:tc>')
            out.append("</w:tr>")
        out.append("</w:tbl>")
        self.picture_width = self.ref.text_width * EMU_PER_TWIP
        self.out.append("".join(out))
        self.after_table = True

    # -- cover and contents -----------------------------------------------------------------
    def cover(self, blocks: list) -> None:
        """Logo, Title, Subtitle (the first paragraph after the title), Cover Text."""
        logo = self.writer.logo
        if logo:
            self.paragraph(self.styles["cover"], [],
                           content=logo.drawing("rIdPbLogo", COVER_LOGO_CM, 2))
        after_title = None
        for block in blocks:
            if isinstance(block, mdtree.Heading) and block.level == 1:
                self.paragraph(self.styles["title"], block.runs)
                after_title = 0
            elif isinstance(block, mdtree.Paragraph) and after_title is not None:
                role = "subtitle" if after_title == 0 else "cover"
                self.paragraph(self.styles[role], block.runs)
                after_title += 1
            else:
                self.block(block, 0, self.styles["cover"])

    def toc(self) -> str:
        """A TOC field with its entries already filled in: one paragraph per heading, a
        link to the heading's bookmark and a PAGEREF field to its page, so the contents
        read well in every program before any update. When the pages are known (the
        PDF's layout, `toc_pages`) they are the PAGEREF results and the field is clean;
        otherwise the field is marked dirty for Word to fill the numbers in."""
        width = self.ref.text_width
        entries = self.toc_entries
        known = bool(entries) and all(bookmark in self.toc_pages for _, _, bookmark in entries)
        self.toc_dirty = not known
        page_break = "<w:pageBreakBefore/>" if self.toc_break else ""
        title = (f'<w:p><w:pPr><w:pStyle w:val="{self.styles["toc_heading"]}"/>{page_break}'
                 f"</w:pPr>{_run(self.toc_title)}</w:p>" if self.toc_title else "")
        dirty = ' w:dirty="true"' if self.toc_dirty else ""
        begin = (f'<w:r><w:fldChar w:fldCharType="begin"{dirty}/></w:r>'
                 f'<w:r><w:instrText xml:space="preserve"> TOC \\o "1-{self.toc_levels}" \\h \\z '
                 '\\u </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>')
        end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        paragraphs = []
        for index, (level, text, bookmark) in enumerate(entries or [(1, "", "")]):
            style = self.styles[f"toc{min(level, 3)}"]
            tabs = f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{width}"/></w:tabs>'
            content = ""
            if bookmark:
                page = self.toc_pages.get(bookmark)
                number = _run(str(page)) if known and page is not None else ""
                content = (f'<w:hyperlink w:anchor="{bookmark}" w:history="1">{_run(text)}'
                           '<w:r><w:tab/></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                           f'<w:r><w:instrText xml:space="preserve"> PAGEREF {bookmark} \\h '
                           '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                           f'{number}<w:r><w:fldChar w:fldCharType="end"/></w:r>'
                           "</w:hyperlink>")
            first_break = page_break if index == 0 and not title else ""  # no title: break here
            paragraphs.append(
                f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{first_break}{tabs}</w:pPr>'
                f'{begin if index == 0 else ""}{content}'
                f'{end if index == max(len(entries), 1) - 1 else ""}</w:p>')
        return title + "".join(paragraphs)


# A character of table text is at most about this wide (10-point bold), and a cell
# adds its left and right margins: a column narrower than its longest
# word breaks that word letter by letter ("Résea/u", "10/0 %").
CHAR_TWIPS = 140  # wide enough for a substitute font (DejaVu Sans for Calibri)
CELL_PADDING_TWIPS = 260


def _column_widths(block: mdtree.Table, total: int) -> list[int]:
    """Column widths in twips: each column at least as wide as its longest word (header
    included), the rest shared out by how much text each column holds."""
    columns = len(block.header)
    weights, floors = [], []
    for column in range(columns):
        header_cell = block.header[column]
        header = sum(len(r.text) for r in header_cell)
        longest_word = max((len(word) for r in header_cell for word in r.text.split()),
                           default=1)
        lengths = []
        for row in block.rows:  # the hot loop of a table: written out
            length = 0
            if column < len(row):
                for run in row[column]:
                    text = run.text
                    if text:
                        length += len(text)
                        longest_word = max(longest_word, *map(len, text.split()), 1)
            lengths.append(length)
        lengths = lengths or [0]
        typical = sum(lengths) / len(lengths)
        weights.append(max(header * 0.6, min(typical + 0.3 * (max(lengths) - typical), 60), 3))
        floors.append(min(longest_word, 24) * CHAR_TWIPS + CELL_PADDING_TWIPS)
    if sum(floors) >= total:  # too many columns for the page: keep the floors' proportions
        weights, floors = floors, [0] * columns
    # Columns whose share falls below their floor get the floor; the others share the rest.
    fixed: dict[int, int] = {}
    while True:
        free = [c for c in range(columns) if c not in fixed]
        if not free:  # cannot happen while the floors fit; a guard all the same
            scale = 0
            break
        room = total - sum(fixed.values())
        scale = room / sum(weights[c] for c in free)
        short = [c for c in free if weights[c] * scale < floors[c]]
        if not short:
            break
        for c in short:
            fixed[c] = floors[c]
    widths = [fixed.get(c, int(weights[c] * scale)) for c in range(columns)]
    widths[-1] += total - sum(widths)
    return widths
