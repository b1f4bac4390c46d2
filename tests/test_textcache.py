"""The knowledge cache: same data as parsing, refreshed when a file changes, never in
the way (a damaged entry or an unwritable folder means parsing as usual)."""

from __future__ import annotations

import os
import shutil

import pytest

from playbook.knowledge import load_knowledge
from playbook.paths import builtin_templates, search_path


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("PLAYBOOK_CACHE_DIR", str(folder))
    return folder


def test_cached_knowledge_equals_parsed_knowledge(cache, monkeypatch):
    first = load_knowledge(search_path())  # parses and fills the cache
    assert len(list(cache.glob("*.json"))) == len(list((builtin_templates() / "knowledge").glob(
        "*.yaml")))
    second = load_knowledge(search_path())  # from the cache
    monkeypatch.setenv("PLAYBOOK_CACHE_DIR", "")  # off
    parsed = load_knowledge(search_path())
    assert first == second == parsed


def test_an_edited_file_is_parsed_again(cache, tmp_path):
    user = tmp_path / "mine"
    (user / "knowledge").mkdir(parents=True)
    labels = user / "knowledge" / "labels.yaml"
    shutil.copy(builtin_templates() / "knowledge" / "labels.yaml", labels)
    before = load_knowledge(search_path(user)).texts("en").get("labels.yes")
    text = labels.read_text(encoding="utf-8")
    labels.write_text(text.replace('{en: "yes"', '{en: "absolutely"', 1), encoding="utf-8")
    stat = labels.stat()
    os.utime(labels, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    after = load_knowledge(search_path(user)).texts("en").get("labels.yes")
    assert before == "yes" and after == "absolutely"


def test_a_damaged_entry_or_folder_is_ignored(cache, tmp_path, monkeypatch):
    expected = load_knowledge(search_path())
    for entry in cache.glob("*.json"):
        entry.write_text("{not json", encoding="utf-8")
    assert load_knowledge(search_path()) == expected
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("PLAYBOOK_CACHE_DIR", str(blocker / "sub"))  # cannot be created
    assert load_knowledge(search_path()) == expected
