"""HTML output: the playbook's Markdown tree as a standalone page, in the brand's colours.

It reads the same tree as the Word writer (`mdtree`, one CommonMark parse), so the two
outputs show the same structure. Every text is escaped: raw HTML in a template or a
profile reads as text and can never inject markup or script. Images are embedded (data
URIs), so the page stays one file; links keep only web and mail addresses.
"""

from __future__ import annotations

import base64
import functools
import html
import json
import re
from collections.abc import Callable
from pathlib import Path

from . import mdtree
from .colours import readable_text_on, tint
from .mdtree import BOLD, CODE, ITALIC

_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_FONT = re.compile(r"^[\w .,'-]{1,80}$")  # a font name; nothing that could end the <style>
SAFE_URL = re.compile(r"^(?:https?://|mailto:|#)", re.I)
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}

CSS = """
body {{ font-family: {body_font}, "Segoe UI", Arial, sans-serif; color: #222; max-width: 52em;
  margin: 2em auto; padding: 0 1.5em; line-height: 1.55; }}
h1, h2, h3, h4 {{ font-family: {heading_font}, "Segoe UI", Arial, sans-serif;
  color: {primary}; line-height: 1.25; }}
h1 {{ font-size: 2.2em; margin-top: 2em; }}
h2 {{ border-bottom: 2px solid {accent}; padding-bottom: .2em; margin-top: 2.2em; }}
table {{ border-collapse: collapse; width: 100%; margin: 1em 0; }}
th {{ background: {accent}; color: {accent_text}; text-align: left; }}
th, td {{ border: 1px solid #ccc; padding: .4em .6em; vertical-align: top; }}
tr:nth-child(even) td {{ background: #f6f7f9; }}
blockquote {{ border-left: 4px solid {accent}; background: {accent_tint}; margin: 1em 0;
  padding: .6em 1em; }}
ul.checklist {{ list-style: none; padding-left: 1.2em; }}
table.chart td.mark {{ width: 1.6em; padding: 0; border-left: none; border-right: none;
  border-top: 3px solid #fff; border-bottom: 3px solid #fff; }}
table.chart td.bar {{ width: .9em; }}
table.chart td.on {{ background: {accent}; }}
table.chart td.off {{ background: {accent_track}; }}
table.chart tr:nth-child(even) td:not(.on):not(.off) {{ background: none; }}
.cover {{ margin-bottom: 3em; }}
.page-break {{ break-after: page; }}
nav.toc ul {{ list-style: none; padding-left: 0; }}
nav.toc ul ul {{ padding-left: 1.4em; font-size: .95em; }}
footer {{ margin-top: 3em; color: #666; font-size: .9em; border-top: 1px solid #ddd; }}
"""


def render_html(markdown: str | mdtree.Document, brand,
                images: Callable[[str], Path | None] | None = None) -> str:
    """A standalone HTML page for a playbook's Markdown (text, or its parsed tree)."""
    document = markdown if isinstance(markdown, mdtree.Document) else mdtree.parse(markdown)
    meta = document.meta
    page = _Page(images or (lambda address: None))
    content = page.blocks(document.blocks)
    if page.toc_at is not None:
        page.out[page.toc_at] = page.toc()
        content = "".join(page.out)
    accent = _colour(brand.accent_color, "#2E75B6")
    style = CSS.format(
        body_font=_font(brand.body_font), heading_font=_font(brand.heading_font),
        primary=_colour(brand.primary_color, "#1F3864"), accent=accent,
        accent_text="#" + readable_text_on(accent[1:]), accent_tint="#" + tint(accent[1:], 0.12),
        accent_track="#" + tint(accent[1:], 0.2))
    footer = html.escape(brand.footer_text or brand.agency or "")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(meta.get("lang", "en"))}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(meta.get('title', ''))} - {html.escape(meta.get('client', ''))}"
        f"</title>\n<style>{style}</style>\n</head>\n<body>\n{content}"
        + (f"<footer>{footer}</footer>\n" if footer else "")
        + "</body>\n</html>\n"
    )


class _Page:
    """Writes the tree's blocks as HTML; h2 headings get ids for the contents."""

    def __init__(self, find_image: Callable[[str], Path | None]):
        self.find_image = find_image
        self.out: list[str] = []
        self.h2: list[tuple[str, str]] = []  # (id, html of the text)
        self.sections: list[tuple[int, str, str]] = []  # (level, id, html) of h2 and h3
        self.toc_at: int | None = None
        self.toc_levels = 1
        self.toc_title = ""

    def blocks(self, blocks: list) -> str:
        for block in blocks:
            self.block(block)
        return "".join(self.out)

    def block(self, block) -> None:
        out = self.out
        kind = type(block)
        if kind is mdtree.Paragraph:
            out.append(f"<p>{self.runs(block.runs)}</p>\n")
        elif kind is mdtree.Heading:
            text = self.runs(block.runs)
            if block.level == 2:
                anchor = f"part-{len(self.h2) + 1}"
                self.h2.append((anchor, text))
                self.sections.append((2, anchor, text))
                out.append(f'<h2 id="{anchor}">{text}</h2>\n')
            elif block.level == 3:
                anchor = f"section-{len(self.sections) + 1}"
                self.sections.append((3, anchor, text))
                out.append(f'<h3 id="{anchor}">{text}</h3>\n')
            else:
                out.append(f"<h{block.level}>{text}</h{block.level}>\n")
        elif kind is mdtree.ListBlock:
            self.list(block)
        elif kind is mdtree.Table:
            self.table(block)
        elif kind is mdtree.Quote:
            out.append("<blockquote>\n")
            for inner in block.blocks:
                self.block(inner)
            out.append("</blockquote>\n")
        elif kind is mdtree.CodeBlock:
            out.append(f"<pre><code>{html.escape(block.text, quote=False)}</code></pre>\n")
        elif kind is mdtree.PageBreak:
            out.append('<div class="page-break"></div>\n')
        elif kind is mdtree.Rule:
            out.append("<hr />\n")
        elif kind is mdtree.Toc and self.toc_at is None:
            self.toc_at, self.toc_title, self.toc_levels = len(out), block.title, block.levels
            out.append("")  # filled once every heading is known

    def list(self, block: mdtree.ListBlock) -> None:
        tasks = any(item.checked is not None for item in block.items)
        if block.ordered:
            start = f' start="{block.start}"' if block.start != 1 else ""
            self.out.append(f"<ol{start}>\n")
        else:
            self.out.append('<ul class="checklist">\n' if tasks else "<ul>\n")
        for item in block.items:
            self.out.append("<li>")
            if item.checked is not None:
                self.out.append("&#x2612; " if item.checked else "&#x2610; ")
            blocks = item.blocks
            if blocks and type(blocks[0]) is mdtree.Paragraph:  # the item's first line, unwrapped
                self.out.append(self.runs(blocks[0].runs))
                blocks = blocks[1:]
                if blocks:
                    self.out.append("\n")
            for inner in blocks:
                self.block(inner)
            self.out.append("</li>\n")
        self.out.append("</ol>\n" if block.ordered else "</ul>\n")

    def table(self, block: mdtree.Table) -> None:
        """A table; a chart's (a timeline, bars) has one narrow cell per mark, filled
        (■ █) in the accent, empty (□ ░) in its tint, as in the Word output."""
        marks = mdtree.chart_columns(block)
        chart = any(marks)
        out = ['<table class="chart">\n<thead>\n<tr>\n' if chart else "<table>\n<thead>\n<tr>\n"]
        aligns = [f' style="text-align: {a}"' if a else "" for a in block.aligns]
        for column, cell in enumerate(block.header):
            span = f' colspan="{marks[column]}"' if marks[column] > 1 else ""
            out.append(f"<th{span}{aligns[column]}>{self.runs(cell)}</th>\n")
        out.append("</tr>\n</thead>\n")
        if block.rows:
            out.append("<tbody>\n")
            for row in block.rows:
                out.append("<tr>\n")
                for column in range(len(block.header)):
                    cell = row[column] if column < len(row) else []
                    if marks[column]:
                        out.append(self.mark_cells(cell, marks[column]))
                        continue
                    out.append(f"<td{aligns[column]}>{self.runs(cell)}</td>\n")
                out.append("</tr>\n")
            out.append("</tbody>\n")
        out.append("</table>\n")
        self.out.append("".join(out))

    @staticmethod
    def mark_cells(cell: list[mdtree.Run], count: int) -> str:
        cell_marks = mdtree.chart_marks(cell) or ""
        kind = "mark bar" if count > 1 else "mark"
        out = []
        for index in range(count):
            mark = cell_marks[index] if index < len(cell_marks) else ""
            state = (" on" if mark in mdtree.FILLED_MARKS else " off") if mark else ""
            out.append(f'<td class="{kind}{state}"></td>')
        return "".join(out) + "\n"

    def runs(self, runs: list[mdtree.Run]) -> str:
        out = []
        open_url = None
        for run in runs:
            url = run.url if run.url and SAFE_URL.match(run.url) else None
            if url != open_url:
                if open_url:
                    out.append("</a>")
                if url:
                    out.append(f'<a href="{html.escape(url)}">')
                open_url = url
            if run.line_break:
                out.append("<br />\n")
                continue
            if run.image is not None:
                out.append(self.image(run))
                continue
            text = html.escape(run.text, quote=False)
            if run.flags & CODE:
                text = f"<code>{text}</code>"
            if run.flags & ITALIC:
                text = f"<em>{text}</em>"
            if run.flags & BOLD:
                text = f"<strong>{text}</strong>"
            out.append(text)
        if open_url:
            out.append("</a>")
        return "".join(out)

    def image(self, run: mdtree.Run) -> str:
        path = self.find_image(run.image)
        kind = IMAGE_TYPES.get(path.suffix.lower()) if path else None
        if kind is None:
            return html.escape(run.text, quote=False)
        stat = path.stat()
        data = _data_uri(str(path), stat.st_mtime_ns, stat.st_size, kind)
        return f'<img src="{data}" alt="{html.escape(run.text)}" />'

    def toc(self) -> str:
        """The parts, and with `levels="2"` their sections nested under each."""
        parts: list[tuple[str, str, list[tuple[str, str]]]] = []
        for level, anchor, text in self.sections:
            if level == 2:
                parts.append((anchor, text, []))
            elif self.toc_levels >= 2 and parts:
                parts[-1][2].append((anchor, text))
        items = []
        for anchor, text, children in parts:
            inner = "".join(f'<li><a href="#{a}">{t}</a></li>' for a, t in children)
            items.append(f'<li><a href="#{anchor}">{text}</a>'
                         + (f"<ul>{inner}</ul>" if inner else "") + "</li>")
        heading = f"<h2>{html.escape(self.toc_title)}</h2>" if self.toc_title else ""
        return f'<nav class="toc">{heading}<ul>{"".join(items)}</ul></nav>\n'


@functools.lru_cache(maxsize=32)
def _data_uri(path: str, mtime_ns: int, size: int, kind: str) -> str:
    """A picture as a data URI, read once per file version (a batch embeds the same
    template picture in every page)."""
    return f"data:{kind};base64,{base64.b64encode(Path(path).read_bytes()).decode('ascii')}"


def _font(name: str | None) -> str:
    """A quoted CSS font name; a name that could break out of the style is dropped."""
    return json.dumps(name) if name and _FONT.match(name) else '"Calibri"'


def _colour(value: str | None, default: str) -> str:
    return value if value and _COLOUR.match(value) else default
