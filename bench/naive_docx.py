"""The naive way to turn a playbook's Markdown into Word, for the benchmark to compare.

What a typical developer writes first: parse the Markdown with markdown-it-py, then
build the document with python-docx's public API only: `docx.Document()`,
`add_heading`, `add_paragraph(style="List Bullet"...)`, `add_run` with bold and italic,
`add_table` with a table style, `add_page_break`. It writes the same structure as
playbook's Word writer (headings, nested bulleted and numbered lists, tables with a
header row, quotes, bold/italic/code runs, page breaks), so the two can be timed on
the same Markdown. It does less than ours (no cover layout, no table of contents
field, no numbering restart, no hyperlinks, no header or footer), which only makes
the comparison kinder to it.
"""

from __future__ import annotations

import io
import json

import docx
from markdown_it import MarkdownIt

MARKDOWN = MarkdownIt("commonmark").enable("table")
TABLE_STYLE = "Light Grid Accent 1"


def split_front_matter(markdown: str) -> tuple[dict[str, str], str]:
    """The `key: "value"` lines between the leading `---` lines, and the rest."""
    if not markdown.startswith("---\n"):
        return {}, markdown
    head, _, body = markdown[4:].partition("\n---\n")
    meta = {}
    for line in head.splitlines():
        key, _, value = line.partition(":")
        value = value.strip()
        try:
            meta[key.strip()] = json.loads(value) if value.startswith('"') else value
        except ValueError:
            meta[key.strip()] = value
    return meta, body


def add_inline(paragraph, children, bold: bool = False) -> None:
    """Runs for an inline token's children: bold, italic, code, line breaks."""
    strong = emphasis = False
    for child in children or ():
        kind = child.type
        if kind == "strong_open":
            strong = True
        elif kind == "strong_close":
            strong = False
        elif kind == "em_open":
            emphasis = True
        elif kind == "em_close":
            emphasis = False
        elif kind in ("text", "html_inline"):
            run = paragraph.add_run(child.content)
            run.bold = strong or bold or None
            run.italic = emphasis or None
        elif kind == "code_inline":
            run = paragraph.add_run(child.content)
            run.font.name = "Courier New"
        elif kind == "softbreak":
            paragraph.add_run(" ")
        elif kind == "hardbreak":
            paragraph.add_run().add_break()


def markdown_to_docx(markdown: str) -> bytes:
    """The .docx bytes of a playbook's Markdown, built through python-docx."""
    meta, body = split_front_matter(markdown)
    document = docx.Document()
    properties = document.core_properties
    properties.title = meta.get("title", "")
    properties.author = meta.get("author", "")
    properties.subject = meta.get("subject", "")

    tokens = MARKDOWN.parse(body)
    lists: list[str] = []  # "bullet" or "number", one per open list
    in_quote = 0
    paragraph = None
    table_rows: list[list] | None = None
    index = 0
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        if kind == "heading_open":
            level = int(token.tag[1]) - 1  # '#' is the document title, '##' Heading 1
            paragraph = document.add_heading("", level=min(level, 9))
            add_inline(paragraph, tokens[index + 1].children)
            index += 2
        elif kind in ("bullet_list_open", "ordered_list_open"):
            lists.append("bullet" if kind == "bullet_list_open" else "number")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "blockquote_open":
            in_quote += 1
        elif kind == "blockquote_close":
            in_quote -= 1
        elif kind == "paragraph_open" and table_rows is None:
            if lists:
                depth = min(len(lists), 3)
                style = ("List Bullet" if lists[-1] == "bullet" else "List Number") + (
                    f" {depth}" if depth > 1 else "")
            elif in_quote:
                style = "Quote"
            else:
                style = None
            paragraph = document.add_paragraph(style=style)
            add_inline(paragraph, tokens[index + 1].children)
            index += 1
        elif kind == "table_open":
            table_rows = []
        elif kind == "tr_open":
            table_rows.append([])
        elif kind in ("th_open", "td_open"):
            table_rows[-1].append(tokens[index + 1].children)
            index += 1
        elif kind == "table_close":
            columns = max(len(row) for row in table_rows)
            table = document.add_table(rows=len(table_rows), cols=columns, style=TABLE_STYLE)
            for row_index, row in enumerate(table_rows):
                cells = table.rows[row_index].cells
                for column, children in enumerate(row):
                    add_inline(cells[column].paragraphs[0], children, bold=row_index == 0)
            table_rows = None
        elif kind == "html_block":
            if "pagebreak" in token.content:
                document.add_page_break()
            elif "<!-- toc" in token.content:
                document.add_paragraph("Contents", style="TOC Heading")
        elif kind in ("fence", "code_block"):
            run = document.add_paragraph().add_run(token.content.rstrip("\n"))
            run.font.name = "Courier New"
        index += 1

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
