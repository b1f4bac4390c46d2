"""Property-based tests (hypothesis): random and hostile profiles never crash the tool.

- Random valid profiles always render to Markdown and a .docx that python-docx reopens,
  with the structure of a playbook.
- Random mutations of valid profiles (wrong types, out-of-range numbers, unknown keys
  and values, deleted required fields, huge strings, deep nesting, every unicode plane,
  right-to-left text, emoji, control characters, NUL, lone surrogates) end in a rendered
  playbook or clean error lines and exit 1, never a traceback, and never an output
  file for a profile that failed.

At least 500 examples each here; `bench/fuzz` runs a longer campaign.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import docx
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import markdown_documents, mutated_profiles, valid_profiles

from playbook import mdtree
from playbook.build import Builder
from playbook.cli import main
from playbook.docx_writer import DocxWriter
from playbook.knowledge import load_knowledge
from playbook.paths import image_finder, search_path

EXAMPLES = int(os.environ.get("PLAYBOOK_FUZZ_EXAMPLES", "500"))
PLATFORMS = sorted(load_knowledge(search_path()).accepted_ids) + ["twitter", "LinkedIn "]
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])

BUILDER = Builder()


def write_profile(folder: Path, data: dict, kind: str) -> Path:
    path = folder / f"profile.{kind}"
    if kind == "json":
        path.write_text(json.dumps(data), encoding="utf-8")  # \ud800 escapes survive
    else:
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@FUZZ
@given(data=valid_profiles(PLATFORMS), language=st.sampled_from(["en", "fr"]))
def test_random_valid_profiles_render_markdown_and_a_docx_that_reopens(data, language):
    with tempfile.TemporaryDirectory() as work:
        path = write_profile(Path(work), data, "json")
        playbook = BUILDER.build(BUILDER.load(path), language)
    # the structure never changes, whatever the client text holds
    tree = playbook.document.blocks
    h2 = [b for b in tree if isinstance(b, mdtree.Heading) and b.level == 2]
    assert len(h2) == 11, h2  # summary, plan on a page, the five parts, the field (6),
    # open questions, recap, sources
    document = docx.Document(io.BytesIO(BUILDER.docx(playbook)))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert len(headings) == len(h2)
    assert len(document.tables) == sum(isinstance(b, mdtree.Table) for b in tree)
    assert document.tables


@pytest.fixture(scope="module")
def work_folder():
    folder = Path(tempfile.mkdtemp(prefix="playbook-fuzz-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@FUZZ
@given(data=mutated_profiles(PLATFORMS), kind=st.sampled_from(["json", "yaml"]))
def test_mutated_profiles_end_in_a_playbook_or_a_clean_error(work_folder, data, kind):
    from click.testing import CliRunner

    case = Path(tempfile.mkdtemp(dir=work_folder))
    try:
        try:
            path = write_profile(case, data, kind)
        except (ValueError, yaml.YAMLError):
            return  # not representable in that format: nothing to test
        out = case / "out"
        result = CliRunner().invoke(main, ["render", str(path), "-o", str(out), "-f", "md,docx"])
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            repr(result.exception)
        assert "Traceback" not in result.output
        produced = sorted(p.name for p in out.iterdir()) if out.exists() else []
        if result.exit_code == 0:
            assert len(produced) == 2 and {Path(p).suffix for p in produced} == {".md", ".docx"}
            docx.Document(str(next(out.glob("*.docx"))))
        else:
            assert result.exit_code == 1
            assert produced == []  # nothing half-written for a failed profile
            errors = [line for line in result.output.splitlines()
                      if line.startswith("playbook: error: ")]
            assert errors and all(len(line) < 2000 for line in errors)
    finally:
        shutil.rmtree(case, ignore_errors=True)


MARKDOWN, _ = markdown_documents()
WRITER = DocxWriter()
PICTURES = image_finder(search_path(Path(__file__).resolve().parent / "data"))
W_NUMPR = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}numPr"
W_NUMID = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}numId"
W_VAL = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val"
HEADING_STYLES = {1: "Title", 2: "Heading 1", 3: "Heading 2", 4: "Heading 3", 5: "Heading 4",
                  6: "Heading 4"}


def tree_outline(blocks) -> tuple[list, list, int, int]:
    """What the Word document must hold, read from the parser's tree: the headings
    (style, text), the tables (rows, columns), the list items and the pictures."""
    headings, tables, items, pictures = [], [], 0, 0
    stack = list(reversed(blocks))
    while stack:
        block = stack.pop()
        if isinstance(block, mdtree.Heading):
            headings.append((HEADING_STYLES[block.level], " ".join(mdtree.plain_text(
                [r for r in block.runs if r.image is None or not PICTURES(r.image)]).split())))
        elif isinstance(block, mdtree.Table):
            tables.append((len(block.rows) + 1, len(block.header)))
        elif isinstance(block, mdtree.ListBlock):
            items += len(block.items)
            for item in reversed(block.items):
                stack.extend(reversed(item.blocks))
        elif isinstance(block, mdtree.Quote):
            stack.extend(reversed(block.blocks))
        runs = (block.runs if isinstance(block, mdtree.Paragraph | mdtree.Heading) else
                [r for row in [block.header] + block.rows for cell in row for r in cell]
                if isinstance(block, mdtree.Table) else [])
        pictures += sum(1 for r in runs if r.image is not None and PICTURES(r.image))
    return headings, tables, items, pictures


@FUZZ
@given(markdown=MARKDOWN)
def test_random_markdown_gives_a_docx_with_the_tree_structure(markdown):
    """Any CommonMark a template may hold: the .docx is well-formed, reopens, and holds
    the headings (in their Word styles), tables, list items and pictures of the tree."""
    tree = mdtree.parse(markdown)
    data = WRITER.render(tree, PICTURES)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(archive.read(name))
    document = docx.Document(io.BytesIO(data))
    headings, tables, items, pictures = tree_outline(tree.blocks)
    assert [(p.style.name, " ".join(p.text.split())) for p in document.paragraphs
            if p.style.name in HEADING_STYLES.values()] == headings
    assert [(len(t.rows), len(t.columns)) for t in document.tables] == tables
    numbered = [p for p in document.paragraphs
                if (numpr := p._p.find(f".//{W_NUMPR}")) is not None
                and numpr.find(W_NUMID).get(W_VAL) != "0"]
    assert len(numbered) == items
    assert len(document.inline_shapes) == pictures
