"""HTML output: the same Markdown rendered by markdown-it-py, in the brand's colours.

markdown-it-py follows CommonMark, as GitHub does, so the HTML shows what the .md shows.
Raw HTML is disabled: a template or a profile can never inject markup or script;
the tool's own markers (page breaks, contents) are handled before parsing.
"""

from __future__ import annotations

import html
import json
import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_MARKER = re.compile(r"^<!--\s*(pagebreak|toc)\b(.*?)-->\s*$", re.M)
_TOC_TITLE = re.compile(r'title="([^"]*)"')
_TASK = re.compile(r"^\[([ xX])\]\s+")
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_FONT = re.compile(r"^[\w .,'-]{1,80}$")  # a font name; nothing that could end the <style>

CSS = """
body {{ font-family: {body_font}, "Segoe UI", Arial, sans-serif; color: #222; max-width: 52em;
  margin: 2em auto; padding: 0 1.5em; line-height: 1.55; }}
h1, h2, h3, h4 {{ font-family: {heading_font}, "Segoe UI", Arial, sans-serif;
  color: {primary}; line-height: 1.25; }}
h1 {{ font-size: 2.2em; margin-top: 2em; }}
h2 {{ border-bottom: 2px solid {accent}; padding-bottom: .2em; margin-top: 2.2em; }}
table {{ border-collapse: collapse; width: 100%; margin: 1em 0; }}
th {{ background: {accent}; color: #fff; text-align: left; }}
th, td {{ border: 1px solid #ccc; padding: .4em .6em; vertical-align: top; }}
tr:nth-child(even) td {{ background: #f6f7f9; }}
blockquote {{ border-left: 4px solid {accent}; background: #f3f6fa; margin: 1em 0;
  padding: .6em 1em; }}
ul.checklist {{ list-style: none; padding-left: 1.2em; }}
.cover {{ margin-bottom: 3em; }}
.page-break {{ break-after: page; }}
nav.toc ul {{ list-style: none; padding-left: 0; }}
footer {{ margin-top: 3em; color: #666; font-size: .9em; border-top: 1px solid #ddd; }}
"""


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.core.ruler.push("playbook_tasks_and_ids", _tasks_and_ids)
    return md


def _tasks_and_ids(state) -> None:
    """Turn `[ ]`/`[x]` list items into checkboxes and give h2 headings an id
    (numbered across the whole page: the text is parsed in chunks between markers)."""
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h2":
            state.env["h2"] = state.env.get("h2", 0) + 1
            token.attrSet("id", f"part-{state.env['h2']}")
        if token.type == "inline" and index >= 2 and tokens[index - 2].type == "list_item_open":
            first = token.children[0] if token.children else None
            if first is not None and first.type == "text" and _TASK.match(first.content):
                checked = first.content[1] != " "
                first.content = _TASK.sub("", first.content)
                box = Token("html_inline", "", 0)
                box.content = "&#x2612; " if checked else "&#x2610; "
                token.children.insert(0, box)


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    meta = {}
    for line in match.group(1).splitlines():
        key, _, value = line.partition(":")
        value = value.strip()
        try:
            meta[key.strip()] = str(json.loads(value)) if value.startswith('"') else value
        except json.JSONDecodeError:
            meta[key.strip()] = value
    return meta, text[match.end():]


def render_html(markdown: str, brand) -> str:
    """A standalone HTML page for a playbook's Markdown."""
    meta, body = _front_matter(markdown)
    md = _parser()
    parts = _MARKER.split(body)
    # split() yields text, kind, attributes, text, kind, attributes, ...
    chunks: list[str] = []
    toc_at, toc_title = None, ""
    env: dict = {}  # shared by the chunks: heading numbers run on
    for index in range(0, len(parts), 3):
        chunks.append(md.render(parts[index], env))
        if index + 1 < len(parts):
            kind, attributes = parts[index + 1], parts[index + 2]
            if kind == "pagebreak":
                chunks.append('<div class="page-break"></div>\n')
            else:
                found = _TOC_TITLE.search(attributes)
                toc_title = found.group(1) if found else ""
                toc_at = len(chunks)
                chunks.append("")
    content = "".join(chunks)
    if toc_at is not None:
        chunks[toc_at] = _toc(content, toc_title)
        content = "".join(chunks)
    style = CSS.format(
        body_font=_font(brand.body_font), heading_font=_font(brand.heading_font),
        primary=_colour(brand.primary_color, "#1F3864"),
        accent=_colour(brand.accent_color, "#2E75B6"))
    footer = html.escape(brand.footer_text or brand.agency or "")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(meta.get("lang", "en"))}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(meta.get('title', ''))} - {html.escape(meta.get('client', ''))}"
        f"</title>\n<style>{style}</style>\n</head>\n<body>\n{content}"
        + (f"<footer>{footer}</footer>\n" if footer else "")
        + "</body>\n</html>\n"
    )


def _toc(content: str, title: str) -> str:
    items = re.findall(r'<h2 id="(part-\d+)">(.*?)</h2>', content)
    links = "".join(f'<li><a href="#{anchor}">{text}</a></li>' for anchor, text in items)
    heading = f"<h2>{html.escape(title)}</h2>" if title else ""
    return f'<nav class="toc">{heading}<ul>{links}</ul></nav>\n'


def _font(name: str | None) -> str:
    """A quoted CSS font name; a name that could break out of the style is dropped."""
    return json.dumps(name) if name and _FONT.match(name) else '"Calibri"'


def _colour(value: str | None, default: str) -> str:
    return value if value and _COLOUR.match(value) else default
