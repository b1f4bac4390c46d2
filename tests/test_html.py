"""HTML output (`-f html`): client text escaped, brand colours and fonts applied, the same
structure as the Markdown, and a table of contents listing the parts."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from conftest import PROFILES, ROOT, TODAY, merged

from playbook import mdtree
from playbook.brand import Brand, load_brand
from playbook.build import Builder
from playbook.cli import main
from playbook.html_writer import render_html
from playbook.profile import validate_data

HOSTILE_NAME = "<script>alert(1)</script> *Best* | Shop"


class Page(HTMLParser):
    """What the tests look at: tags met, h2 texts and ids, table rows, the toc links."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[str] = []
        self.h2: list[tuple[str | None, str]] = []  # (id, text) outside the toc
        self.toc: list[tuple[str, str]] = []  # (href, text)
        self.rows: list[list[str]] = []  # cell tags of each row, per table
        self.tables: list[list[int]] = []  # cells per row, per table
        self.style = ""
        self._stack: list[tuple[str, dict]] = []
        self._text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append(tag)
        self._stack.append((tag, attributes))
        if tag in ("h2", "a", "style"):
            self._text = []
        if tag == "table":
            self.tables.append([])
        if tag == "tr":
            self.tables[-1].append(0)
        if tag in ("td", "th"):  # a chart's heading spans its mark cells
            self.tables[-1][-1] += int(attributes.get("colspan") or 1)

    def handle_endtag(self, tag):
        while self._stack:
            open_tag, attributes = self._stack.pop()
            if open_tag == tag:
                break
        in_nav = any(t == "nav" for t, _ in self._stack)
        text = "".join(self._text)
        if tag == "h2" and not in_nav:
            self.h2.append((attributes.get("id"), text))
        if tag == "a" and in_nav:
            self.toc.append((attributes.get("href"), text))
        if tag == "style":
            self.style = text

    def handle_data(self, data):
        self._text.append(data)


@pytest.fixture(scope="module")
def builder():
    return Builder(load_brand(ROOT / "examples" / "brand" / "brand.yaml"))


def playbook_of(builder, name: str, language: str = "en"):
    data = merged({"language": language, "company.name": name, "company.description": name})
    loaded = validate_data(data, "test.yaml", builder.knowledge.accepted_ids, builder.knowledge.aliases)
    return builder.build(loaded, language, TODAY)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_client_text_is_escaped_never_markup(builder, language):
    playbook = playbook_of(builder, HOSTILE_NAME, language)
    html = builder.html(playbook).decode("utf-8")
    page = Page(html)
    assert "script" not in page.tags
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; *Best* | Shop" in html
    assert "<em>Best</em>" not in html
    # every row of a table has as many cells as its header row: no cell was split
    for table in page.tables:
        assert len(set(table)) == 1, table
    # the same page without the hostile name has the same tags
    plain = Page(builder.html(playbook_of(builder, "Plain Name", language)).decode("utf-8"))
    assert page.tags == plain.tags


def test_brand_colours_and_fonts_are_in_the_css(builder):
    page = Page(builder.html(playbook_of(builder, "Plain Name")).decode("utf-8"))
    assert "color: #7A1F3D" in page.style  # headings: primary colour
    assert "background: #E0A526" in page.style  # table headers: accent colour
    assert '"Liberation Serif"' in page.style and '"DejaVu Sans"' in page.style
    default = Page(render_html("# T\n", Brand()))
    assert "#7A1F3D" not in default.style and "#1F3864" in default.style


def test_a_hostile_brand_cannot_break_out_of_the_style():
    brand = Brand(heading_font="x</style><script>alert(1)</script>", primary_color="red;}</style>",
                  footer_text="<b>bold</b>")
    html = render_html("# Title\n\n## Part\n", brand)
    assert "<script" not in html and "</style><" not in html.replace("</style>\n</head>", "")
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "#1F3864" in Page(html).style


@pytest.mark.parametrize("profile", ["studio-nomad.yaml", "boulangerie-muller.yaml"])
def test_structure_and_contents_match_the_markdown(builder, profile):
    playbook = builder.build(builder.load(PROFILES / profile), None, TODAY)
    headings = [b for b in mdtree.parse(playbook.markdown).blocks
                if isinstance(b, mdtree.Heading) and b.level in (2, 3)]
    markdown_h2 = [mdtree.plain_text(b.runs) for b in headings if b.level == 2]
    # the playbook's contents go two levels deep: parts, then their sections
    sections = [mdtree.plain_text(b.runs) for b in headings]
    page = Page(builder.html(playbook).decode("utf-8"))
    assert [text for _, text in page.h2] == markdown_h2
    assert len(markdown_h2) >= 8
    # the contents list every part and section, in order, each linking to its heading
    assert [text for _, text in page.toc] == sections
    part_links = [href for href, _ in page.toc if href.startswith("#part-")]
    assert part_links == [f"#{anchor}" for anchor, _ in page.h2]
    assert len({anchor for anchor, _ in page.h2}) == len(page.h2)  # ids are unique


def test_cli_writes_html(runner, tmp_path):
    brand = ROOT / "examples" / "brand" / "brand.yaml"
    result = runner.invoke(main, ["render", str(PROFILES / "studio-nomad.yaml"), "-o", str(tmp_path),
                                  "-f", "html,md", "--brand", str(brand)])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "studio-nomad.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert "<title>Social presence playbook - Studio Nomad</title>" in html
    assert "<footer>Maple &amp; Finch Communications · Confidential</footer>" in html
    assert "Our view." in html  # the brand's template override
    assert '<div class="page-break"></div>' in html
    assert "&#x2610; " in html  # the checklist's boxes
