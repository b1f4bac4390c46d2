"""A fast parser for the Markdown the templates write (docs/markdown-dialect.md).

The Word writer needs the document's structure, not HTML, and it needs it in well
under a millisecond: a general CommonMark parser costs 6 to 12 ms on a playbook,
more than the whole Word document. This parser reads the subset of CommonMark and
GitHub Markdown that playbooks use (and what a consultant's template is likely to
add), line by line:

- blocks: front matter, ATX and setext headings, paragraphs, bullet, numbered and
  task lists (nested), block quotes, GitHub tables, fenced and indented code,
  thematic breaks, HTML comments (the `pagebreak` and `toc` markers; others dropped);
- inlines: emphasis and strong emphasis (CommonMark's delimiter rules), code spans,
  links, autolinks, backslash escapes, entities, hard line breaks.

Anything else reads as text, so a template can never make the writer fail. A test
parses every sample playbook with this parser and with markdown-it-py and checks
that both see the same structure.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from dataclasses import dataclass, field

# Inline style flags of a run.
BOLD, ITALIC, CODE = 1, 2, 4
# Quotes, lists and links nest at most this deep; deeper ones read as text. A playbook
# nests two levels; the bound keeps a hostile template from exhausting the stack.
MAX_NESTING = 16


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of text with one style: flags (BOLD | ITALIC | CODE), a link, or a break.
    Frozen: runs are shared between documents (see `inline`)."""

    text: str
    flags: int = 0
    url: str | None = None
    line_break: bool = False


@dataclass(slots=True)
class Heading:
    level: int
    runs: list[Run]


@dataclass(slots=True)
class Paragraph:
    runs: list[Run]


@dataclass(slots=True)
class ListItem:
    blocks: list  # paragraphs and nested lists
    checked: bool | None = None  # a task item: False for [ ], True for [x]


@dataclass(slots=True)
class ListBlock:
    ordered: bool
    items: list[ListItem]
    start: int = 1


@dataclass(slots=True)
class Quote:
    blocks: list


@dataclass(slots=True)
class Table:
    header: list[list[Run]]
    rows: list[list[list[Run]]]
    aligns: list[str | None]  # "left" | "center" | "right" | None, per column


@dataclass(slots=True)
class CodeBlock:
    text: str


@dataclass(slots=True)
class PageBreak:
    pass


@dataclass(slots=True)
class Toc:
    title: str
    levels: int = 1


@dataclass(slots=True)
class Rule:
    """A thematic break (`---` on its own line)."""


@dataclass
class Document:
    meta: dict[str, str] = field(default_factory=dict)
    blocks: list = field(default_factory=list)


# -- blocks ---------------------------------------------------------------------

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
_ATX_CLOSING = re.compile(r"(?:^|[ \t]+)#+$")  # "## Title ##": the closing run is not text
_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
_RULE = re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_LIST = re.compile(r"^( {0,3})([-+*]|\d{1,9}[.)])([ \t]+|$)")
_QUOTE = re.compile(r"^ {0,3}> ?")
_COMMENT = re.compile(r"^ {0,3}<!--")
_MARKER = re.compile(r"^<!--\s*(pagebreak|toc)\b(.*?)-->\s*$")
_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')
_TABLE_DELIMITER = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_TASK = re.compile(r"^\[([ xX])\](?:[ \t]+|$)")


def parse(markdown: str) -> Document:
    """The document's front matter and blocks."""
    text = markdown.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:  # CommonMark: NUL reads as the replacement character
        text = text.replace("\x00", "\ufffd")
    meta: dict[str, str] = {}
    if text.startswith("---\n"):
        end = text.find("\n---\n", 3)
        if end != -1:
            meta = _front_matter(text[4:end])
            text = text[end + 5:]
    return Document(meta, _blocks(text.split("\n")))


def _front_matter(text: str) -> dict[str, str]:
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


def _is_blank(line: str) -> bool:
    """Only spaces and tabs: a no-break space is text (French puts one before ':')."""
    return not line.strip(" \t")


def _fence(line: str) -> re.Match | None:
    """A code fence's opening line (a backtick fence's info string holds no backtick)."""
    found = _FENCE.match(line)
    if found and found.group(2)[0] == "`" and "`" in found.group(3):
        return None
    return found


def _interrupts_paragraph(line: str) -> bool:
    """A line that ends a paragraph even without a blank line before it."""
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3 or not stripped:
        return not stripped
    first = stripped[0]
    if first == "#":
        return _ATX.match(line) is not None
    if first in "`~":
        return _fence(line) is not None
    if first == ">":
        return True
    if first == "<":
        return stripped.startswith("<!--")
    if first in "-*_" and _RULE.match(line):
        return True
    if first in "-+*" or first.isdigit():
        found = _LIST.match(line)
        # an empty item, or a numbered one not starting at 1, cannot interrupt a paragraph
        if found and found.group(3) and not _is_blank(line[found.end():]):
            marker = found.group(2)
            return not marker[0].isdigit() or int(marker[:-1]) == 1
    return False


class _LazyLine(str):
    """A lazy continuation line (a quote's or list item's paragraph going on without
    the marker or the indentation): paragraph text, so a lazy "===" never underlines a
    heading, nor a lazy "--- | ---" turns the line above into a table."""


def _lazy(line: str) -> str:
    return _LazyLine(line)


def _ends_in_paragraph(lines: list[str], depth: int) -> bool:
    """Whether a container's lines so far leave a paragraph open: only a paragraph
    takes lazy continuation lines (not an empty item, code, a table...). Parsed to
    know, which is rare: lazy lines only appear in hand-written Markdown."""
    return _open_paragraph(lines, depth)[0]


def _open_paragraph(lines: list[str], depth: int) -> tuple[bool, bool]:
    """(a paragraph is open at the end of the lines, it sits in a list among them)."""
    if not lines or _is_blank(lines[-1]):
        return False, False
    blocks, in_list = _blocks(lines, depth), False
    while blocks:
        last = blocks[-1]
        if isinstance(last, ListBlock):
            blocks, in_list = last.items[-1].blocks, True
        elif isinstance(last, Quote):
            blocks = last.blocks
        else:
            return isinstance(last, Paragraph), in_list
    return False, in_list


def _still_open(open_paragraph: bool | None, text: str) -> bool | None:
    """After a container line `text`: an open paragraph stays open if the line goes on
    with plain text; otherwise nothing is known until parsed (kept None)."""
    if open_paragraph and not _is_blank(text) and not _interrupts_paragraph(text) \
            and not _SETEXT.match(text) and not _TABLE_DELIMITER.match(text):
        return True
    return None


def _ends_container(line: str) -> bool:
    """A line that ends a table, or a quote's lazy paragraph: a block start, including
    any list item, even an empty one (unlike a paragraph, which only a non-empty list
    from 1 interrupts). This follows markdown-it, which the HTML output uses."""
    return _interrupts_paragraph(line) or _LIST.match(line) is not None


def _blocks(lines: list[str], depth: int = 0) -> list:
    if depth > MAX_NESTING:  # deeper quotes and lists read as text (and cannot recurse)
        text = " ".join(line.strip() for line in lines if line.strip())
        return [Paragraph([Run(text)])] if text else []
    blocks: list = []
    i, count = 0, len(lines)
    while i < count:
        line = lines[i]
        if _is_blank(line):
            i += 1
            continue
        indent = len(line) - len(line.lstrip(" "))
        if indent >= 4:  # indented code
            code = []
            while i < count and (_is_blank(lines[i]) or lines[i].startswith("    ")):
                code.append(lines[i][4:])
                i += 1
            while code and _is_blank(code[-1]):
                code.pop()
            blocks.append(CodeBlock("\n".join(code)))
            continue
        if _starts_table(lines, i):  # first, as in markdown-it: "<!-- x --> | y" is a row
            i = _table(lines, i, _cells(line), blocks)
            continue
        stripped = line.lstrip(" ")
        first = stripped[0]
        if first == "<" and _COMMENT.match(line):
            i = _comment(lines, i, blocks)
            continue
        if first == "#":
            found = _ATX.match(line)
            if found:
                # strip() as markdown-it-py does: a title of no-break spaces is empty
                title = _ATX_CLOSING.sub("", found.group(2) or "").strip()
                blocks.append(Heading(len(found.group(1)), inline(title)))
                i += 1
                continue
        if first in "`~":
            found = _fence(line)
            if found:
                i = _fenced(lines, i, found, blocks)
                continue
        if first == ">":
            i = _quote(lines, i, blocks, depth)
            continue
        if first in "-*_" and _RULE.match(line):
            blocks.append(Rule())
            i += 1
            continue
        if first in "-+*" or first.isdigit():
            found = _LIST.match(line)
            if found:
                i = _list(lines, i, blocks, depth)
                continue
        i = _paragraph(lines, i, blocks)
    return blocks


def _starts_table(lines: list[str], i: int) -> bool:
    """A header row (at least one cell) followed by a delimiter row with as many cells."""
    line = lines[i]
    return "|" in line and i + 1 < len(lines) and _TABLE_DELIMITER.match(lines[i + 1]) \
        is not None and type(lines[i + 1]) is not _LazyLine \
        and 0 < len(_cells(line)) == len(_cells(lines[i + 1]))


def _comment(lines: list[str], i: int, blocks: list) -> int:
    """`<!-- pagebreak -->`, `<!-- toc title="..." -->`; other comments vanish."""
    line = lines[i].strip()
    found = _MARKER.match(line)
    if found:
        if found.group(1) == "pagebreak":
            blocks.append(PageBreak())
        else:
            attributes = dict(_ATTRIBUTE.findall(found.group(2)))
            levels = attributes.get("levels", "1")
            blocks.append(Toc(html.unescape(attributes.get("title", "")),
                              int(levels) if levels.isdigit() and 1 <= int(levels) <= 3 else 1))
        return i + 1
    # An HTML comment block runs to the line holding `-->`.
    while i < len(lines) and "-->" not in lines[i]:
        i += 1
    return i + 1


def _fenced(lines: list[str], i: int, found: re.Match, blocks: list) -> int:
    indent, fence = len(found.group(1)), found.group(2)
    code = []
    i += 1
    while i < len(lines):
        line = lines[i]
        stripped = line.lstrip(" ")
        if len(line) - len(stripped) <= 3 and stripped.startswith(fence[0] * len(fence)) \
                and not stripped.rstrip().strip(fence[0]):
            i += 1
            break
        code.append(line[min(indent, len(line) - len(line.lstrip(" "))):])
        i += 1
    blocks.append(CodeBlock("\n".join(code)))
    return i


def _quote(lines: list[str], i: int, blocks: list, depth: int) -> int:
    inner: list[str] = []
    open_paragraph: bool | None = None  # None: not known yet (parsed when it matters)
    while i < len(lines):
        line = lines[i]
        found = _QUOTE.match(line)
        if found:
            inner.append(line[found.end():])
            open_paragraph = _still_open(open_paragraph, inner[-1])
        elif inner and not _is_blank(line) and not _ends_container(line):
            if open_paragraph is None:
                open_paragraph = _ends_in_paragraph(inner, depth + 1)
            if not open_paragraph:
                break
            inner.append(_lazy(line))  # a lazy continuation of the quoted paragraph
        else:
            break
        i += 1
    blocks.append(Quote(_blocks(inner, depth + 1)))
    return i


def _list(lines: list[str], i: int, blocks: list, depth: int) -> int:
    found = _LIST.match(lines[i])
    assert found is not None
    marker = found.group(2)
    ordered = marker[0].isdigit()
    kind = marker[-1] if ordered else marker  # a new bullet char or delimiter starts a new list
    start = int(marker[:-1]) if ordered else 1
    items: list[ListItem] = []
    while i < len(lines):
        found = _LIST.match(lines[i])
        if not found or _RULE.match(lines[i]):  # "* * *" is a rule, not an item
            break
        marker = found.group(2)
        if (marker[-1] if marker[0].isdigit() else marker) != kind or \
                marker[0].isdigit() != ordered:
            break
        spaces = found.group(3)
        # an item that starts blank has its content one column after the marker
        blank_start = _is_blank(lines[i][found.end():])
        content_column = found.end(2) + (len(spaces) if 1 <= len(spaces) <= 4
                                         and not blank_start else 1)
        first = lines[i][content_column:] if len(lines[i]) > content_column else ""
        item_lines = [first]
        open_paragraph: bool | None = None  # None: not known yet (parsed when it matters)
        in_nested_list = False  # the open paragraph is in a list inside the item
        i += 1
        while i < len(lines):
            line = lines[i]
            stripped = line.lstrip(" ")
            if _is_blank(stripped):
                # a blank line continues the item only if indented content follows
                j = i
                while j < len(lines) and _is_blank(lines[j]):
                    j += 1
                if j < len(lines) and _indent(lines[j]) >= content_column:
                    item_lines.extend("" for _ in range(j - i))
                    i = j
                    continue
                break
            if type(line) is _LazyLine:  # paragraph text for the container, so here too
                item_lines.append(line)
            elif len(line) - len(stripped) >= content_column:
                item_lines.append(line[content_column:])
                open_paragraph = _still_open(open_paragraph, item_lines[-1])
            elif _LIST.match(line):
                break  # the next item
            else:
                # A line indented less than the content is read from inside the item,
                # where it is no code: any block start ends the paragraph there, and any
                # list marker (even "2." or an empty one), except one 4 or more past this
                # list's own, unless the paragraph is in a nested list (markdown-it's rule)
                marker = _LIST.match(stripped) is not None
                interrupts = marker or _interrupts_paragraph(stripped)
                far_marker = marker and len(line) - len(stripped) - found.start(2) >= 4
                if interrupts and not far_marker:
                    break
                if open_paragraph is None:
                    open_paragraph, in_nested_list = _open_paragraph(item_lines, depth + 1)
                if not open_paragraph or (interrupts and in_nested_list):
                    break
                # a lazy continuation of the item's paragraph, without its indentation
                # (markdown-it drops it, which shows inside a code span)
                item_lines.append(_lazy(stripped))
            i += 1
        checked = None
        task = _TASK.match(item_lines[0])
        if task:
            rest = item_lines[0][task.end():]
            if rest and not _interrupts_paragraph(rest) and not _LIST.match(rest) \
                    and not rest.startswith("    "):  # "[ ] # x" is text, not a task
                checked = task.group(1) != " "
                item_lines[0] = rest
        if len(item_lines) == 1 and not _is_blank(item_lines[0]) and \
                not _interrupts_paragraph(item_lines[0]) and not _LIST.match(item_lines[0]) \
                and not item_lines[0].startswith(("    ", "|")):
            # the usual one-line item: a paragraph, without the general block parser
            items.append(ListItem([Paragraph(inline(item_lines[0].strip()))], checked))
        else:
            items.append(ListItem(_blocks(item_lines, depth + 1), checked))
        # a blank line between items keeps the list going
        j = i
        while j < len(lines) and _is_blank(lines[j]):
            j += 1
        if j < len(lines) and j > i and _LIST.match(lines[j]):
            i = j
    blocks.append(ListBlock(ordered, items, start))
    return i


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _cells(line: str) -> list[str]:
    """A table row's cells, split on pipes that are not backslash-escaped."""
    line = line.strip()
    if line == "|":  # one pipe: an empty first and last cell, both dropped
        return []
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    if "\\" not in line:  # the common case: no escaped pipe to keep
        return [cell.strip() for cell in line.split("|")]
    # A backslash right before a pipe makes it text (GFM, markdown-it): even "\\|".
    cells, current, previous = [], [], ""
    for char in line:
        if char == "|" and previous == "\\":
            current[-1] = "|"
        elif char == "|":
            cells.append("".join(current).strip())
            current = []
        else:
            current.append(char)
        previous = char
    cells.append("".join(current).strip())
    return cells


def _table(lines: list[str], i: int, header: list[str], blocks: list) -> int:
    aligns = []
    for spec in _cells(lines[i + 1]):
        left, right = spec.startswith(":"), spec.endswith(":")
        aligns.append("center" if left and right else "right" if right else
                      "left" if left else None)
    width = len(header)
    rows = []
    i += 2
    while i < len(lines) and not _is_blank(lines[i]) and not _ends_container(lines[i]) \
            and _indent(lines[i]) < 4:
        cells = _cells(lines[i])
        cells = (cells + [""] * width)[:width]
        rows.append([inline(c) for c in cells])
        i += 1
    blocks.append(Table([inline(c) for c in header], rows, aligns))
    return i


def _paragraph(lines: list[str], i: int, blocks: list) -> int:
    text = [lines[i]]
    i += 1
    while i < len(lines):
        line = lines[i]
        if _is_blank(line):
            break
        setext = _SETEXT.match(line) if type(line) is not _LazyLine else None
        if setext:
            level = 1 if setext.group(1)[0] == "=" else 2
            blocks.append(Heading(level, inline(_join(text))))
            return i + 1
        if type(line) is not _LazyLine and (_interrupts_paragraph(line)
                                            or _starts_table(lines, i)):
            break
        text.append(line)
        i += 1
    blocks.append(Paragraph(inline(_join(text))))
    return i


def _join(lines: list[str]) -> str:
    """A paragraph's lines as one text. Each line's own indentation stays: the inline
    parser drops it after a line break, except inside a code span, where it counts."""
    return "\n".join(lines).strip()


# -- inlines --------------------------------------------------------------------

_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_SPECIAL = re.compile(r"[\\`*_\[\]<&!\n]")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*)>")
_EMAIL = re.compile(r"<([A-Za-z0-9.!#$%&'*+/=?^_`{|}~\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}"
                    r"[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?)*)>")
# `(address "title")`: only ASCII spaces and controls end an address (a no-break space
# does not); a backslash escapes a parenthesis; balanced parentheses nest (3 deep here).
_DESTINATION_CHAR = r"\\[^\x00-\x20]|[^\x00-\x20()\\]"
_DESTINATION = f"(?:{_DESTINATION_CHAR})*"
for _ in range(3):
    _DESTINATION = f"(?:{_DESTINATION_CHAR}|\\({_DESTINATION}\\))*"
_LINK_TAIL = re.compile(
    r"\([ \t\n]*(<[^<>\n]*>|(?!<)" + _DESTINATION + r")"
    r"(?:[ \t\n]+(\"[^\"]*\"|'[^']*'|\([^)]*\)))?[ \t\n]*\)")


def _entity(match: re.Match) -> str:
    value = html.unescape(match.group(0))
    if value == match.group(0):
        return value  # not a known entity: literal text
    return value if value != "\x00" else "\ufffd"


class _Delimiter:
    __slots__ = ("char", "count", "original", "can_open", "can_close", "node", "active")

    def __init__(self, char, count, can_open, can_close, node):
        self.char, self.count, self.original = char, count, count
        self.can_open, self.can_close = can_open, can_close
        self.node = node  # index of its text node in the node list
        self.active = True


_INLINE_CACHE: dict[str, list[Run]] = {}
_INLINE_CACHE_SIZE = 4096  # about 2 MB at most: memory stays flat over a batch


def inline(text: str) -> list[Run]:
    """The runs of one paragraph, heading or cell (a list to read, not to change).

    Most of a playbook's sentences come from the knowledge files, so they repeat from
    one playbook to the next: their runs are kept (a batch parses a third less)."""
    runs = _INLINE_CACHE.get(text)
    if runs is None:
        if not _SPECIAL.search(text):
            runs = [Run(text)] if text else []
        else:
            runs = _flatten(_InlineParser(text).parse())
        if len(_INLINE_CACHE) >= _INLINE_CACHE_SIZE:
            _INLINE_CACHE.clear()
        _INLINE_CACHE[text] = runs
    return runs


def _code_span(text: str, i: int) -> tuple[int, int | None]:
    """The backtick run at i: where it ends, and where the run of the same length that
    closes it starts (None when nothing closes it: the run is then plain text)."""
    j = i
    while j < len(text) and text[j] == "`":
        j += 1
    ticks, k = text[i:j], j
    while True:
        k = text.find(ticks, k)
        if k == -1:
            return j, None
        end = k + len(ticks)
        if (end < len(text) and text[end] == "`") or text[k - 1] == "`":
            k = end
            while k < len(text) and text[k] == "`":
                k += 1
            continue
        return j, k


class _InlineParser:
    """CommonMark inline parsing: a node list plus a delimiter stack for emphasis."""

    def __init__(self, text: str, depth: int = 0):
        self.text = text
        self.depth = depth
        # nodes: ["text", str] | ["code", str] | ["break"] | ["link", url, [nodes]] |
        #        ["delim", str, marks...]: a run of * or _, with the ("open", flag) and
        #        ("close", flag) marks of the emphasis spans it starts or ends
        self.nodes: list[list] = []
        self.delimiters: list[_Delimiter] = []

    def add_text(self, value: str) -> None:
        if self.nodes and self.nodes[-1][0] == "text":
            self.nodes[-1][1] += value
        else:
            self.nodes.append(["text", value])

    def parse(self) -> list[list]:
        text, i, n = self.text, 0, len(self.text)
        while i < n:
            char = text[i]
            if char == "\\":
                if i + 1 < n and text[i + 1] in _PUNCTUATION:
                    self.add_text(text[i + 1])
                    i += 2
                elif i + 1 < n and text[i + 1] == "\n":
                    self.nodes.append(["break"])
                    i += 2
                    while i < n and text[i] in " \t":  # the next line's indentation
                        i += 1
                else:
                    self.add_text("\\")
                    i += 1
            elif char == "`":
                i = self._code(i)
            elif char in "*_":
                i = self._delimiter_run(i)
            elif char == "&":
                found = _ENTITY.match(text, i)
                if found:
                    self.add_text(_entity(found))
                    i = found.end()
                else:
                    self.add_text("&")
                    i += 1
            elif char == "<":
                found = _AUTOLINK.match(text, i) or _EMAIL.match(text, i)
                if found:
                    target = found.group(1)
                    url = target if found.re is _AUTOLINK else "mailto:" + target
                    self.nodes.append(["link", url, [["text", target]]])
                    i = found.end()
                else:
                    self.add_text("<")
                    i += 1
            elif char == "[" and self.depth < MAX_NESTING:
                i = self._link(i)
            elif char == "\n":
                # two trailing spaces make a hard break; otherwise a soft break (a space)
                if self.nodes and self.nodes[-1][0] == "text" and \
                        self.nodes[-1][1].endswith("  "):
                    self.nodes[-1][1] = self.nodes[-1][1].rstrip(" ")
                    self.nodes.append(["break"])
                else:
                    if self.nodes and self.nodes[-1][0] == "text":
                        self.nodes[-1][1] = self.nodes[-1][1].rstrip(" ")
                    self.add_text(" ")
                i += 1
                while i < n and text[i] in " \t":
                    i += 1
            else:
                found = _SPECIAL.search(text, i + 1)
                end = found.start() if found else n
                self.add_text(text[i:end])
                i = end
        self._process_emphasis(0)
        return self.nodes

    def _code(self, i: int) -> int:
        text = self.text
        j, k = _code_span(text, i)
        if k is None:
            self.add_text(text[i:j])
            return j
        content = text[j:k].replace("\n", " ")
        if content.startswith(" ") and content.endswith(" ") and content.strip(" "):
            content = content[1:-1]
        self.nodes.append(["code", content])
        return k + (j - i)

    def _delimiter_run(self, i: int) -> int:
        text, char = self.text, self.text[i]
        j = i
        while j < len(text) and text[j] == char:
            j += 1
        before = text[i - 1] if i > 0 else " "
        after = text[j] if j < len(text) else " "
        before_space = before.isspace()
        after_space = after.isspace()
        before_punct = _is_punctuation(before)
        after_punct = _is_punctuation(after)
        left = not after_space and (not after_punct or before_space or before_punct)
        right = not before_space and (not before_punct or after_space or after_punct)
        if char == "*":
            can_open, can_close = left, right
        else:
            can_open = left and (not right or before_punct)
            can_close = right and (not left or after_punct)
        self.nodes.append(["delim", text[i:j]])
        self.delimiters.append(_Delimiter(char, j - i, can_open, can_close, len(self.nodes) - 1))
        return j

    def _link(self, i: int) -> int:
        """`[text](url)`: find the closing bracket (nesting and escapes allowed)."""
        text, depth, j = self.text, 0, i
        while j < len(text):
            char = text[j]
            if char == "\\":
                j += 2
                continue
            if char == "`":  # a code span binds tighter than the brackets
                opened, closing = _code_span(text, j)
                j = opened if closing is None else closing + (opened - j)
                continue
            if char == "[":
                depth += 1
            elif char == "]":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        else:
            self.add_text("[")
            return i + 1
        tail = _LINK_TAIL.match(text, j + 1)
        if not tail:
            self.add_text("[")
            return i + 1
        url = tail.group(1)
        if url.startswith("<"):
            url = url[1:-1]
        url = _ENTITY.sub(_entity, re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", url))
        label = _InlineParser(text[i + 1:j], self.depth + 1).parse()
        self.nodes.append(["link", url, label])
        return tail.end()

    def _process_emphasis(self, bottom: int) -> None:
        """CommonMark's "process emphasis" over the delimiter stack."""
        delimiters = self.delimiters
        openers_bottom: dict[tuple, int] = {}
        closer_index = bottom
        while closer_index < len(delimiters):
            closer = delimiters[closer_index]
            if not (closer.can_close and closer.active and closer.count):
                closer_index += 1
                continue
            key = (closer.char, closer.can_open, closer.original % 3)
            floor = max(openers_bottom.get(key, bottom), bottom)
            opener_index = closer_index - 1
            found = None
            while opener_index >= floor:
                opener = delimiters[opener_index]
                if opener.char == closer.char and opener.can_open and opener.active \
                        and opener.count:
                    odd = (opener.can_close or closer.can_open) and \
                        (opener.original + closer.original) % 3 == 0 and \
                        not (opener.original % 3 == 0 and closer.original % 3 == 0)
                    if not odd:
                        found = opener_index
                        break
                opener_index -= 1
            if found is None:
                openers_bottom[key] = closer_index
                if not closer.can_open:
                    closer.active = False
                closer_index += 1
                continue
            opener = delimiters[found]
            strong = 2 if opener.count >= 2 and closer.count >= 2 else 1
            flag = BOLD if strong == 2 else ITALIC
            opener.count -= strong
            closer.count -= strong
            self.nodes[opener.node][1] = opener.char * opener.count
            self.nodes[closer.node][1] = closer.char * closer.count
            # mark the span: an "open" node after the opener text, a "close" before the closer
            # marks in the order of matching: a delimiter's first match is its innermost span
            self.nodes[opener.node].append(("open", flag))
            self.nodes[closer.node].append(("close", flag))
            for between in delimiters[found + 1:closer_index]:
                between.active = False
            if opener.count == 0:
                opener.active = False
            if closer.count == 0:
                closer.active = False
                closer_index += 1


def _is_punctuation(char: str) -> bool:
    if char.isascii():
        return char in _PUNCTUATION
    return unicodedata.category(char).startswith(("P", "S"))


def _flatten(nodes: list[list], flags: int = 0, url: str | None = None) -> list[Run]:
    """Nodes to runs: emphasis spans become flags on the runs they cover."""
    runs: list[Run] = []
    active: list[int] = []  # a stack of open flags

    def current() -> int:
        value = flags
        for flag in active:
            value |= flag
        return value

    def add(text: str, style: int) -> None:
        if not text:
            return
        if runs and runs[-1].flags == style and runs[-1].url == url and not runs[-1].line_break:
            runs[-1] = Run(runs[-1].text + text, style, url)
        else:
            runs.append(Run(text, style, url))

    for node in nodes:
        kind = node[0]
        if kind == "text":
            add(node[1], current())
        elif kind == "delim":
            # A closer's leftover characters come after the spans it closes, innermost
            # (first matched) first; an opener's come before the spans it opens,
            # outermost (last matched) first. Spans always nest.
            for mark in node[2:]:
                if mark[0] == "close" and active:
                    active.pop()
            add(node[1], current())
            for mark in reversed(node[2:]):
                if mark[0] == "open":
                    active.append(mark[1])
        elif kind == "code":
            add(node[1], current() | CODE)
        elif kind == "break":
            runs.append(Run("", current(), url, line_break=True))
        elif kind == "link":
            runs.extend(_flatten(node[2], current(), node[1]))
    return runs
