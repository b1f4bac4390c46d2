"""Build `templates/reference.docx`, the default look of every playbook.

The reference document holds only styles, list numbering, page setup and settings:
the Word writer takes those and writes its own body, header and footer. A consultant
restyles the deliverable by opening this file in Word, changing the styles it lists
(README, "Restyling in Word") and saving it as their own `--reference-doc`.

Written by hand rather than saved from Word so that every style is deliberate and the
file is byte-for-byte reproducible: `python tools/make_reference_docx.py` rewrites it,
and a test checks the committed file matches this script.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "templates" / "reference.docx"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# The palette: deep navy titles, a calm blue accent, soft greys.
TEXT = "262626"
PRIMARY = "1F3A5F"
ACCENT = "2E86AB"
MUTED = "5F6B7A"
CALLOUT_FILL = "EEF4F8"
BAND_FILL = "F5F7FA"
RULE = "D5DCE3"
BODY_FONT = "Calibri"
HEADING_FONT = "Calibri"
CODE_FONT = "Consolas"

# A4 with 2.2 cm side margins (twentieths of a point).
PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838
MARGIN_SIDE, MARGIN_TOP, MARGIN_BOTTOM = 1247, 1418, 1247
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN_SIDE


def fonts(name: str) -> str:
    return f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:cs="{name}" w:eastAsia="{name}"/>'


def paragraph_style(style_id: str, name: str, ppr: str = "", rpr: str = "",
                    based_on: str | None = "Normal", next_style: str | None = None,
                    extra: str = "", default: bool = False) -> str:
    flag = ' w:default="1"' if default else ""
    parts = [f'<w:style w:type="paragraph"{flag} w:styleId="{style_id}">', f'<w:name w:val="{name}"/>']
    if based_on:
        parts.append(f'<w:basedOn w:val="{based_on}"/>')
    if next_style:
        parts.append(f'<w:next w:val="{next_style}"/>')
    parts.append(extra or '<w:qFormat/>')
    if ppr:
        parts.append(f"<w:pPr>{ppr}</w:pPr>")
    if rpr:
        parts.append(f"<w:rPr>{rpr}</w:rPr>")
    parts.append("</w:style>")
    return "".join(parts)


def heading(level: int, size_half_points: int, color: str, before: int, after: int,
            border: bool = False) -> str:
    # w:pPr's children in the schema's order: keepNext, keepLines, pBdr, spacing, outlineLvl
    ppr = '<w:keepNext/><w:keepLines/>'
    if border:
        ppr += (f'<w:pBdr><w:bottom w:val="single" w:sz="12" w:space="6" '
                f'w:color="{ACCENT}"/></w:pBdr>')
    ppr += (f'<w:spacing w:before="{before}" w:after="{after}" w:line="240" w:lineRule="auto"/>'
            f'<w:outlineLvl w:val="{level - 1}"/>')
    rpr = f'{fonts(HEADING_FONT)}<w:b/><w:bCs/><w:color w:val="{color}"/>' \
          f'<w:sz w:val="{size_half_points}"/><w:szCs w:val="{size_half_points}"/>'
    return paragraph_style(f"Heading{level}", f"heading {level}", ppr, rpr,
                           next_style="Normal", extra='<w:uiPriority w:val="9"/><w:qFormat/>')


def list_style(style_id: str, name: str, num_id: int, level: int) -> str:
    indent = 360 * (level + 1)
    ppr = (f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
           f'<w:spacing w:after="60"/><w:ind w:left="{indent}" w:hanging="360"/>')
    return paragraph_style(style_id, name, ppr)


def toc_style(level: int) -> str:
    indent = 0 if level == 1 else 360 * (level - 1)
    ppr = (f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH}"/></w:tabs>'
           # single-spaced and tight: a two-level contents of ~45 entries fits one page
           f'<w:spacing w:before="{100 if level == 1 else 0}" w:after="{40 if level == 1 else 0}" '
           'w:line="240" w:lineRule="auto"/>'
           f'<w:ind w:left="{indent}"/>')
    rpr = "<w:b/>" if level == 1 else ""
    return paragraph_style(f"TOC{level}", f"toc {level}", ppr, rpr, next_style="Normal",
                           extra='<w:uiPriority w:val="39"/><w:unhideWhenUsed/>')


def styles_xml() -> str:
    header_footer_ppr = (f'<w:tabs><w:tab w:val="center" w:pos="{TEXT_WIDTH // 2}"/>'
                         f'<w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs>'
                         '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>')
    small_muted = f'<w:color w:val="{MUTED}"/><w:sz w:val="17"/><w:szCs w:val="17"/>'
    styles = [
        paragraph_style("Normal", "Normal", based_on=None, extra="<w:qFormat/>", default=True),
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        '<w:unhideWhenUsed/></w:style>',
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr>'
        '<w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
        '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
        '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>',
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>',
        paragraph_style(
            "Title", "Title",
            '<w:spacing w:before="2400" w:after="240" w:line="240" w:lineRule="auto"/>'
            '<w:contextualSpacing/>',
            f'{fonts(HEADING_FONT)}<w:b/><w:bCs/><w:color w:val="{PRIMARY}"/>'
            '<w:kern w:val="28"/><w:sz w:val="60"/><w:szCs w:val="60"/>',
            next_style="Subtitle", extra='<w:uiPriority w:val="10"/><w:qFormat/>'),
        paragraph_style(
            "Subtitle", "Subtitle",
            f'<w:pBdr><w:bottom w:val="single" w:sz="12" w:space="12" w:color="{ACCENT}"/></w:pBdr>'
            '<w:spacing w:before="0" w:after="480"/>',
            f'{fonts(HEADING_FONT)}<w:color w:val="{ACCENT}"/><w:sz w:val="36"/><w:szCs w:val="36"/>',
            next_style="CoverText", extra='<w:uiPriority w:val="11"/><w:qFormat/>'),
        paragraph_style(
            "CoverText", "Cover Text", '<w:spacing w:after="80"/>',
            f'<w:color w:val="{MUTED}"/><w:sz w:val="24"/><w:szCs w:val="24"/>'),
        heading(1, 40, PRIMARY, 360, 240, border=True),
        heading(2, 28, PRIMARY, 360, 120),
        heading(3, 24, ACCENT, 240, 80),
        heading(4, 22, TEXT, 200, 60),
        paragraph_style(
            "TOCHeading", "TOC Heading",
            '<w:keepNext/><w:spacing w:before="0" w:after="240"/>',
            f'{fonts(HEADING_FONT)}<w:b/><w:bCs/><w:color w:val="{PRIMARY}"/>'
            '<w:sz w:val="40"/><w:szCs w:val="40"/>',
            next_style="Normal", extra='<w:uiPriority w:val="39"/><w:unhideWhenUsed/><w:qFormat/>'),
        toc_style(1),
        toc_style(2),
        toc_style(3),
        list_style("ListBullet", "List Bullet", 1, 0),
        list_style("ListBullet2", "List Bullet 2", 1, 1),
        list_style("ListBullet3", "List Bullet 3", 1, 2),
        list_style("ListNumber", "List Number", 2, 0),
        list_style("ListNumber2", "List Number 2", 2, 1),
        list_style("ListNumber3", "List Number 3", 2, 2),
        paragraph_style(
            "Quote", "Quote",
            f'<w:pBdr><w:left w:val="single" w:sz="24" w:space="8" w:color="{ACCENT}"/></w:pBdr>'
            f'<w:shd w:val="clear" w:color="auto" w:fill="{CALLOUT_FILL}"/>'
            '<w:spacing w:before="120" w:after="200"/><w:ind w:left="227" w:right="227"/>',
            f'<w:color w:val="{PRIMARY}"/>', extra='<w:uiPriority w:val="29"/><w:qFormat/>'),
        paragraph_style(
            "Compact", "Compact", '<w:spacing w:before="40" w:after="40" w:line="240" '
            'w:lineRule="auto"/>', '<w:sz w:val="19"/><w:szCs w:val="19"/>'),
        paragraph_style(
            "SourceCode", "Source Code",
            f'<w:shd w:val="clear" w:color="auto" w:fill="{BAND_FILL}"/>'
            '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>',
            f'{fonts(CODE_FONT)}<w:sz w:val="19"/><w:szCs w:val="19"/>'),
        paragraph_style("Header", "header", header_footer_ppr, small_muted),
        paragraph_style("Footer", "footer", header_footer_ppr, small_muted),
        '<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/>'
        '<w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
        f'<w:rPr><w:color w:val="{ACCENT}"/><w:u w:val="single"/></w:rPr></w:style>',
        '<w:style w:type="character" w:styleId="VerbatimChar"><w:name w:val="Verbatim Char"/>'
        f'<w:basedOn w:val="DefaultParagraphFont"/><w:rPr>{fonts(CODE_FONT)}'
        '<w:sz w:val="19"/><w:szCs w:val="19"/></w:rPr></w:style>',
        table_style(),
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:styles xmlns:w="{W}" xmlns:r="{R}">'
        f'<w:docDefaults><w:rPrDefault><w:rPr>{fonts(BODY_FONT)}<w:color w:val="{TEXT}"/>'
        '<w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="en-GB" w:eastAsia="en-US" '
        'w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>'
        '<w:spacing w:after="140" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
        '</w:docDefaults>'
        + "".join(styles) + "</w:styles>"
    )


def table_style() -> str:
    border = f'w:val="single" w:sz="4" w:space="0" w:color="{RULE}"'
    return (
        '<w:style w:type="table" w:customStyle="1" w:styleId="PlaybookTable">'
        '<w:name w:val="Playbook Table"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>'
        '<w:pPr><w:spacing w:before="40" w:after="40" w:line="240" w:lineRule="auto"/></w:pPr>'
        '<w:rPr><w:sz w:val="19"/><w:szCs w:val="19"/></w:rPr>'
        f'<w:tblPr><w:tblBorders><w:top {border}/><w:bottom {border}/>'
        f'<w:insideH {border}/></w:tblBorders>'
        '<w:tblCellMar><w:top w:w="57" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="57" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/><w:color w:val="FFFFFF"/></w:rPr>'
        f'<w:tblPr/><w:trPr><w:tblHeader/></w:trPr><w:tcPr><w:shd w:val="clear" w:color="auto" '
        f'w:fill="{PRIMARY}"/></w:tcPr></w:tblStylePr>'
        '<w:tblStylePr w:type="band1Horz"><w:tblPr/><w:tcPr><w:shd w:val="clear" w:color="auto" '
        f'w:fill="{BAND_FILL}"/></w:tcPr></w:tblStylePr>'
        '</w:style>'
    )


def numbering_xml() -> str:
    def levels(kind: str) -> str:
        out = []
        for level in range(9):
            indent = 360 * (level + 1)
            if kind == "bullet":
                glyph = "\u2022\u2013\u25aa"[level % 3]
                fmt, text = "bullet", glyph
                rpr = '<w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:hint="default"/></w:rPr>'
            else:
                fmt = ("decimal", "lowerLetter", "lowerRoman")[level % 3]
                text, rpr = f"%{level + 1}.", ""
            out.append(f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                       f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
                       f'<w:pPr><w:ind w:left="{indent}" w:hanging="360"/></w:pPr>{rpr}</w:lvl>')
        return "".join(out)

    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:numbering xmlns:w="{W}">'
        '<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="hybridMultilevel"/>'
        f'{levels("bullet")}</w:abstractNum>'
        '<w:abstractNum w:abstractNumId="1"><w:multiLevelType w:val="hybridMultilevel"/>'
        f'{levels("number")}</w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
        '</w:numbering>'
    )


def document_xml() -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>'
        '<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>Reference document</w:t></w:r></w:p>'
        '<w:p><w:r><w:t xml:space="preserve">This file only carries styles, list numbering and '
        'page setup for playbooks. Change the styles (Home, Styles) and the page layout, '
        'save, and pass the file with --reference-doc.</w:t></w:r></w:p>'
        f'<w:sectPr><w:pgSz w:w="{PAGE_WIDTH}" w:h="{PAGE_HEIGHT}"/>'
        f'<w:pgMar w:top="{MARGIN_TOP}" w:right="{MARGIN_SIDE}" w:bottom="{MARGIN_BOTTOM}" '
        f'w:left="{MARGIN_SIDE}" w:header="624" w:footer="567" w:gutter="0"/>'
        '<w:cols w:space="708"/><w:docGrid w:linePitch="360"/></w:sectPr>'
        '</w:body></w:document>'
    )


def settings_xml() -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:settings xmlns:w="{W}"><w:zoom w:percent="100"/>'
        '<w:defaultTabStop w:val="708"/><w:characterSpacingControl w:val="doNotCompress"/>'
        '<w:compat><w:compatSetting w:name="compatibilityMode" '
        'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
        '</w:settings>'
    )


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.numbering+xml"/>'
    '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.fontTable+xml"/>'
    '<Override PartName="/word/theme/theme1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.theme+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
    'package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.extended-properties+xml"/>'
    '</Types>'
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
    'metadata/core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/extended-properties" Target="docProps/app.xml"/>'
    '</Relationships>'
)
DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/numbering" Target="numbering.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/settings" Target="settings.xml"/>'
    '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/fontTable" Target="fontTable.xml"/>'
    '<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/theme" Target="theme/theme1.xml"/>'
    '</Relationships>'
)
CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    '<dc:title>Playbook reference document</dc:title><dc:creator>playbook</dc:creator>'
    '</cp:coreProperties>'
)
APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    '<Application>playbook</Application></Properties>'
)


def office_parts() -> list[tuple[str, str]]:
    """The theme and font table every Word document carries (Word and the OOXML schema
    expect them), taken from python-docx's default template rather than written here:
    they are Office's own defaults, and the styles name their fonts explicitly anyway."""
    import docx

    default = Path(docx.__file__).resolve().parent / "templates" / "default.docx"
    with zipfile.ZipFile(default) as package:
        return [(name, package.read(name).decode("utf-8"))
                for name in ("word/fontTable.xml", "word/theme/theme1.xml")]


def build() -> bytes:
    import io

    parts = [
        ("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", PACKAGE_RELS),
        ("docProps/core.xml", CORE), ("docProps/app.xml", APP),
        ("word/document.xml", document_xml()), ("word/_rels/document.xml.rels", DOCUMENT_RELS),
        ("word/styles.xml", styles_xml()), ("word/numbering.xml", numbering_xml()),
        ("word/settings.xml", settings_xml()), *office_parts(),
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else TARGET
    target.write_bytes(build())
    print(f"wrote {target}")
