"""The Markdown every writer reads: one CommonMark parse into a small block tree.

The parser is pulldown-cmark (the Rust parser of rustdoc and mdBook), through pyromark:
fully CommonMark-compliant, with GitHub's tables and task lists and a YAML front-matter
block enabled, and fast (a 27 KB playbook in well under a millisecond). Its events are
folded here into the blocks below, once; the Word writer and the HTML writer both read
this tree, so the two outputs can never see different structures.

What the tool gives meaning to beyond CommonMark is written in CommonMark itself (see
docs/markdown-dialect.md): the front matter (`key: "value"` lines), and two HTML
comments, `<!-- pagebreak -->` and `<!-- toc title="..." levels="2" -->`, and a third,
`<!-- chart kind="timeline" -->`, which makes the table right after it a chart (see
`Table.chart` and `chart_marks`). Other comments
are dropped; other raw HTML is kept as literal text, so a template or a client's answer
can never inject markup into either output.
"""

from __future__ import annotations

import json
import re

import pyromark

# Inline style flags of a run.
BOLD, ITALIC, CODE = 1, 2, 4
# Lists and quotes nest at most this deep in the tree; deeper ones are flattened into
# the last container kept. A playbook nests two levels; the bound keeps the writers,
# which walk the tree recursively, far from Python's recursion limit.
MAX_NESTING = 16

# Smart punctuation gives the Word and HTML outputs typographic apostrophes and quotes
# (l’équipe, “quoted”), ellipses and dashes (-- and ---), as a typesetter would; the
# .md file keeps the plain characters a text editor types.
OPTIONS = (pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_TASKLISTS
           | pyromark.Options.ENABLE_YAML_STYLE_METADATA_BLOCKS
           | pyromark.Options.ENABLE_SMART_PUNCTUATION)


class _Node:
    """Plain slotted records (a dataclass costs a one-shot command a millisecond each to
    create): keyword or positional fields, compared and shown field by field."""

    __slots__ = ()

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and all(
            getattr(self, name) == getattr(other, name) for name in self.__slots__)

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({fields})"


class Run(_Node):
    """A piece of text with one style: flags (BOLD | ITALIC | CODE), a link, a line
    break, or an image (`image` is its address, `text` its description)."""

    __slots__ = ("text", "flags", "url", "line_break", "image")

    def __init__(self, text: str, flags: int = 0, url: str | None = None,
                 line_break: bool = False, image: str | None = None):
        self.text, self.flags, self.url = text, flags, url
        self.line_break, self.image = line_break, image


class Heading(_Node):
    __slots__ = ("level", "runs")

    def __init__(self, level: int, runs: list[Run]):
        self.level, self.runs = level, runs


class Paragraph(_Node):
    __slots__ = ("runs",)

    def __init__(self, runs: list[Run]):
        self.runs = runs


class ListItem(_Node):
    """Its blocks (paragraphs, nested lists, any block); `checked` for a task item:
    False for [ ], True for [x]."""

    __slots__ = ("blocks", "checked")

    def __init__(self, blocks: list, checked: bool | None = None):
        self.blocks, self.checked = blocks, checked


class ListBlock(_Node):
    __slots__ = ("ordered", "items", "start")

    def __init__(self, ordered: bool, items: list[ListItem], start: int = 1):
        self.ordered, self.items, self.start = ordered, items, start


class Quote(_Node):
    __slots__ = ("blocks",)

    def __init__(self, blocks: list):
        self.blocks = blocks


class Table(_Node):
    """`aligns`: "left" | "center" | "right" | None, per column. `chart`: the kind a
    `<!-- chart kind="..." -->` marker right above gave it ("timeline", "bars"...), or
    None: the writers draw its mark cells (`chart_marks`) as shaded cells."""

    __slots__ = ("header", "rows", "aligns", "chart")

    def __init__(self, header: list[list[Run]], rows: list[list[list[Run]]],
                 aligns: list[str | None], chart: str | None = None):
        self.header, self.rows, self.aligns, self.chart = header, rows, aligns, chart


# The marks of a chart's cells: one character a cell (a month of a timeline, a tenth of
# a bar); filled ones are shaded in the brand's accent, empty ones in its pale tint.
FILLED_MARKS = "\u25a0\u2588"  # ■ █
EMPTY_MARKS = "\u25a1\u2591"  # □ ░


def chart_marks(cell: list[Run]) -> str | None:
    """The marks a chart's cell holds (spaces dropped), or None when it holds anything
    else (a label, a number). An empty cell holds no marks: ""."""
    pieces = []
    for run in cell:
        if run.image is not None:
            return None
        if not run.line_break:
            pieces.append(run.text)
    text = "".join(pieces).replace(" ", "").replace("\u00a0", "")
    # marks only: nothing is left once they are stripped from both ends
    return None if text.strip(_MARKS) else text


_MARKS = FILLED_MARKS + EMPTY_MARKS


def chart_columns(table: Table) -> list[int]:
    """Per column, how many mark cells each of its cells becomes: the most marks a body
    cell of the column holds (at least one); 0 for a column of text (a cell holding
    anything but marks). Only a chart's table has mark columns."""
    if table.chart is None:
        return [0] * len(table.header)
    widths = []
    for column in range(len(table.header)):
        counts = []
        for row in table.rows:
            marks = chart_marks(row[column]) if column < len(row) else ""
            if marks is None:
                counts = []
                break
            counts.append(len(marks))
        # a column of empty cells is still a chart's column (a month with nothing due)
        widths.append(max(max(counts), 1) if counts else 0)
    return widths


class CodeBlock(_Node):
    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text


class PageBreak(_Node):
    __slots__ = ()


class Toc(_Node):
    __slots__ = ("title", "levels")

    def __init__(self, title: str, levels: int = 1):
        self.title, self.levels = title, levels


class Rule(_Node):
    """A thematic break (`***` or `---` on its own line)."""

    __slots__ = ()


class Document(_Node):
    __slots__ = ("meta", "blocks")

    def __init__(self, meta: dict[str, str] | None = None, blocks: list | None = None):
        self.meta = meta if meta is not None else {}
        self.blocks = blocks if blocks is not None else []


_MARKER = re.compile(r"^\s*<!--\s*(pagebreak|toc|chart)\b(.*?)-->\s*$")
_CHART_KIND = re.compile(r"^[a-z][a-z0-9_-]{0,30}$")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')
_ALIGN = {"Left": "left", "Center": "center", "Right": "right"}
_HEADING_LEVEL = {"H1": 1, "H2": 2, "H3": 3, "H4": 4, "H5": 5, "H6": 6}


# Characters XML 1.0 cannot hold (nor a Rust string, for lone surrogates): removed
# before parsing. Profiles are already cleaned with a warning; this guards against
# anything a template adds. The class beyond Latin-1 costs 4 million instructions to
# compile, so it is compiled (and cached by `re`) only for a text that holds one.
_XML_FORBIDDEN_LOW = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_XML_FORBIDDEN_HIGH = "[\ufffe\uffff\ud800-\udfff]"


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold."""
    text = _XML_FORBIDDEN_LOW.sub("", text)
    if "\ufffe" in text or "\uffff" in text or not _encodes(text):
        text = re.sub(_XML_FORBIDDEN_HIGH, "", text)
    return text


def _encodes(text: str) -> bool:
    """Whether `text` has no lone surrogate (encoding finds one far faster than a scan)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def parse(markdown: str) -> Document:
    """The document's front matter and blocks."""
    document = _TreeBuilder().build(pyromark.events(xml_safe(markdown),
                                                    options=OPTIONS))
    # front matter values are JSON strings: their escapes can bring the characters back;
    # the names and titles they hold go on the header and cover: typeset like the body
    document.meta = {key: typeset(xml_safe(value)) if key not in _CODES
                     else xml_safe(value) for key, value in document.meta.items()}
    return document


_CODES = ("lang", "date", "version")
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")


def typeset(text: str) -> str:
    """The apostrophes between letters and the "..." of plain text (a front-matter value),
    as the parser's smart punctuation sets them in the body."""
    if "'" in text:
        text = _APOSTROPHE.sub("\u2019", text)
    return text.replace("...", "\u2026")


def front_matter(text: str) -> dict[str, str]:
    """`key: value` lines; a value in double quotes is a JSON string (the templates
    write them with the `yaml_string` filter)."""
    meta = {}
    for line in text.split("\n"):
        key, sep, value = line.partition(":")
        if not sep:
            continue
        value = value.strip()
        if value.startswith('"'):
            try:
                value = str(json.loads(value))
            except json.JSONDecodeError:
                value = value.strip('"')
        meta[key.strip()] = value
    return meta


def plain_text(runs: list[Run]) -> str:
    return "".join("\n" if run.line_break else run.text for run in runs)


class _TreeBuilder:
    """Folds pulldown-cmark's start/end events into blocks. `blocks` is the list that
    the next block goes into; `runs` the list that inline events go into (None between
    blocks: text arriving then belongs to a tight list item, which has no paragraph)."""

    def __init__(self) -> None:
        self.document = Document()
        self.blocks: list = self.document.blocks
        self.stack: list = []  # open containers: (block or None if flattened, the blocks
        self.depth = 0         # list to go back to); depth counts the kept ones
        self.runs: list[Run] | None = None
        self.implicit = False  # `runs` is a tight item's paragraph, closed by the next block
        self.bold = self.italic = 0
        self.style = 0  # BOLD | ITALIC while inside strong or emphasis
        self.urls: list[str | None] = []
        self.images: list[tuple[str, list[Run]]] = []  # open images: (address, outer runs)
        self.buffer: list[str] | None = None  # code, raw HTML or front matter text
        self.table_row: list[list[Run]] | None = None
        self.chart: str | None = None  # a chart marker's kind, for the table just below

    def build(self, events) -> Document:
        # The hot path is written out here: a playbook is about 2,200 events, and a
        # method call or a chain of tests per event doubles the time. Other events go to
        # one handler per tag (`_STARTS`, `_ENDS`), found in a dict.
        starts, ends = self._STARTS, self._ENDS
        for event in events:
            if event.__class__ is str:
                self.simple(event)
                continue
            value = event.get("Text")
            if value is not None:
                if self.buffer is not None:
                    self.buffer.append(value)
                    continue
                runs = self.runs
                if runs is not None and not runs and value:  # a block's first text
                    runs.append(Run(value, self.style, self.urls[-1] if self.urls else None))
                else:
                    self.text(value, 0)
                continue
            tag = event.get("Start")
            if tag is not None:
                if tag.__class__ is str:
                    if tag == "TableCell":  # a third of a playbook's events are cells
                        self.runs = []
                        self.table_row.append(self.runs)
                        self.chart = None
                        continue
                    name, value = tag, None
                else:
                    ((name, value),) = tag.items()
                if name != "Table":
                    self.chart = None  # a chart marker applies to a table right below it only
                handler = starts.get(name)
                if handler is not None:
                    handler(self, value)
                continue
            tag = event.get("End")
            if tag is not None:
                name = tag if tag.__class__ is str else next(iter(tag))
                if name == "TableCell" or name == "Paragraph" or name == "Heading":
                    self.runs = None
                    continue
                handler = ends.get(name)
                if handler is not None:
                    handler(self)
                continue
            for kind, value in event.items():  # exactly one
                if kind == "Code":
                    self.text(value, CODE)
                elif kind == "Html":
                    self.buffer.append(value)
                elif kind == "InlineHtml":
                    if not value.startswith("<!--"):  # comments are notes to the editor
                        self.text(value, 0)
                elif kind == "TaskListMarker":
                    if self.stack[-1][0] is not None:
                        self.stack[-1][0].checked = value
                    else:
                        self.text("[x] " if value else "[ ] ", 0)
        return self.document

    # -- inline ---------------------------------------------------------------------------
    def inline_target(self) -> list[Run]:
        if self.runs is None:  # a tight list item's text: an implicit paragraph
            self.runs = []
            self.blocks.append(Paragraph(self.runs))
            self.implicit = True
        return self.runs

    def text(self, text: str, flags: int) -> None:
        if not text:
            return
        runs = self.runs if self.runs is not None else self.inline_target()
        flags |= self.style
        url = self.urls[-1] if self.urls else None
        if runs:
            last = runs[-1]
            if last.flags == flags and last.url == url and not last.line_break \
                    and last.image is None:
                last.text += text
                return
        runs.append(Run(text, flags, url))

    def simple(self, event: str) -> None:
        if event == "SoftBreak":
            self.text(" ", 0)
        elif event == "HardBreak":
            self.inline_target().append(Run("", line_break=True))
        elif event == "Rule":
            self.chart = None
            self.close_implicit()
            self.blocks.append(Rule())

    def close_implicit(self) -> None:
        if self.implicit:
            self.runs, self.implicit = None, False

    # -- blocks ---------------------------------------------------------------------------
    def push(self, block, inner: list) -> None:
        self.close_implicit()
        if self.depth >= MAX_NESTING:  # too deep: its content goes on in the current list
            self.stack.append((None, self.blocks))
            return
        self.depth += 1
        self.blocks.append(block)
        self.stack.append((block, self.blocks))
        self.blocks = inner

    def pop(self) -> None:
        self.close_implicit()
        block, self.blocks = self.stack.pop()
        if block is not None:
            self.depth -= 1

    def start_paragraph(self, value) -> None:
        self.close_implicit()
        self.runs = []
        self.blocks.append(Paragraph(self.runs))

    def start_heading(self, value) -> None:
        self.close_implicit()
        self.runs = []
        self.blocks.append(Heading(_HEADING_LEVEL[value["level"]], self.runs))

    def start_emphasis(self, value) -> None:
        self.italic += 1
        self.style |= ITALIC

    def start_strong(self, value) -> None:
        self.bold += 1
        self.style |= BOLD

    def start_link(self, value) -> None:
        self.urls.append(value["dest_url"])

    def start_image(self, value) -> None:
        # the description is gathered apart; the image becomes one run
        self.images.append((value["dest_url"], self.inline_target()))
        self.runs = []

    def start_item(self, value) -> None:
        if self.stack and self.stack[-1][0] is None:  # an item of a flattened list
            self.close_implicit()
            self.stack.append((None, self.blocks))
        else:
            item = ListItem([])
            self.close_implicit()
            self.blocks.append(item)
            self.stack.append((item, self.blocks))
            self.blocks = item.blocks

    def start_list(self, value) -> None:
        block = ListBlock(value is not None, [], value if value is not None else 1)
        self.push(block, block.items)

    def start_quote(self, value) -> None:
        block = Quote([])
        self.push(block, block.blocks)

    def start_table(self, value) -> None:
        self.close_implicit()
        self.blocks.append(Table([], [], [_ALIGN.get(a) for a in value], self.chart))
        self.chart = None

    def start_row(self, value) -> None:
        self.table_row = []

    def start_buffer(self, value) -> None:
        self.close_implicit()
        self.buffer = []

    def end_emphasis(self) -> None:
        self.italic -= 1
        if not self.italic:
            self.style &= ~ITALIC

    def end_strong(self) -> None:
        self.bold -= 1
        if not self.bold:
            self.style &= ~BOLD

    def end_link(self) -> None:
        self.urls.pop()

    def end_image(self) -> None:
        source, outer = self.images.pop()
        description = plain_text(self.runs)
        self.runs = outer
        url = self.urls[-1] if self.urls else None
        outer.append(Run(description, 0, url, image=source))

    def end_head(self) -> None:
        self.blocks[-1].header = self.table_row

    def end_row(self) -> None:
        self.blocks[-1].rows.append(self.table_row)

    def end_code(self) -> None:
        text = "".join(self.buffer)
        self.buffer = None
        self.blocks.append(CodeBlock(text[:-1] if text.endswith("\n") else text))

    def end_html(self) -> None:
        self.html_block("".join(self.buffer))
        self.buffer = None

    def end_front_matter(self) -> None:
        self.document.meta = front_matter("".join(self.buffer))
        self.buffer = None

    _STARTS = {"Paragraph": start_paragraph, "Heading": start_heading,
               "Emphasis": start_emphasis, "Strong": start_strong, "Link": start_link,
               "Image": start_image, "Item": start_item, "List": start_list,
               "BlockQuote": start_quote, "Table": start_table, "TableHead": start_row,
               "TableRow": start_row, "CodeBlock": start_buffer, "HtmlBlock": start_buffer,
               "MetadataBlock": start_buffer}
    _ENDS = {"Emphasis": end_emphasis, "Strong": end_strong, "Link": end_link,
             "Image": end_image, "Item": pop, "List": pop, "BlockQuote": pop,
             "TableHead": end_head, "TableRow": end_row, "CodeBlock": end_code,
             "HtmlBlock": end_html, "MetadataBlock": end_front_matter}

    def html_block(self, raw: str) -> None:
        """The tool's markers; other comments dropped; any other HTML as literal text."""
        literal: list[str] = []

        def flush() -> None:
            text = _COMMENT.sub("", "\n".join(literal)).strip()
            literal.clear()
            if text:
                self.chart = None
                runs: list[Run] = []
                for index, line in enumerate(text.split("\n")):
                    if index:
                        runs.append(Run("", line_break=True))
                    runs.append(Run(line))
                self.blocks.append(Paragraph(runs))

        for line in raw.rstrip("\n").split("\n"):
            marker = _MARKER.match(line)
            if not marker:
                literal.append(line)
                continue
            flush()
            self.chart = None
            if marker.group(1) == "pagebreak":
                self.blocks.append(PageBreak())
            elif marker.group(1) == "chart":
                kind = dict(_ATTRIBUTE.findall(marker.group(2))).get("kind", "chart")
                self.chart = kind if _CHART_KIND.match(kind) else "chart"
            else:
                attributes = dict(_ATTRIBUTE.findall(marker.group(2)))
                levels = attributes.get("levels", "1")
                title = attributes.get("title", "")
                if "&" in title:  # html.entities' table costs a one-shot command 2 ms
                    from html import unescape

                    title = unescape(title)
                self.blocks.append(Toc(title,
                                       int(levels) if levels in ("1", "2", "3") else 1))
        flush()
