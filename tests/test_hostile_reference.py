"""Issue 14: a reference .docx and a logo are read with bounds, their parts normalised;
what cannot be made valid is refused with a clear error, and no corrupt .docx is ever
written with exit code 0."""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from pathlib import Path

import docx
from conftest import PROFILES, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playbook import docx_reference
from playbook.cli import main

BUILTIN = ROOT / "templates" / "reference.docx"
STUDIO = PROFILES / "studio-nomad.yaml"
DATE = ["--date", "2026-11-22"]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_HEADER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
HEADER = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr xmlns:w="{W}">'
          '<w:p><w:r><w:t>Agency header</w:t></w:r></w:p></w:hdr>').encode()


def reference_with(changes: dict[str, bytes | None], *, header_target: str | None = None,
                   header_part: str = "word/header1.xml") -> bytes:
    """The built-in reference, its parts changed (None deletes one), and optionally a
    header linked from the document's relationships with `header_target`."""
    source = zipfile.ZipFile(BUILTIN)
    parts = {name: source.read(name) for name in source.namelist()}
    if header_target is not None:
        parts[header_part] = HEADER
        rels = parts["word/_rels/document.xml.rels"].decode()
        parts["word/_rels/document.xml.rels"] = rels.replace(
            "</Relationships>", f'<Relationship Id="rIdH1" Type="{REL_HEADER}" '
            f'Target="{header_target}"/></Relationships>').encode()
        document = parts["word/document.xml"].decode()
        if 'xmlns:r=' not in document.split(">", 2)[1]:
            document = document.replace("<w:document ", f'<w:document xmlns:r="{R}" ', 1)
        parts["word/document.xml"] = document.replace(
            "<w:sectPr>", '<w:sectPr><w:headerReference w:type="default" r:id="rIdH1"/>').encode()
        types = parts["[Content_Types].xml"].decode()
        parts["[Content_Types].xml"] = types.replace("</Types>", (
            f'<Override PartName="/{header_part}" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.header+xml"/></Types>')).encode()
    for name, data in changes.items():
        if data is None:
            parts.pop(name, None)
        else:
            parts[name] = data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return out.getvalue()


def render(runner, tmp_path: Path, reference: bytes, *extra):
    path = tmp_path / "ref.docx"
    path.write_bytes(reference)
    out = tmp_path / "out"
    result = runner.invoke(main, ["render", str(STUDIO), "--reference-doc", str(path), "-o",
                                  str(out), "-f", "docx", *extra, *DATE])
    assert "Traceback" not in result.output
    return result, out


# -- 6. parts normalised ---------------------------------------------------------------

@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["header1.xml", "./header1.xml", "/word/header1.xml",
                        "../word/header1.xml", "header%31.xml", "/word/../word/header1.xml"]))
def test_every_valid_form_of_a_header_target_keeps_the_header(runner, tmp_path_factory, target):
    """Relative, absolute ('/word/...'), dotted and percent-encoded targets name the same
    part: the header is kept and the output opens in python-docx."""
    tmp_path = tmp_path_factory.mktemp("ref")
    result, out = render(runner, tmp_path, reference_with({}, header_target=target))
    assert result.exit_code == 0, result.output
    document = docx.Document(str(next(out.glob("*.docx"))))
    assert "Agency header" in document.sections[0].header.paragraphs[0].text


def test_a_header_the_document_lacks_is_replaced_by_ours_with_a_warning(runner, tmp_path):
    reference = reference_with({"word/header1.xml": None}, header_target="header1.xml")
    result, out = render(runner, tmp_path, reference)
    assert result.exit_code == 0, result.output
    assert "its header or footer is missing from the document" in result.output
    document = docx.Document(str(next(out.glob("*.docx"))))  # opens: no dangling reference
    assert document.sections[0].header is not None


def test_a_dtd_in_a_reference_part_is_refused_and_nothing_written(runner, tmp_path):
    styles = zipfile.ZipFile(BUILTIN).read("word/styles.xml").decode()
    head, body = styles.split("?>", 1)
    bad = (head + '?><!DOCTYPE w:styles [<!ENTITY xxe "x">]>'
           + body.replace("</w:styles>", "<!-- &xxe; --></w:styles>", 1)
           .replace("<w:style ", "<w:style w:customStyle=\"&xxe;\" ", 1)).encode()
    result, out = render(runner, tmp_path, reference_with({"word/styles.xml": bad}))
    assert result.exit_code == 1
    assert "word/styles.xml declares a DTD or uses entities" in result.output
    assert not out.exists() or list(out.iterdir()) == []


def test_a_part_linked_outside_the_package_is_refused(runner, tmp_path):
    reference = reference_with({}, header_target="../../../tmp/x.xml",
                               header_part="../../../tmp/x.xml")
    result, out = render(runner, tmp_path, reference)
    assert result.exit_code == 1
    assert "links to '../../../tmp/x.xml', outside the document" in result.output
    assert not out.exists() or list(out.iterdir()) == []


# -- 2. bombs ----------------------------------------------------------------------------

def test_a_part_expanding_past_the_bound_is_refused_unread(runner, tmp_path, monkeypatch):
    """A theme linked from the relationships that expands far beyond any real one."""
    monkeypatch.setattr(docx_reference, "MAX_PART_BYTES", 1_000_000)
    theme = b'<?xml version="1.0"?><a:theme xmlns:a="urn:x">' + b" " * 2_000_000 + b"</a:theme>"
    rels = zipfile.ZipFile(BUILTIN).read("word/_rels/document.xml.rels").decode().replace(
        "</Relationships>", '<Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/theme" Target="theme/theme1.xml"/></Relationships>')
    reference = reference_with({"word/theme/theme1.xml": theme,
                                "word/_rels/document.xml.rels": rels.encode()})
    assert len(reference) < 50_000
    read = []
    real = zipfile.ZipFile.read
    monkeypatch.setattr(zipfile.ZipFile, "read",
                        lambda self, name, *a: read.append(getattr(name, "filename", name))
                        or real(self, name, *a))
    result, out = render(runner, tmp_path, reference)
    assert result.exit_code == 1
    assert f"refused: its part word/theme/theme1.xml expands to {len(theme):,} bytes" \
        in result.output
    assert "word/theme/theme1.xml" not in read


def test_parts_the_playbook_does_not_use_are_never_read(runner, tmp_path, monkeypatch):
    """The reference's body pictures (a 2 GiB one in the issue) stay unread."""
    monkeypatch.setattr(docx_reference, "MAX_PART_BYTES", 1_000_000)
    reference = reference_with({"word/media/huge.png": b"\0" * 3_000_000})
    result, out = render(runner, tmp_path, reference)
    assert result.exit_code == 0, result.output
    names = zipfile.ZipFile(next(out.glob("*.docx"))).namelist()
    assert "word/media/huge.png" not in names


def png_header(width: int, height: int, body: bytes = b"", end: bool = True) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data))

    ihdr = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    return (b"\x89PNG\r\n\x1a\n" + ihdr + chunk(b"IDAT", zlib.compress(body))
            + (chunk(b"IEND", b"") if end else b""))


def validate_brand(runner, tmp_path: Path, logo: bytes, name: str = "logo.png"):
    (tmp_path / name).write_bytes(logo)
    brand = tmp_path / "brand.yaml"
    brand.write_text(f"logo: {name}\n", encoding="utf-8")
    return runner.invoke(main, ["validate", str(STUDIO), "--brand", str(brand)])


def test_a_logo_claiming_huge_dimensions_is_refused(runner, tmp_path):
    result = validate_brand(runner, tmp_path, png_header(100_000, 100_000))
    assert result.exit_code == 1
    assert "the logo is 100,000 x 100,000 pixels, more than 10,000 on a side" in result.output


def test_a_logo_over_the_size_bound_is_refused(runner, tmp_path, monkeypatch):
    import playbook.brand as brand

    monkeypatch.setattr(brand, "MAX_LOGO_BYTES", 10_000)
    noise = random.Random(14).randbytes(20_000)  # incompressible
    result = validate_brand(runner, tmp_path, png_header(10, 10, noise))
    assert result.exit_code == 1
    assert "the logo is too large (" in result.output


# -- 11. validate --brand sees what render would refuse ----------------------------------------

def test_validate_brand_refuses_a_truncated_logo(runner, tmp_path):
    logo = (ROOT / "examples" / "brand" / "logo.png").read_bytes()
    result = validate_brand(runner, tmp_path, logo[: len(logo) // 2])
    assert result.exit_code == 1
    assert "the logo cannot be read as an image (damaged or cut short)" in result.output


def test_validate_brand_refuses_a_text_file_named_docx(runner, tmp_path):
    (tmp_path / "ref.docx").write_text("not a Word document", encoding="utf-8")
    brand = tmp_path / "brand.yaml"
    brand.write_text("reference_doc: ref.docx\n", encoding="utf-8")
    result = runner.invoke(main, ["validate", str(STUDIO), "--brand", str(brand)])
    assert result.exit_code == 1
    assert "reference_doc:" in result.output and "cannot open as a Word document" in result.output
