"""The Word output is schema-valid by proof: a strict OOXML validator (openxml-audit, with
Microsoft 365's rules: schema order, required parts and relationships, references
between parts) finds nothing in any sample in either language, in a branded document
with a logo, in the reference document itself, or in a document holding every
CommonMark corner the parser tests (lists, quotes, tables, code, breaks, pictures).
Word "repairs" or refuses what this validator flags; LibreOffice forgives it, so
opening the file there proves nothing."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from conftest import PROFILES, ROOT, SAMPLES
from openxml_audit import FileFormat, OpenXmlValidator

from playbook.brand import load_brand
from playbook.build import Builder
from playbook.docx_writer import DocxWriter
from playbook.paths import image_finder, search_path

VALIDATOR = OpenXmlValidator(file_format=FileFormat.MICROSOFT_365, max_errors=20)
BUILDER = Builder()


def findings(data: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "checked.docx"
    path.write_bytes(data)
    result = VALIDATOR.validate(str(path))
    return [f"{error.description} ({getattr(error, 'part_uri', '')} "
            f"{getattr(error, 'path', '')})" for error in result.errors]


@pytest.mark.parametrize("profile", SAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_sample_is_valid_word(profile, language, tmp_path):
    playbook = BUILDER.build(BUILDER.load(profile), language)
    assert findings(BUILDER.docx(playbook), tmp_path) == []


BRANDED = Builder(load_brand(ROOT / "examples" / "brand" / "brand.yaml"))


@pytest.mark.parametrize("profile", SAMPLES, ids=lambda p: p.name)
def test_every_sample_in_the_example_brand_is_valid_word(profile, tmp_path):
    """The other look: the brand's colours on the charts' cells, its logo, its fonts."""
    playbook = BRANDED.build(BRANDED.load(profile))
    assert findings(BRANDED.docx(playbook), tmp_path) == []


def test_a_branded_document_with_a_logo_is_valid_word(tmp_path):
    builder = Builder(load_brand(ROOT / "examples" / "brand" / "brand.yaml"))
    playbook = builder.build(builder.load(PROFILES / "verdi-snacks.yaml"))
    assert findings(builder.docx(playbook), tmp_path) == []


def test_the_reference_document_is_valid_word(tmp_path):
    data = (ROOT / "templates" / "reference.docx").read_bytes()
    assert findings(data, tmp_path) == []


def test_every_commonmark_corner_and_pictures_make_valid_word(tmp_path):
    sys.path.insert(0, str(Path(__file__).parent))
    from test_mdtree import CASES

    pictures = image_finder(search_path(Path(__file__).parent / "data"))
    markdown = ('---\ntitle: "T"\nclient: "C"\nlang: "fr"\n---\n\n# T\n\n<!-- pagebreak -->\n\n'
                '<!-- toc title="Sommaire" levels="2" -->\n\n'
                + "\n\n".join(CASES) + "\n\n![logo](logo.png)\n\n| a | ![b](logo.png) |\n|---|---|\n")
    data = DocxWriter().render(markdown, pictures)
    assert b"word/media/playbook-image-1.png" in data  # the pictures are in it
    assert findings(data, tmp_path) == []


def test_the_validator_does_find_a_schema_violation(tmp_path):
    """The check can fail: a paragraph property out of the schema's order is reported."""
    import zipfile

    data = DocxWriter().render("para\n")
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as broken:
        for name in source.namelist():
            content = source.read(name)
            if name == "word/document.xml":
                content = content.replace(b"<w:pPr>", b'<w:pPr><w:spacing w:after="0"/>'
                                          b'<w:keepNext/>', 1)
            broken.writestr(name, content)
    assert findings(out.getvalue(), tmp_path)


def reference_out_of_order(folder: Path) -> Path:
    """The built-in reference with Heading 1's w:pBdr moved after its w:spacing."""
    import zipfile

    source = ROOT / "templates" / "reference.docx"
    broken = folder / "broken.docx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(broken, "w") as out:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "word/styles.xml":
                text = data.decode("utf-8")
                start = text.index('w:styleId="Heading1"')
                border_at = text.index("<w:pBdr>", start)
                border = text[border_at:text.index("</w:pBdr>", border_at) + len("</w:pBdr>")]
                spacing_at = text.index("<w:spacing ", start)
                spacing = text[spacing_at:text.index("/>", spacing_at) + 2]
                text = (text[:border_at] + spacing + border
                        + text[border_at + len(border) + len(spacing):])
                assert text.index(border, start) > text.index(spacing, start)
                data = text.encode("utf-8")
            out.writestr(item, data)
    return broken


def test_a_reference_with_styles_out_of_order_is_named_and_repaired(tmp_path):
    """The issue's own case: Heading 1's w:pBdr after its w:spacing. The writer names
    the part, the style and the element in a warning, and the playbook it writes from
    that reference is valid Word all the same."""
    broken = reference_out_of_order(tmp_path)
    assert findings(broken.read_bytes(), tmp_path)  # the validator sees the fault
    warnings: list[str] = []
    data = DocxWriter(broken, warn=warnings.append).render("# T\n\n<!-- pagebreak -->\n\n## A\n")
    [warning] = [m for m in warnings if "schema's order" in m]
    assert "word/styles.xml" in warning and "'Heading1'" in warning and "<w:" in warning
    assert findings(data, tmp_path) == []
