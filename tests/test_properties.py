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
from pathlib import Path

import docx
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from strategies import mutated_profiles, valid_profiles

from playbook.build import Builder
from playbook.cli import main
from playbook.knowledge import load_knowledge
from playbook.paths import search_path

EXAMPLES = int(os.environ.get("PLAYBOOK_FUZZ_EXAMPLES", "500"))
PLATFORMS = sorted(load_knowledge(search_path()).accepted_ids) + ["twitter", "LinkedIn "]
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])

BUILDER = Builder()
COMMONMARK = MarkdownIt("commonmark").enable("table")


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
    text = playbook.markdown.split("\n---\n", 1)[1]  # past the front matter
    # the structure never changes, whatever the client text holds
    h2 = [t.content for t in _inline_after(COMMONMARK.parse(text), "h2")]
    assert len(h2) == 9, h2  # summary, recap, the five parts, open questions, sources
    document = docx.Document(io.BytesIO(BUILDER.docx(playbook)))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert len(headings) == len(h2)
    assert document.tables


def _inline_after(tokens, tag):
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == tag:
            yield tokens[index + 1]


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
