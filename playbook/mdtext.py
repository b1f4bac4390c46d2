"""Client text made safe for Markdown: it reads as text and never changes the structure.

A company name like `*Best* Shop | #1` must not turn bold, split a table cell or
start a heading, in Markdown, HTML or Word. Templates pass every value through these
filters (`md`, `cell`, `paragraphs`, `yaml_string`); escapes are CommonMark backslash
escapes, which every CommonMark parser honours (the writers read `mdtree`). Escaping is kept
minimal so the .md file stays readable.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

# Inline characters that can start markup anywhere in a line.
_INLINE = re.compile(r"([\\`*_\[\]<>|~$])")
# Things that only mean something at the start of a line: a heading (`# `), a list
# item (`- `, `+ `, `1. `, `1) `), a setext underline or thematic break (`===`, `---`).
_LINE_START = re.compile(r"^(?:(#{1,6})(?=\s|$)|([-+])(?=\s|$)|(\d{1,9})(?=[.)](?:\s|$))|([-=])(?=[-= ]*$))")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# Quick test: text with none of these characters, no double space, no space at either
# end and no digit first needs no work at all (the common case). One character class:
# an alternation with anchors made the regex engine retry at every position. The two
# line breaks beyond Latin-1 are tested apart: in the class they made it cost 2.7
# million instructions to compile.
_MARKUP_OR_BREAK = re.compile(r"[\\`*_\[\]<>|~$&#+=\-\n\r\t\v\f\x85]")


def inline(text: object) -> str:
    """One line of literal text: whitespace collapsed, markup characters escaped."""
    if text is None:
        return ""
    line = text if type(text) is str else str(text)
    return _recurring(line) if len(line) <= _RECURRING_CHARS else _escape(line)


def _escape(line: str) -> str:
    if not (_MARKUP_OR_BREAK.search(line) or "  " in line or "\u2028" in line
            or "\u2029" in line or (line and (
            line[0].isspace() or line[-1].isspace() or line[0].isdecimal()))):
        return line
    line = " ".join(line.split())
    if "&" in line:
        line = _ENTITY.sub("&amp;", line)
    line = _INLINE.sub(r"\\\1", line)
    match = _LINE_START.match(line)
    if match:
        if match.group(3):  # "1. x" -> "1\. x": the number stays readable
            digits = match.group(3)
            line = digits + "\\" + line[len(digits):]
        else:  # "# x" -> "\# x", "- x" -> "\- x", "---" -> "\---"
            line = "\\" + line
    return line


# A playbook escapes about 450 texts, most of them knowledge texts that recur from one
# playbook to the next: a warm process (a batch worker) reuses their escaping. Bounded
# in count and length, so its memory stays flat (under a megabyte).
_RECURRING_CHARS = 400
_recurring = lru_cache(maxsize=2048)(_escape)


def code(text: object) -> str:
    """Literal text in a code span, e.g. a file name (`000_d7ae.txt`)."""
    value = " ".join(str(text).split())
    fence = "`"
    while fence in value:
        fence += "`"
    padding = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{padding}{value}{padding}{fence}"


def cell(text: object) -> str:
    """Text for a table cell: like `inline`, never empty (an empty cell reads as a gap)."""
    escaped = inline(text)
    return escaped if escaped else " "


def table(rows, headers, keys=None) -> str:
    """A GitHub table: `rows` are lists of cells, or dicts read with `keys`."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for row in rows:
        cells = [row[k] for k in keys] if keys else row
        lines.append("| " + " | ".join(cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def paragraphs(text: object) -> str:
    """Multi-line client text: blank lines separate paragraphs, each escaped as one line."""
    if text is None:
        return ""
    blocks = re.split(r"\n\s*\n", str(text).strip())
    return "\n\n".join(inline(block) for block in blocks if block.strip())


def yaml_string(text: object) -> str:
    """A double-quoted scalar for the front matter (JSON strings are valid YAML)."""
    return json.dumps("" if text is None else str(text), ensure_ascii=False)




def french_spacing(markdown: str) -> str:
    """No-break spaces inside French punctuation (`mot :`, `« mot »`), so a line never
    starts with a colon. The front matter is left as it is."""
    head = ""
    if markdown.startswith("---\n"):
        end = markdown.find("\n---\n", 4)
        if end != -1:
            head, markdown = markdown[: end + 5], markdown[end + 5:]
    # plain replacements: a regular expression with a callback per match (a playbook has
    # hundreds) made this pass a tenth of a French playbook's time; five times faster so
    for mark in ":;?!»":
        markdown = markdown.replace(" " + mark, "\u00a0" + mark)
    return head + markdown.replace("« ", "«\u00a0")
