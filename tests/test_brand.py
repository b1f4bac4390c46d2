"""The brand file: validation with clear messages, where it is found, what it changes."""

from __future__ import annotations

import struct
import zlib

import pytest
from conftest import PROFILES, ROOT

from playbook.brand import DEFAULT_BRAND, find_brand, load_brand
from playbook.cli import main
from playbook.errors import BrandError

EXAMPLE = ROOT / "examples" / "brand"
STUDIO = PROFILES / "studio-nomad.yaml"
PNG = (EXAMPLE / "logo.png").read_bytes()  # a real logo: brand files check the image


def brand_file(folder, text: str, name: str = "brand.yaml"):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path) -> list[str]:
    with pytest.raises(BrandError) as caught:
        load_brand(path)
    return str(caught.value).splitlines()


def test_example_brand_loads_with_its_files():
    loaded = load_brand(EXAMPLE / "brand.yaml")
    brand = loaded.brand
    assert brand.agency == "Maple & Finch Communications"
    assert (brand.primary_color, brand.accent_color) == ("#7A1F3D", "#E0A526")
    assert (brand.heading_font, brand.body_font) == ("Liberation Serif", "DejaVu Sans")
    assert loaded.logo_path == EXAMPLE / "logo.png" and loaded.logo_path.is_file()
    assert loaded.templates_path == EXAMPLE / "templates"
    assert loaded.source == str(EXAMPLE / "brand.yaml")


def test_colours_are_normalised_to_upper_case(tmp_path):
    path = brand_file(tmp_path, 'primary_color: "#7a1f3d"\n')
    assert load_brand(path).brand.primary_color == "#7A1F3D"


def test_every_problem_is_reported_at_once_with_line_and_field(tmp_path):
    (tmp_path / "fake.png").write_text("<svg/>", encoding="utf-8")
    (tmp_path / "styles.odt").write_bytes(b"PK")
    path = brand_file(tmp_path, "\n".join([
        "agency: [Maple, Finch]",
        "accent_colour: '#FFFFFF'",
        "primary_color: #7A1F3D",
        "accent_color: red",
        "logo: missing.png",
        "reference_doc: styles.odt",
        "templates: nowhere",
        "date_format: '{dya}/{month}'",
        "footer_text: true",
    ]) + "\n")
    source = str(path)
    assert problems(path) == [
        f"{source}:1:1: agency: expected text, got a list",
        f"{source}:2:1: accent_colour: unknown field (did you mean 'accent_color'?); expected one of: "
        "agency, logo, primary_color, accent_color, heading_font, body_font, contact, footer_text, "
        "date_format, reference_doc, templates, table_style, en, fr",
        f'{source}:3:1: primary_color: is empty; in YAML a # starts a comment, so put the colour in '
        'quotes: "#1F4E79"',
        f"{source}:4:1: accent_color: expected a colour written #RRGGBB (e.g. #1F4E79), got 'red'",
        f"{source}:5:1: logo: file not found: {tmp_path / 'missing.png'}",
        f"{source}:6:1: reference_doc: the reference document must be a .docx file (save it from "
        "Word as .docx)",
        f"{source}:7:1: templates: folder not found: {tmp_path / 'nowhere'}",
        f"{source}:8:1: date_format: unknown placeholder; use {{day}}, {{day2}}, {{month}}, "
        "{month_name} and {year}",
        f"{source}:9:1: footer_text: expected text, got the yes/no value true; put it in quotes",
    ]
    path = brand_file(tmp_path, "logo: fake.png\n", "b2.yaml")
    assert problems(path) == [f"{path}:1:1: logo: {tmp_path / 'fake.png'} is not a PNG or JPEG image "
                              "(its content does not match its name); export the logo again as PNG"]
    (tmp_path / "logo.gif").write_bytes(PNG)
    path = brand_file(tmp_path, "logo: logo.gif\nreference_doc: none.docx\n", "b3.yaml")
    assert problems(path) == [f"{path}:1:1: logo: the logo must be a .png or .jpg image",
                              f"{path}:2:1: reference_doc: file not found: {tmp_path / 'none.docx'}"]


@pytest.mark.parametrize("colour", ["1F4E79", "#1F4E7", "#1F4E79A", "#GGGGGG", "blue", "#1f4e7 "])
def test_colours_must_be_written_hash_and_six_hex_digits(tmp_path, colour):
    path = brand_file(tmp_path, f"accent_color: '{colour}'\n")
    assert problems(path) == [f"{path}:1:1: accent_color: expected a colour written #RRGGBB "
                              f"(e.g. #1F4E79), got {colour.strip()!r}"]


def test_files_are_relative_to_the_brand_file(tmp_path, monkeypatch):
    (tmp_path / "brand" / "assets").mkdir(parents=True)
    (tmp_path / "brand" / "assets" / "logo.png").write_bytes(PNG)
    path = brand_file(tmp_path / "brand", "logo: assets/logo.png\n")
    monkeypatch.chdir(tmp_path)  # elsewhere: the logo is still found next to the brand file
    assert load_brand(path).logo_path == tmp_path / "brand" / "assets" / "logo.png"


def test_empty_or_malformed_brand_files(tmp_path):
    empty = brand_file(tmp_path, "", "empty.yaml")
    assert problems(empty) == [f"{empty}: the file is empty; start from examples/brand/brand.yaml"]
    listed = brand_file(tmp_path, "- agency\n", "list.yaml")
    assert problems(listed) == [f"{listed}: expected a mapping of fields at the top level "
                                "(agency:, logo:, ...)"]
    assert "invalid YAML" in problems(brand_file(tmp_path, "agency: [\n", "bad.yaml"))[0]


# -- where the brand comes from ---------------------------------------------------------

@pytest.fixture
def three_brands(tmp_path, monkeypatch):
    """A brand in the working folder, one next to the profile, one given as an option."""
    work = tmp_path / "work"
    brand_file(work, "agency: From The Working Folder\n")
    clients = tmp_path / "clients"
    clients.mkdir()
    profile = clients / "client.yaml"
    profile.write_text("language: en\ncompany: {name: Client Co}\n", encoding="utf-8")
    next_to = brand_file(clients, "agency: Next To The Profile\n")
    option = brand_file(tmp_path / "elsewhere", "agency: Given As Option\n")
    monkeypatch.chdir(work)
    return profile, next_to, option


def test_find_brand_precedence(three_brands):
    profile, next_to, option = three_brands
    assert find_brand(option, profile).brand.agency == "Given As Option"
    assert find_brand(None, profile).brand.agency == "Next To The Profile"
    next_to.unlink()
    assert find_brand(None, profile).brand.agency == "From The Working Folder"
    (profile.parent.parent / "work" / "brand.yaml").unlink()
    assert find_brand(None, profile) is DEFAULT_BRAND


def test_render_uses_the_brand_in_precedence_order(runner, three_brands, tmp_path):
    profile, next_to, option = three_brands

    def agency_line(*extra) -> str:
        result = runner.invoke(main, ["render", str(profile), "-o", str(tmp_path / "out"), "-f", "md",
                                      "--force", *extra])
        assert result.exit_code == 0, result.output
        text = (tmp_path / "out" / "client-co.md").read_text(encoding="utf-8")
        return next(line for line in text.splitlines() if line.startswith("agency: "))

    assert agency_line("--brand", str(option)) == 'agency: "Given As Option"'
    assert agency_line() == 'agency: "Next To The Profile"'
    next_to.unlink()
    assert agency_line() == 'agency: "From The Working Folder"'
    (tmp_path / "work" / "brand.yaml").unlink()
    assert agency_line() == 'agency: ""'


def test_validate_reports_a_bad_brand_next_to_the_profile(runner, tmp_path):
    profile = tmp_path / "client.yaml"
    profile.write_text("company: {name: Client Co}\n", encoding="utf-8")
    brand = brand_file(tmp_path, "agency: X\nprimary_colour: '#123456'\n")
    result = runner.invoke(main, ["validate", str(profile)])
    assert result.exit_code == 1
    assert (f"playbook: error: {brand}:2:1: primary_colour: unknown field (did you mean "
            "'primary_color'?)") in result.output
    assert "Traceback" not in result.output


def test_render_with_a_bad_brand_writes_nothing(runner, tmp_path):
    brand = brand_file(tmp_path, "logo: nowhere.png\n")
    out = tmp_path / "out"
    result = runner.invoke(main, ["render", str(STUDIO), "-o", str(out), "-f", "md", "--brand", str(brand)])
    assert result.exit_code == 1
    assert f"playbook: error: {brand}:1:1: logo: file not found: {tmp_path / 'nowhere.png'}" in result.output
    assert list(out.iterdir()) == []


def test_brand_text_reaches_the_cover_escaped(runner, tmp_path):
    brand = brand_file(tmp_path, "agency: '*Star* | Agency'\ncontact: '# call 1. us'\n"
                                 "date_format: '{year}-{month}-{day2} ({month_name})'\n")
    result = runner.invoke(main, ["render", str(STUDIO), "-o", str(tmp_path / "out"), "-f", "md",
                                  "--brand", str(brand), "--date", "2026-03-05"])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "out" / "studio-nomad.md").read_text(encoding="utf-8")
    assert "prepared by \\*Star\\* \\| Agency" in text
    assert "\n\\# call 1. us\n" in text
    assert "2026-03-05 (March) · Version" in text


# -- the example logo ---------------------------------------------------------------------

def _png_rows(data: bytes) -> tuple[int, int, bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat, size = 8, b"", (0, 0)
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        assert zlib.crc32(kind + body) == struct.unpack(">I", data[position + 8 + length:
                                                                     position + 12 + length])[0]
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    return size[0], size[1], zlib.decompress(idat)


def test_example_logo_is_the_output_of_its_script():
    """The committed logo is what make_logo.py draws (checked on a few rows: fast)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_logo", EXAMPLE / "make_logo.py")
    make_logo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_logo)
    width, height, rows = _png_rows((EXAMPLE / "logo.png").read_bytes())
    assert (width, height) == (600, 200)
    stride = 1 + 4 * width
    for y in (20, 100, 177):
        assert rows[y * stride:(y + 1) * stride] == make_logo.row(y), y
    assert make_logo.png(2, 1, b"\0" * 9)[:8] == b"\x89PNG\r\n\x1a\n"


# -- the Word output -------------------------------------------------------------------------

def test_example_brand_in_the_word_document(runner, tmp_path):
    """Logo, colours, fonts, author and footer of the example brand reach the .docx."""
    docx = pytest.importorskip("docx")
    result = runner.invoke(main, ["render", str(STUDIO), "-o", str(tmp_path), "-f", "docx",
                                  "--brand", str(EXAMPLE / "brand.yaml")])
    assert result.exit_code == 0, result.output
    document = docx.Document(str(tmp_path / "studio-nomad.docx"))
    assert document.core_properties.author == "Maple & Finch Communications"
    heading = document.styles["Heading 1"].font
    assert str(heading.color.rgb) == "7A1F3D" and heading.name == "Liberation Serif"
    from docx.oxml.ns import qn

    body_font = document.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts")[0]
    assert body_font.get(qn("w:ascii")) == "DejaVu Sans"  # the body font is the default font
    images = [part for part in document.part.package.parts if part.partname.endswith(".png")]
    assert [part.blob for part in images] == [(EXAMPLE / "logo.png").read_bytes()]
    footers = " ".join(p.text for s in document.sections for p in s.footer.paragraphs)
    assert "Maple & Finch Communications · Confidential" in footers
    texts = [p.text for p in document.paragraphs]
    assert any(t.startswith("Our view. Put your first three months") for t in texts)


def test_an_unquoted_number_is_not_a_colour(tmp_path):
    from playbook.brand import load_brand
    from playbook.errors import BrandError

    path = tmp_path / "brand.yaml"
    path.write_text("primary_color: 123456\n", encoding="utf-8")
    with pytest.raises(BrandError, match=r"primary_color: expected a colour written #RRGGBB "
                                         r"\(e\.g\. #1F4E79\), got 123456; put it in quotes"):
        load_brand(path)


def test_brand_colours_keep_text_readable_and_reach_the_callouts(tmp_path):
    """White on mustard is hard to read: a light accent gets dark header text (WCAG
    contrast), a dark one keeps white; callouts take a pale tint of the accent and the
    primary colour for their text, in Word and in HTML alike."""
    import io

    import docx

    from playbook.brand import Brand
    from playbook.colours import contrast, readable_text_on, tint
    from playbook.docx_writer import DocxBrand, DocxWriter
    from playbook.html_writer import render_html

    assert readable_text_on("E0A526") == "1A1A1A" and readable_text_on("1F3A5F") == "FFFFFF"
    assert contrast("FFFFFF", "000000") == pytest.approx(21)
    assert tint("E0A526", 0.12) == "FBF4E5"
    markdown = "| A | B |\n|---|---|\n| 1 | 2 |\n\n> **Our view.** One channel first.\n"
    data = DocxWriter(brand=DocxBrand(accent_color="#E0A526", primary_color="#7A1F3D")).render(markdown)
    document = docx.Document(io.BytesIO(data))
    styles = document.styles.element
    header_colour = styles.xpath('.//w:style[@w:styleId="PlaybookTable"]/w:tblStylePr'
                                 '[@w:type="firstRow"]/w:rPr/w:color/@w:val')
    assert header_colour == ["1A1A1A"]
    quote = styles.xpath('.//w:style[w:name/@w:val="Quote"]')[0]
    assert quote.xpath("./w:pPr/w:shd/@w:fill") == ["FBF4E5"]
    assert quote.xpath("./w:rPr/w:color/@w:val") == ["7A1F3D"]
    html = render_html(markdown, Brand(accent_color="#E0A526"))
    assert "background: #E0A526; color: #1A1A1A" in html and "background: #FBF4E5" in html


def test_a_french_playbook_shows_the_brand_in_french(tmp_path, runner):
    """`fr:` (and `en:`) give the contact line, footer and date format per playbook
    language: a French deliverable never says "Confidential"."""
    import zipfile

    path = brand_file(tmp_path / "b", "agency: Atelier\nfooter_text: Atelier · Confidential\n"
                      "contact: hello@atelier.example\n"
                      "fr:\n  footer_text: Atelier · Confidentiel\n  contact: bonjour@atelier.example\n")
    out = tmp_path / "out"
    for language in ("fr", "en"):
        result = runner.invoke(main, ["render", str(PROFILES / "studio-nomad.yaml"), "--brand",
                                      str(path), "--lang", language, "-o", str(out / language),
                                      "-f", "md,docx,html"])
        assert result.exit_code == 0, result.output
    french, english = out / "fr" / "studio-nomad", out / "en" / "studio-nomad"
    assert "bonjour@atelier.example" in french.with_suffix(".md").read_text(encoding="utf-8")
    assert "hello@atelier.example" in english.with_suffix(".md").read_text(encoding="utf-8")
    with zipfile.ZipFile(french.with_suffix(".docx")) as docx_file:
        assert "Atelier · Confidentiel" in docx_file.read("word/playbook-footer.xml").decode()
    with zipfile.ZipFile(english.with_suffix(".docx")) as docx_file:
        assert "Atelier · Confidential<" in docx_file.read("word/playbook-footer.xml").decode()
    assert "<footer>Atelier · Confidentiel</footer>" in french.with_suffix(".html").read_text(
        encoding="utf-8")


def test_a_language_section_is_validated_like_the_rest(tmp_path):
    path = brand_file(tmp_path, "fr:\n  date_format: '{jour}'\n  footers: x\n")
    found = problems(path)
    assert any("fr.date_format" in line and "unknown placeholder" in line for line in found)
    assert any("fr.footers" in line for line in found)
