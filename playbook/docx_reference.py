"""The reference .docx, read once and prepared for fast writing (pandoc's --reference-doc idea).

A consultant rebrands the Word output by restyling a reference document in Word. From
it the writer takes the styles, the list numbering, the settings, the page setup and,
when it has them, the header and footer; the body is always the playbook's own. This
module does the slow work once per process:

- resolve the style names the writer uses (`STYLES`) to the document's style ids;
  a style the document lacks is copied from the built-in reference, with a warning;
- apply the brand (fonts, colours, table style) to those styles;
- merge the writer's list definitions into the document's numbering;
- turn on `updateFields`, so Word fills the table of contents when the file opens
  (the writer takes it out when the contents already hold their page numbers);
- keep the parts the styles need (theme, fonts, footnote separators) and drop the
  rest of the reference's content (its body, comments, images).
"""

from __future__ import annotations

import io
import posixpath
import zlib
from pathlib import Path
from urllib.parse import unquote

from .bounded import SpecialFile, TooLarge, read_at_most
from .colours import readable_text_on, tint
from .errors import ReferenceDocError
from .records import Record, field


class _LazyEtree:
    """lxml.etree, imported on first use: a writer prepared from the cache (see
    docx_writer._PreparedCache) never reads XML, and lxml costs a one-shot command
    about a tenth of its start-up."""

    def __getattr__(self, name: str):
        from lxml import etree as module

        globals()["etree"] = module
        return getattr(module, name)


etree = _LazyEtree()


def deepcopy(element):
    """copy.deepcopy, imported on first use like lxml (a prepared writer copies nothing)."""
    import copy

    return copy.deepcopy(element)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml."


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


# Every style the writer uses: role -> (style type, name as Word names it). These are
# the names a consultant restyles in Word; README lists them.
STYLES: dict[str, tuple[str, str]] = {
    "normal": ("paragraph", "Normal"),
    "title": ("paragraph", "Title"),
    "subtitle": ("paragraph", "Subtitle"),
    "cover": ("paragraph", "Cover Text"),
    "heading1": ("paragraph", "heading 1"),
    "heading2": ("paragraph", "heading 2"),
    "heading3": ("paragraph", "heading 3"),
    "heading4": ("paragraph", "heading 4"),
    "toc_heading": ("paragraph", "TOC Heading"),
    "toc1": ("paragraph", "toc 1"),
    "toc2": ("paragraph", "toc 2"),
    "toc3": ("paragraph", "toc 3"),
    "bullet1": ("paragraph", "List Bullet"),
    "bullet2": ("paragraph", "List Bullet 2"),
    "bullet3": ("paragraph", "List Bullet 3"),
    "number1": ("paragraph", "List Number"),
    "number2": ("paragraph", "List Number 2"),
    "number3": ("paragraph", "List Number 3"),
    "quote": ("paragraph", "Quote"),
    "compact": ("paragraph", "Compact"),
    "code_block": ("paragraph", "Source Code"),
    "header": ("paragraph", "header"),
    "footer": ("paragraph", "footer"),
    "hyperlink": ("character", "Hyperlink"),
    "verbatim": ("character", "Verbatim Char"),
    "table": ("table", "Playbook Table"),
}

# Parts of the reference that the styles and settings rely on; everything else of
# its content (body images, comments, embedded objects) belongs to its own text.
KEPT_RELATIONSHIPS = {"styles", "numbering", "settings", "webSettings", "fontTable", "theme",
                      "footnotes", "endnotes", "stylesWithEffects"}

# Schema order of the children of w:rPr, w:style and w:tcPr: Word rejects a file whose
# elements are out of order, so inserted elements go to their place.
RPR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
             "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish",
             "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight",
             "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang")
STYLE_ORDER = ("name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden",
               "uiPriority", "semiHidden", "unhideWhenUsed", "qFormat", "locked", "personal",
               "personalCompose", "personalReply", "rsid", "pPr", "rPr", "tblPr", "trPr", "tcPr",
               "tblStylePr")
TCPR_ORDER = ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd")
PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
             "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens",
             "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN",
             "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing",
             "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment",
             "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")
TBL_STYLE_PR_ORDER = ("pPr", "rPr", "tblPr", "trPr", "tcPr")
# w:settings children that must come after w:updateFields.
SETTINGS_AFTER_UPDATE = ("hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars",
                         "rsids", "mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping",
                         "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures",
                         "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType",
                         "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags",
                         "decimalSymbol", "listSeparator")

LANGUAGE_TAGS = {"en": "en-GB", "fr": "fr-FR"}
_A4 = {"width": 11906, "height": 16838, "left": 1247, "right": 1247}


# a frozen record: the Word writer makes variants of it with records.replace
class DocxBrand(Record):
    """What the brand changes in the Word output (all optional)."""

    agency: str = ""
    logo: Path | None = None
    primary_color: str | None = None  # "#1F4E79": title and headings
    accent_color: str | None = None  # table header, callouts, rules, links
    heading_font: str | None = None
    body_font: str | None = None
    footer_text: str = ""
    table_style: str | None = None  # a table style name of the reference document
    footer_texts: tuple[tuple[str, str], ...] = ()  # (language, footer text) over footer_text


class Part(Record, frozen=False):
    """One part of the reference package, kept as it is."""

    name: str  # path inside the package, e.g. "word/theme/theme1.xml"
    data: bytes
    content_type: str | None  # None: covered by a Default (by extension)


class Reference(Record, frozen=False):
    """The prepared reference package: everything a playbook's .docx shares."""

    style_ids: dict[str, str]
    numbered_headings: set[int]  # Word heading levels whose style carries numbering
    styles: etree._Element  # styles.xml, brand applied; the language is set per document
    numbering_head: str  # numbering.xml up to where a document's own lists go
    numbering_tail: str
    next_num_id: int  # the first w:numId free for a document's numbered lists
    list_num_ids: dict[str, int]  # bullet, number, task_open, task_done -> w:numId
    number_abstract_id: int  # the abstractNum numbered lists restart from
    settings: bytes
    kept_parts: list[Part]
    kept_relationships: list[tuple[str, str, str]]  # (id, type, target) of document rels
    defaults: dict[str, str]  # extension -> content type
    section: etree._Element  # w:sectPr: page size, margins, columns...
    has_own_header: bool
    text_width: int  # twips between the margins
    warnings: list[str] = field(default_factory=list)


# -- reading --------------------------------------------------------------------

# Bounds on what a reference may make us read: a Word document's styles, theme and
# header are kilobytes; a header picture a few megabytes. Parts are read only when
# needed, each checked against its size as the archive declares it (zipfile never
# returns more than that), so a small file expanding to gigabytes is refused unread.
MAX_REFERENCE_BYTES = 64 * 1024 * 1024  # the .docx file itself
MAX_PART_BYTES = 16 * 1024 * 1024  # one part, uncompressed
MAX_READ_BYTES = 48 * 1024 * 1024  # every part read, uncompressed
MAX_PARTS = 10_000  # entries in the archive


class _Package:
    """The reference's ZIP archive, its parts read on demand and within the bounds."""

    def __init__(self, path: Path):
        self.path = path
        try:
            raw = read_at_most(path, MAX_REFERENCE_BYTES)
        except TooLarge as exc:
            raise ReferenceDocError(f"{path}: is too large ({exc.size:,} bytes, at most "
                                    f"{MAX_REFERENCE_BYTES:,}); a reference needs only styles, "
                                    "page setup, header and footer: delete the body's content "
                                    "and pictures in Word and save it again") from None
        except SpecialFile as exc:
            raise ReferenceDocError(f"{path}: cannot open as a Word document ({exc.kind}); "
                                    "give a .docx saved by Word or LibreOffice") from None
        except OSError as exc:
            raise ReferenceDocError(f"{path}: cannot open as a Word document "
                                    f"({exc.strerror or exc}); give a .docx saved by Word or "
                                    "LibreOffice") from None
        count = _entry_count(raw)
        if count is not None and count > MAX_PARTS:
            self._refuse(f"it holds {count:,} parts, more than {MAX_PARTS:,}")
        import zipfile  # here, like lxml: a prepared writer never opens the reference

        try:
            self.zip = zipfile.ZipFile(io.BytesIO(raw))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, ValueError, EOFError, OSError) as exc:
            raise ReferenceDocError(f"{path}: cannot open as a Word document ({exc}); "
                                    "give a .docx saved by Word or LibreOffice") from None
        if len(infos) > MAX_PARTS:
            self._refuse(f"it holds {len(infos):,} parts, more than {MAX_PARTS:,}")
        self.infos = {info.filename: info for info in infos if not info.filename.endswith("/")}
        self.read_bytes = 0

    def _refuse(self, reason: str):
        raise ReferenceDocError(f"{self.path}: refused: {reason}; open and save the document "
                                "in Word, or use another reference")

    def __contains__(self, name: str) -> bool:
        return name in self.infos

    def __getitem__(self, name: str) -> bytes:
        info = self.infos[name]
        if info.file_size > MAX_PART_BYTES:
            self._refuse(f"its part {name} expands to {info.file_size:,} bytes, more than "
                         f"{MAX_PART_BYTES:,}")
        self.read_bytes += info.file_size
        if self.read_bytes > MAX_READ_BYTES:
            self._refuse(f"its parts expand to more than {MAX_READ_BYTES:,} bytes")
        import zipfile

        try:
            return self.zip.read(info)
        except (zipfile.BadZipFile, zlib.error, ValueError, EOFError, OSError,
                NotImplementedError) as exc:
            raise ReferenceDocError(f"{self.path}: cannot open as a Word document ({name}: "
                                    f"{exc}); give a .docx saved by Word or LibreOffice") from None


def _entry_count(raw: bytes) -> int | None:
    """The entry count the archive's end record declares, read before zipfile builds
    an object per entry; None when there is no end record (zipfile then says why)."""
    end = raw.rfind(b"PK\x05\x06", max(0, len(raw) - 65_557))
    if end < 0 or end + 12 > len(raw):
        return None
    count = int.from_bytes(raw[end + 10:end + 12], "little")
    return None if count == 0xFFFF else count  # ZIP64: zipfile reads the real count


def _read_package(path: Path) -> _Package:
    return _Package(path)


def _xml(parts: _Package, name: str, source: Path) -> etree._Element | None:
    """A part parsed safely: no entity is ever expanded, no network, and a part that
    declares a DTD is refused (OPC forbids them in a package; written back without
    its DTD, an entity reference would make the output unreadable)."""
    if name not in parts:
        return None
    return _parse(parts[name], name, source)


def _parse(data: bytes, name: str, source: Path) -> etree._Element:
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                                 load_dtd=False)
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ReferenceDocError(f"{source}: {name} is not valid XML ({exc}); "
                                "open and save the file in Word to repair it") from None
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None or any(
            isinstance(node, etree._Entity) for node in root.iter()):
        raise ReferenceDocError(f"{source}: {name} declares a DTD or uses entities, which a "
                                "Word document never does; open and save the file in Word, "
                                "or use another reference")
    return root


def _relationships(parts: _Package, rels_name: str, source: Path):
    root = _xml(parts, rels_name, source)
    if root is None:
        return []
    return [(r.get("Id"), r.get("Type", ""), r.get("Target", ""), r.get("TargetMode"))
            for r in root.iter(f"{{{REL_NS}}}Relationship")]


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _part_name(folder: str, target: str, source: Path, rels_name: str) -> str:
    """The part a relationship's target names: relative to the source part's folder,
    or from the package root when it starts with '/' (both are valid OPC); a target
    leaving the package (`../../tmp/x.xml`) is refused."""
    decoded = unquote(target)
    name = posixpath.normpath(decoded.lstrip("/") if decoded.startswith("/")
                              else posixpath.join(folder, decoded))
    if not decoded or name in (".", "..") or name.startswith(("../", "/")) or "\\" in name:
        raise ReferenceDocError(f"{source}: {rels_name} links to '{target}', outside the "
                                "document; open and save the file in Word, or use another "
                                "reference")
    return name


def _main_part(parts: _Package, source: Path) -> str:
    for _, kind, target, _ in _relationships(parts, "_rels/.rels", source):
        if kind.endswith("/officeDocument"):
            return _part_name("", target, source, "_rels/.rels")
    if "word/document.xml" in parts:
        return "word/document.xml"
    raise ReferenceDocError(f"{source}: not a Word document (no main document part); "
                            "give a .docx file")


def _normalised_rels(parts: _Package, rels_name: str, owner: str, source: Path,
                     pending: list[str]) -> bytes:
    """A kept part's relationships, with every internal target rewritten relative to
    the part (the form every reader accepts) and queued to be kept in turn."""
    root = _xml(parts, rels_name, source)
    assert root is not None
    folder = posixpath.dirname(owner)
    for relationship in root.iter(f"{{{REL_NS}}}Relationship"):
        if relationship.get("TargetMode") == "External":
            continue
        name = _part_name(folder, relationship.get("Target", ""), source, rels_name)
        if name not in parts:
            raise ReferenceDocError(f"{source}: {rels_name} links to '{relationship.get('Target')}'"
                                    ", which the document does not contain; open and save the "
                                    "file in Word, or use another reference")
        relationship.set("Target", posixpath.relpath(name, folder or "."))
        pending.append(name)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def check_reference(path: Path) -> None:
    """Raise the ReferenceDocError `load_reference` would for a file that is not a
    readable Word package (for `validate`, without preparing anything)."""
    parts = _read_package(path)
    _xml(parts, "[Content_Types].xml", path)
    _xml(parts, _main_part(parts, path), path)


def load_reference(path: Path, builtin: Path, brand: DocxBrand) -> Reference:
    """Read the reference document at `path`, falling back on `builtin` for any style
    it lacks, and apply the brand."""
    parts = _read_package(path)
    main = _main_part(parts, path)
    folder = posixpath.dirname(main)
    builtin_parts = parts if path == builtin else _read_package(builtin)
    builtin_styles = _xml(builtin_parts, "word/styles.xml", builtin)

    content_types = _xml(parts, "[Content_Types].xml", path)
    defaults, overrides = {}, {}
    if content_types is not None:
        for item in content_types:
            if item.tag == f"{{{CT_NS}}}Default":
                defaults[item.get("Extension", "").lower()] = item.get("ContentType", "")
            elif item.tag == f"{{{CT_NS}}}Override":
                overrides[unquote(item.get("PartName", "")).lstrip("/")] = item.get("ContentType",
                                                                                     "")

    document = _xml(parts, main, path)
    section = None
    if document is not None:
        sections = document.findall(f"{w('body')}/{w('sectPr')}")
        section = sections[-1] if sections else None
    if section is None:
        section = _xml(builtin_parts, "word/document.xml", builtin).find(
            f"{w('body')}/{w('sectPr')}")
    section = deepcopy(section)

    # Relationships of the main part: keep what the styles need, and the reference's
    # own header and footer when its page setup uses them. Targets become part names.
    main_rels = _rels_name(main)
    rels = [(rid, kind, target if mode == "External" else
             _part_name(folder, target, path, main_rels), mode)
            for rid, kind, target, mode in _relationships(parts, main_rels, path)]
    by_id = {rid: (kind, target, mode) for rid, kind, target, mode in rels}
    header_ids = {ref.get(f"{{{R_NS}}}id") for ref in section
                  if ref.tag in (w("headerReference"), w("footerReference"))}
    has_own_header = bool(header_ids) and all(
        rid in by_id and by_id[rid][2] != "External" and by_id[rid][1] in parts
        for rid in header_ids)
    kept_relationships, roles = [], {}
    for rid, kind, name, mode in rels:
        role = kind.rsplit("/", 1)[-1]
        if mode == "External":
            continue
        if role in KEPT_RELATIONSHIPS or (has_own_header and rid in header_ids):
            kept_relationships.append((rid, kind, name))
            roles[role] = name

    styles_root = _xml(parts, roles["styles"], path) if "styles" in roles else None
    warnings: list[str] = []
    if header_ids and not has_own_header:
        warnings.append(f"{path}: its header or footer is missing from the document; "
                        "using the playbook's own (open and save the file in Word to repair it)")
    if not has_own_header:
        for ref in [r for r in section if r.tag in (w("headerReference"), w("footerReference"))]:
            section.remove(ref)
    if styles_root is None:
        styles_root = deepcopy(builtin_styles)
        if path != builtin:
            warnings.append(f"{path}: has no styles; using the built-in ones")
    if path != builtin:
        _put_in_schema_order(styles_root, f"{path}: {roles.get('styles', 'word/styles.xml')}",
                             warnings)
    style_ids, numbered = _resolve_styles(styles_root, builtin_styles, brand, path, warnings)
    _apply_brand(styles_root, style_ids, brand)

    numbering_root = _xml(parts, roles["numbering"], path) if "numbering" in roles else None
    numbering = _prepare_numbering(numbering_root)

    settings_root = _xml(parts, roles["settings"], path) if "settings" in roles else None
    if settings_root is None:
        settings_root = _xml(builtin_parts, "word/settings.xml", builtin)
    _enable_update_fields(settings_root)

    # The parts to carry over: those reachable from the kept relationships, except
    # the three this module rewrites (styles, numbering, settings). Each XML part is
    # parsed (refused if malformed or declaring a DTD); relationships are rewritten.
    rewritten = {roles.get(r) for r in ("styles", "numbering", "settings")}
    kept_parts: list[Part] = []
    seen: set[str] = set()
    pending = [name for _, _, name in kept_relationships]
    while pending:
        name = pending.pop(0)
        if name in seen or name in rewritten or name not in parts:
            continue
        seen.add(name)
        data = parts[name]
        content_type = overrides.get(name)
        if name.lower().endswith(".xml") or (content_type or "").endswith("xml"):
            _parse(data, name, path)
        kept_parts.append(Part(name, data, content_type))
        rels_name = _rels_name(name)
        if rels_name in parts:
            kept_parts.append(Part(rels_name, _normalised_rels(parts, rels_name, name, path,
                                                               pending), None))
    kept_relationships = [rel for rel in kept_relationships
                          if rel[1].rsplit("/", 1)[-1] not in ("styles", "numbering", "settings")]
    kept_relationships = [rel for rel in kept_relationships if rel[2] in seen]
    # the writer always writes word/document.xml: targets relative to word/
    kept_relationships = [(rid, kind, posixpath.relpath(name, "word"))
                          for rid, kind, name in kept_relationships]

    return Reference(
        style_ids=style_ids,
        numbered_headings=numbered,
        styles=styles_root,
        numbering_head=numbering[0],
        numbering_tail=numbering[1],
        next_num_id=numbering[2],
        list_num_ids=numbering[3],
        number_abstract_id=numbering[4],
        settings=etree.tostring(settings_root, xml_declaration=True, encoding="UTF-8",
                                standalone=True),
        kept_parts=kept_parts,
        kept_relationships=kept_relationships,
        defaults=defaults,
        section=section,
        has_own_header=has_own_header,
        text_width=_text_width(section),
        warnings=warnings,
    )


# -- styles ---------------------------------------------------------------------

def _style_index(root: etree._Element) -> dict[tuple[str, str], etree._Element]:
    index = {}
    for style in root.iter(w("style")):
        name = style.find(w("name"))
        if name is not None:
            index.setdefault((style.get(w("type"), "paragraph"), name.get(w("val"), "").lower()),
                             style)
    return index


def _resolve_styles(root, builtin_root, brand: DocxBrand, source: Path,
                    warnings: list[str]) -> tuple[dict[str, str], set[int]]:
    """Style ids for every role; missing styles copied from the built-in reference."""
    wanted = dict(STYLES)
    if brand.table_style:
        wanted["table"] = ("table", brand.table_style)
    index = _style_index(root)
    builtin_index = _style_index(builtin_root)
    ids = {s.get(w("styleId")) for s in root.iter(w("style"))}
    resolved: dict[str, str] = {}
    missing: list[str] = []
    for role, (kind, name) in wanted.items():
        style = index.get((kind, name.lower()))
        if style is None:
            fallback = builtin_index.get((kind, name.lower()))
            if fallback is None:  # a table style name that exists nowhere: use ours
                fallback = builtin_index[STYLES[role][0], STYLES[role][1].lower()]
                warnings.append(f"table_style: no table style named '{name}' in {source}; "
                                f"using '{STYLES[role][1]}' (give a table style of the "
                                "reference document, as Word names it)")
            else:
                missing.append(_display(name))
            style = _adopt_style(root, fallback, index, builtin_root, ids)
            index[(kind, name.lower())] = style
        resolved[role] = style.get(w("styleId"))
    if missing:
        which = "the built-in one" if len(missing) == 1 else "the built-in ones"
        warnings.append(f"{source}: no style named {', '.join(repr(m) for m in missing)}; "
                        f"using {which} (add the style in Word to change its look)")
    numbered = set()
    for level in range(1, 5):
        if _has_numbering(index[("paragraph", f"heading {level}")], root):
            numbered.add(level)
    return resolved, numbered


def _display(name: str) -> str:
    """'heading 1' -> 'Heading 1', 'toc 1' -> 'TOC 1', as Word shows them."""
    if name.lower().startswith("toc "):
        return "TOC" + name[3:]
    return name[:1].upper() + name[1:]


def _adopt_style(root, style, index, builtin_root, ids: set[str]) -> etree._Element:
    """Copy a built-in style into the reference's styles, renaming its id if taken and
    pointing its basedOn/next/link at the reference's styles of the same name."""
    adopted = deepcopy(style)
    style_id = adopted.get(w("styleId"))
    while style_id in ids:
        style_id += "Playbook"
    adopted.set(w("styleId"), style_id)
    ids.add(style_id)
    builtin_names = {s.get(w("styleId")): (s.get(w("type"), "paragraph"),
                                           s.find(w("name")).get(w("val"), "").lower())
                     for s in builtin_root.iter(w("style")) if s.find(w("name")) is not None}
    for tag in ("basedOn", "next", "link"):
        ref = adopted.find(w(tag))
        if ref is None:
            continue
        target = index.get(builtin_names.get(ref.get(w("val")), ("", "")))
        if target is None:
            adopted.remove(ref)
        else:
            ref.set(w("val"), target.get(w("styleId")))
    # The built-in list styles point at the built-in numbering; the writer numbers
    # each list paragraph itself, so the copy carries no numbering of its own.
    ppr = adopted.find(w("pPr"))
    if ppr is not None and ppr.find(w("numPr")) is not None:
        ppr.remove(ppr.find(w("numPr")))
    root.append(adopted)
    return adopted


def _has_numbering(style, root) -> bool:
    """Whether a style (or a style it is based on) numbers its paragraphs."""
    by_id = {s.get(w("styleId")): s for s in root.iter(w("style"))}
    seen = set()
    while style is not None and style.get(w("styleId")) not in seen:
        seen.add(style.get(w("styleId")))
        num = style.find(f"{w('pPr')}/{w('numPr')}/{w('numId')}")
        if num is not None:
            return num.get(w("val")) != "0"
        based = style.find(w("basedOn"))
        style = by_id.get(based.get(w("val"))) if based is not None else None
    return False


def _put_in_schema_order(styles_root, part: str, warnings: list[str]) -> None:
    """A style whose w:style, w:pPr or w:rPr children are out of the schema's order
    (Heading 1's w:pBdr after its w:spacing) makes a file Word may "repair" or refuse:
    each is put back in order, and named in a warning. Children this table does not
    know are left where they are, and so is their parent."""
    for style in styles_root.iter(w("style")):
        name = style.get(w("styleId")) or "?"
        for parent, order in ((style, STYLE_ORDER), (style.find(w("pPr")), PPR_ORDER),
                              (style.find(w("rPr")), RPR_ORDER)):
            if parent is None:
                continue
            children = [child for child in parent if isinstance(child.tag, str)]
            names = [etree.QName(child).localname for child in children]
            if not all(n in order for n in names):
                continue
            ranks = [order.index(n) for n in names]
            if ranks == sorted(ranks):
                continue
            late = next(names[i] for i in range(1, len(names)) if ranks[i] < ranks[i - 1])
            warnings.append(f"{part}: style '{name}': <w:{late}> is out of the schema's order "
                            f"in <w:{etree.QName(parent).localname}> (Word may repair or "
                            "refuse such a file); put back in order in the playbooks; save "
                            "the reference again in Word to fix it")
            for child in sorted(children, key=lambda c: order.index(etree.QName(c).localname)):
                parent.append(child)  # moves it: the children end up in order


def _child(parent, tag: str, order: tuple[str, ...]) -> etree._Element:
    """The child `tag` of `parent`, created at its schema position if absent."""
    found = parent.find(w(tag))
    if found is not None:
        return found
    element = etree.Element(w(tag))
    rank = order.index(tag)
    for index, existing in enumerate(parent):
        name = etree.QName(existing).localname if isinstance(existing.tag, str) else ""
        if name in order and order.index(name) > rank:
            parent.insert(index, element)
            return element
    parent.append(element)
    return element


def _set_font(rpr, font: str) -> None:
    fonts = _child(rpr, "rFonts", RPR_ORDER)
    for attribute in list(fonts.attrib):
        if attribute.endswith("Theme"):  # a theme font would win over the named one
            del fonts.attrib[attribute]
    for attribute in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(w(attribute), font)


def _set_color(rpr, colour: str) -> None:
    element = _child(rpr, "color", RPR_ORDER)
    for attribute in list(element.attrib):
        del element.attrib[attribute]
    element.set(w("val"), colour)


def _default_run_properties(root) -> etree._Element:
    """w:docDefaults/w:rPrDefault/w:rPr of styles.xml, created if absent."""
    defaults = root.find(w("docDefaults"))
    if defaults is None:
        defaults = etree.Element(w("docDefaults"))
        root.insert(0, defaults)
    rpr_default = defaults.find(w("rPrDefault"))
    if rpr_default is None:
        rpr_default = etree.Element(w("rPrDefault"))
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(w("rPr"))
    if rpr is None:
        rpr = etree.SubElement(rpr_default, w("rPr"))
    return rpr


def _apply_brand(root, ids: dict[str, str], brand: DocxBrand) -> None:
    by_id = {s.get(w("styleId")): s for s in root.iter(w("style"))}

    def rpr_of(role: str):
        return _child(by_id[ids[role]], "rPr", STYLE_ORDER)

    def ppr_of(role: str):
        return _child(by_id[ids[role]], "pPr", STYLE_ORDER)

    if brand.body_font:
        _set_font(_default_run_properties(root), brand.body_font)
        normal = by_id[ids["normal"]].find(f"{w('rPr')}/{w('rFonts')}")
        if normal is not None:
            _set_font(by_id[ids["normal"]].find(w("rPr")), brand.body_font)
    if brand.heading_font:
        for role in ("title", "subtitle", "heading1", "heading2", "heading3", "heading4",
                     "toc_heading"):
            _set_font(rpr_of(role), brand.heading_font)
    if brand.primary_color:
        colour = brand.primary_color.lstrip("#").upper()
        for role in ("title", "heading1", "heading2", "toc_heading"):
            _set_color(rpr_of(role), colour)
    if brand.accent_color:
        colour = brand.accent_color.lstrip("#").upper()
        for role in ("subtitle", "heading3", "hyperlink"):
            _set_color(rpr_of(role), colour)
        for role, side in (("subtitle", "bottom"), ("heading1", "bottom"), ("quote", "left")):
            border = ppr_of(role).find(f"{w('pBdr')}/{w(side)}")
            if border is not None:
                border.set(w("color"), colour)
        table = by_id[ids["table"]]
        header = next((p for p in table.findall(w("tblStylePr"))
                       if p.get(w("type")) == "firstRow"), None)
        if header is None:
            header = etree.SubElement(table, w("tblStylePr"))
            header.set(w("type"), "firstRow")
        tcpr = header.find(w("tcPr"))
        if tcpr is None:
            tcpr = etree.SubElement(header, w("tcPr"))
        shading = _child(tcpr, "shd", TCPR_ORDER)
        shading.attrib.clear()
        shading.set(w("val"), "clear")
        shading.set(w("color"), "auto")
        shading.set(w("fill"), colour)
        # the header's text: white or near-black, whichever reads better on the accent
        _set_color(_child(header, "rPr", TBL_STYLE_PR_ORDER), readable_text_on(colour))
        # callouts: the accent's border (above) on a pale tint of the accent
        quote = _child(ppr_of("quote"), "shd", PPR_ORDER)
        quote.attrib.clear()
        quote.set(w("val"), "clear")
        quote.set(w("color"), "auto")
        quote.set(w("fill"), tint(colour, 0.12))
    if brand.primary_color:
        _set_color(rpr_of("quote"), brand.primary_color.lstrip("#").upper())


def styles_for_language(reference: Reference, language: str) -> bytes:
    """styles.xml with the document language set, so Word spell-checks in it."""
    root = deepcopy(reference.styles)
    _child(_default_run_properties(root), "lang", RPR_ORDER)
    # A style of the reference may name its own language (Word's Normal often says
    # en-US): every one says the playbook's, or spell-check would use the wrong one.
    for lang in root.iter(w("lang")):
        lang.set(w("val"), LANGUAGE_TAGS.get(language, language))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# -- numbering ------------------------------------------------------------------

def _levels(kind: str) -> str:
    glyphs = {"bullet": "\u2022\u2013\u25aa", "task_open": "\u2610", "task_done": "\u2612"}
    out = []
    for level in range(9):
        indent = 360 * (level + 1)
        if kind == "number":
            fmt = ("decimal", "lowerLetter", "lowerRoman")[level % 3]
            text, fonts = f"%{level + 1}.", ""
        else:
            chars = glyphs[kind]
            fmt, text = "bullet", chars[level % len(chars)]
            font = "Segoe UI Symbol" if kind.startswith("task") else "Calibri"
            fonts = f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:hint="default"/></w:rPr>'
        out.append(f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                   f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
                   f'<w:pPr><w:ind w:left="{indent}" w:hanging="360"/></w:pPr>{fonts}</w:lvl>')
    return "".join(out)


_MARK = "PLAYBOOK-LISTS"


def _prepare_numbering(root) -> tuple[str, str, int, dict[str, int], int]:
    """numbering.xml split where a document's own numbered lists go, with the writer's
    list definitions added after the reference's own (fresh ids, no clash)."""
    if root is None:
        root = etree.fromstring(f'<w:numbering xmlns:w="{W_NS}"/>'.encode())
    abstract_ids = [int(a.get(w("abstractNumId"), "0")) for a in root.findall(w("abstractNum"))]
    num_ids = [int(n.get(w("numId"), "0")) for n in root.findall(w("num"))]
    next_abstract = max(abstract_ids, default=-1) + 1
    next_num = max(num_ids, default=0) + 1
    kinds = ("bullet", "number", "task_open", "task_done")
    abstract_of = {kind: next_abstract + i for i, kind in enumerate(kinds)}
    num_of = {kind: next_num + i for i, kind in enumerate(kinds)}
    xml = f'<w:numbering xmlns:w="{W_NS}">' + "".join(
        f'<w:abstractNum w:abstractNumId="{abstract_of[k]}"><w:multiLevelType '
        f'w:val="hybridMultilevel"/>{_levels(k)}</w:abstractNum>' for k in kinds) + "".join(
        f'<w:num w:numId="{num_of[k]}"><w:abstractNumId w:val="{abstract_of[k]}"/></w:num>'
        for k in kinds) + "</w:numbering>"
    ours = etree.fromstring(xml.encode())
    # Schema order: numPicBullet*, abstractNum*, num*, numIdMacAtCleanup?
    last_abstract = root.findall(w("abstractNum"))
    position = (root.index(last_abstract[-1]) + 1) if last_abstract else \
        len(root.findall(w("numPicBullet")))
    for element in ours.findall(w("abstractNum")):
        root.insert(position, element)
        position += 1
    nums = root.findall(w("num"))
    position = root.index(nums[-1]) + 1 if nums else position
    for element in ours.findall(w("num")):
        root.insert(position, element)
        position += 1
    root.insert(position, etree.Comment(_MARK))
    text = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                          standalone=True).decode("utf-8")
    head, tail = text.split(f"<!--{_MARK}-->")
    return head, tail, next_num + len(kinds), num_of, abstract_of["number"]


# -- settings and page ----------------------------------------------------------

def _enable_update_fields(root) -> None:
    """Ask Word to refresh fields (the table of contents) when the file opens."""
    existing = root.find(w("updateFields"))
    if existing is None:
        existing = etree.Element(w("updateFields"))
        for index, child in enumerate(root):
            name = etree.QName(child).localname if isinstance(child.tag, str) else ""
            if name in SETTINGS_AFTER_UPDATE:
                root.insert(index, existing)
                break
        else:
            root.append(existing)
    existing.set(w("val"), "true")


def _text_width(section) -> int:
    size, margins = section.find(w("pgSz")), section.find(w("pgMar"))

    def value(element, name: str, default: int) -> int:
        try:
            return int(float(element.get(w(name)))) if element is not None else default
        except (TypeError, ValueError):
            return default

    width = value(size, "w", _A4["width"])
    left, right = value(margins, "left", _A4["left"]), value(margins, "right", _A4["right"])
    gutter = value(margins, "gutter", 0)
    return max(width - left - right - gutter, 2000)


def section_xml(reference: Reference, header_refs: str) -> str:
    """The body's w:sectPr: the reference's page setup, our header and footer (unless
    the reference has its own), and a cover page without them (titlePg)."""
    section = deepcopy(reference.section)
    if not reference.has_own_header:
        for ref in [r for r in section if r.tag in (w("headerReference"), w("footerReference"))]:
            section.remove(ref)
    if section.find(w("titlePg")) is None:
        title_page = etree.Element(w("titlePg"))
        order = ("headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz",
                 "pgMar", "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols",
                 "formProt", "vAlign", "noEndnote", "titlePg")
        for index, child in enumerate(section):
            name = etree.QName(child).localname if isinstance(child.tag, str) else ""
            if name not in order:
                section.insert(index, title_page)
                break
        else:
            section.append(title_page)
    text = etree.tostring(section, encoding="unicode")
    if header_refs and not reference.has_own_header:
        # the references come first in w:sectPr
        close = text.index(">") + 1
        text = text[:close] + header_refs + text[close:]
    return text
