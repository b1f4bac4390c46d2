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
    from playbook import prebuilt

    shipped = load_knowledge(search_path())  # the package's parsed files: nothing cached
    assert list(cache.glob("*.json")) == []
    monkeypatch.setattr(prebuilt, "knowledge_data", lambda path, builtin: prebuilt.MISSING)
    monkeypatch.setattr(prebuilt, "knowledge_merged", lambda files, builtin: None)
    first = load_knowledge(search_path())  # parses and fills the cache
    assert len(list(cache.glob("*.json"))) == len(list((builtin_templates() / "knowledge").glob(
        "*.yaml")))
    second = load_knowledge(search_path())  # from the cache
    monkeypatch.setenv("PLAYBOOK_CACHE_DIR", "")  # off
    parsed = load_knowledge(search_path())
    assert shipped == first == second == parsed


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


def test_compiled_templates_are_cached_and_follow_their_source(cache, tmp_path):
    """Jinja2's bytecode cache sits next to the knowledge cache: a second process finds
    the compiled templates there; an edited template is compiled again."""
    from playbook.render import Renderer

    user = tmp_path / "mine"
    (user / "en").mkdir(parents=True)
    template = user / "en" / "hello.md.j2"
    template.write_text("Hello {{ name }}\n", encoding="utf-8")
    assert Renderer(user).render("en/hello.md.j2", {"name": "A"}) == "Hello A\n"
    entries = list(cache.glob("templates-*/*"))
    assert entries  # written
    assert Renderer(user).render("en/hello.md.j2", {"name": "B"}) == "Hello B\n"  # read back
    template.write_text("Bonjour {{ name }}\n", encoding="utf-8")
    assert Renderer(user).render("en/hello.md.j2", {"name": "C"}) == "Bonjour C\n"


def test_templates_render_when_the_cache_cannot_be_written(tmp_path, monkeypatch):
    from playbook.render import Renderer

    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("PLAYBOOK_CACHE_DIR", str(blocker / "sub"))
    user = tmp_path / "mine"
    (user / "en").mkdir(parents=True)
    (user / "en" / "hello.md.j2").write_text("Hello {{ name }}\n", encoding="utf-8")
    assert Renderer(user).render("en/hello.md.j2", {"name": "A"}) == "Hello A\n"
    readonly = tmp_path / "readonly"
    (readonly / "templates-x").mkdir(parents=True)
    monkeypatch.setenv("PLAYBOOK_CACHE_DIR", str(readonly))
    with monkeypatch.context() as patched:  # a folder where no file can be created
        patched.setattr("tempfile.NamedTemporaryFile", _refuse)
        assert Renderer(user).render("en/hello.md.j2", {"name": "B"}) == "Hello B\n"


def _refuse(*args, **kwargs):
    raise PermissionError(13, "Permission denied")


def test_prepared_word_parts_are_cached_and_give_the_same_documents(cache, tmp_path):
    """The Word writer's prepared reference is kept as JSON: a writer made from the cache
    writes the same bytes as one made from the reference; an edited reference, or a
    damaged entry, means preparing again."""
    from playbook.docx_writer import DocxBrand, DocxWriter

    markdown = ('---\nlang: "fr"\ntitle: "T"\n---\n\n# T\n\n<!-- pagebreak -->\n\n## Partie\n\n'
                "- un\n- deux\n\n1. a\n2. b\n\n| A | B |\n|---|---|\n| 1 | 2 |\n")
    reference = tmp_path / "reference.docx"
    shutil.copy(builtin_templates() / "reference.docx", reference)
    brand = DocxBrand(agency="Agence", primary_color="#7A1F3D")
    fresh = DocxWriter(reference, brand).render(markdown)
    (entry,) = cache.glob("docx-*.json")
    cached = DocxWriter(reference, brand)
    assert cached._loaded_reference is None  # nothing read with lxml
    assert cached.render(markdown) == fresh
    assert DocxWriter(reference, DocxBrand(agency="Other")).render(markdown) != fresh  # own entry
    entry.write_text("{damaged", encoding="utf-8")
    assert DocxWriter(reference, brand).render(markdown) == fresh
    stat = reference.stat()
    os.utime(reference, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    edited = DocxWriter(reference, brand)
    assert edited._loaded_reference is not None  # prepared again from the file
