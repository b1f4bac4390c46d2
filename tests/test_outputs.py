"""Output files: safe names, no collisions, atomic writes, clear errors."""

from __future__ import annotations

import errno
import os
import unicodedata

import pytest
from conftest import merged
from hypothesis import given, settings
from hypothesis import strategies as st

from playbook.cli import main
from playbook.errors import OutputError
from playbook.outputs import MAX_SLUG, atomic_write, slugify, unique_slugs


@pytest.mark.parametrize("name, slug", [
    ("Boulangerie Müller & Fils", "boulangerie-muller-fils"),
    ("../../etc/passwd", "etc-passwd"),
    ("/absolute/path", "absolute-path"),
    ("C:\\Windows\\system32", "c-windows-system32"),
    ("CON", "con-playbook"),
    ("nul", "nul-playbook"),
    ("日本語の会社", "日本語の会社"),
    ("Αθηνά Café", "αθηνά-cafe"),
    ("हिन्दी", "हिन्दी"),  # the vowel signs (marks) stay with their letters
    ("\u200b\u200d", "playbook"),
    ("...", "playbook"),
    ("🥐🥐", "croissant-croissant"),
    ("🥐 Croissants", "croissant-croissants"),
])
def test_slugs_are_safe_file_names(name, slug):
    assert slugify(name) == slug


def test_separators_are_the_ascii_characters_but_lower_case_letters_and_digits():
    # the small class slugify compiles means the same as the large one it replaced,
    # over every code point (the boundaries included: / 0 9 : ` a z { DEL U+0080)
    import re

    from playbook.outputs import _SEPARATORS

    original = re.compile(r"[^0-9a-z\u0080-\U0010ffff]+")
    everything = "".join(map(chr, range(0x110000)))
    assert _SEPARATORS.sub("|", everything) == original.sub("|", everything)
    assert [m.span() for m in _SEPARATORS.finditer(everything)] == \
        [m.span() for m in original.finditer(everything)]


def test_long_names_are_cut():
    slug = slugify("word " * 100)
    assert len(slug) <= MAX_SLUG and not slug.endswith("-")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_every_name_gives_a_safe_file_name(name):
    """Any text: a name without separators, dots at the ends or reserved words, short
    enough in bytes for the temporary name to fit in 255 bytes."""
    slug = slugify(name)
    assert slug and "/" not in slug and "\\" not in slug and not slug.startswith((".", "-"))
    assert len(slug.encode("utf-8")) <= 120 and slug.split(".")[0] not in ("con", "nul", "aux")
    assert not any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zs") for c in slug)


def test_names_differing_in_case_or_accents_get_distinct_slugs():
    assert unique_slugs(["Café Lumière", "CAFE LUMIERE", "cafe-lumiere", "Other"]) == [
        "cafe-lumiere", "cafe-lumiere-2", "cafe-lumiere-3", "other"]


def test_render_keeps_clashing_companies_apart_inside_the_output_folder(runner, tmp_path):
    import json

    paths = []
    for index, name in enumerate(["../../Café Lumière", "CAFE LUMIERE"]):
        path = tmp_path / f"p{index}.json"
        path.write_text(json.dumps(merged({"company.name": name})), encoding="utf-8")
        paths.append(str(path))
    out = tmp_path / "out"
    result = runner.invoke(main, ["render", *paths, "-o", str(out), "-f", "md"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["cafe-lumiere-2.md", "cafe-lumiere.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "p0.json", "p1.json"]


def test_atomic_write_leaves_nothing_when_the_disk_is_full(tmp_path, monkeypatch):
    target = tmp_path / "playbook.docx"

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(OutputError, match="playbook.docx: cannot write: the disk is full"):
        atomic_write(target, b"data")
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_replaces_whole_files(tmp_path):
    target = tmp_path / "a.md"
    atomic_write(target, b"one")
    atomic_write(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]



def test_outputs_are_readable_by_others_as_the_umask_allows(tmp_path):
    """mkstemp's temporary files are private (0600); a playbook must not stay so."""
    umask = os.umask(0o022)
    os.umask(umask)
    target = tmp_path / "a.md"
    atomic_write(target, b"text")
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
