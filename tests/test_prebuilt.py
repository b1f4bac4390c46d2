"""The cold-start artefacts shipped for the built-in templates (playbook/prebuilt):
up to date with their sources, giving the same playbooks as parsing and compiling,
and set aside as soon as a source differs."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import jinja2
import pytest

from playbook import prebuilt
from playbook.knowledge import load_knowledge, parse_knowledge_file
from playbook.paths import builtin_templates, search_path
from playbook.render import Renderer, make_environment

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def no_user_cache(monkeypatch):
    monkeypatch.setenv("PLAYBOOK_CACHE_DIR", "")  # only the shipped artefacts, if any


def make_prebuilt():
    spec = importlib.util.spec_from_file_location("make_prebuilt",
                                                  ROOT / "tools" / "make_prebuilt.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_artefacts_are_up_to_date():
    tool = make_prebuilt()
    for path, made in tool.artefacts().items():
        assert tool.same(path, made), (
            f"{path.name} is out of date: run python tools/make_prebuilt.py")


def test_every_builtin_knowledge_file_and_template_is_prebuilt():
    files = prebuilt._load(prebuilt.KNOWLEDGE)["files"]
    assert set(files) == {p.relative_to(builtin_templates()).as_posix()
                          for p in (builtin_templates() / "knowledge").glob("*.yaml")}
    merged = prebuilt._load(prebuilt.KNOWLEDGE_MERGED)["sources"]
    assert merged == {name: entry["source"] for name, entry in files.items()}
    env = make_environment(search_path(), sandboxed=False)
    names = {n for n in env.list_templates() if n.endswith(".j2")}
    assert set(prebuilt._load(prebuilt.TEMPLATES)["templates"]) == names


def test_knowledge_from_the_artefact_equals_parsing(monkeypatch):
    merged = load_knowledge(search_path())
    monkeypatch.setattr(prebuilt, "knowledge_merged", lambda files, builtin: None)
    shipped = load_knowledge(search_path())  # file by file, from knowledge.json
    monkeypatch.setattr(prebuilt, "knowledge_data", lambda path, builtin: prebuilt.MISSING)
    assert load_knowledge(search_path()) == shipped == merged


def test_merged_knowledge_is_used_for_exactly_the_builtin_files(monkeypatch, tmp_path):
    from playbook.knowledge import knowledge_files

    builtin = builtin_templates()
    files = knowledge_files([builtin])
    raw, defined_in, messages = prebuilt.knowledge_merged(files, builtin)
    assert defined_in["platforms"] == str(builtin / "knowledge" / "platforms.yaml")
    assert messages["labels.yes"] == {"en": "yes", "fr": "oui"} and "platforms" in raw
    assert prebuilt.knowledge_merged(files[:-1], builtin) is None  # one file fewer
    # another Python reads the same from the JSON copy
    assert prebuilt.KNOWLEDGE_MERGED_CODE.name == \
        f"knowledge-merged.{sys.implementation.cache_tag}.marshal"
    with monkeypatch.context() as patch:
        patch.setattr(prebuilt, "KNOWLEDGE_MERGED_CODE", tmp_path / "absent.marshal")
        assert prebuilt.knowledge_merged(files, builtin) == (raw, defined_in, messages)
    # a user's folder replacing one file, the same or edited: read file by file
    user = tmp_path / "mine"
    shutil.copytree(builtin / "knowledge", user / "knowledge")
    assert prebuilt.knowledge_merged(knowledge_files([user, builtin]), builtin) is None
    copy = tmp_path / "templates"
    shutil.copytree(builtin / "knowledge", copy / "knowledge")
    assert prebuilt.knowledge_merged(knowledge_files([copy]), copy) is not None
    labels = copy / "knowledge" / "labels.yaml"
    labels.write_text(labels.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert prebuilt.knowledge_merged(knowledge_files([copy]), copy) is None

    def refuse(path, builtin):
        raise AssertionError("read file by file")

    monkeypatch.setattr(prebuilt, "knowledge_data", refuse)
    assert load_knowledge(search_path()).texts("fr").get("labels.yes")


def test_builtin_knowledge_is_not_parsed_at_run_time(monkeypatch):
    import playbook.knowledge as knowledge

    def refuse(path):
        raise AssertionError(f"{path} parsed")

    monkeypatch.setattr(knowledge, "parse_knowledge_file", refuse)
    assert load_knowledge(search_path()).texts("en").get("labels.yes")


def test_an_edited_or_foreign_knowledge_file_is_parsed(tmp_path):
    builtin = tmp_path / "templates"
    shutil.copytree(builtin_templates() / "knowledge", builtin / "knowledge")
    labels = builtin / "knowledge" / "labels.yaml"
    # same relative name, other content: the checksum refuses the shipped data
    labels.write_text(labels.read_text(encoding="utf-8").replace("labels:", "labels:\n  zz: 1", 1),
                      encoding="utf-8")
    assert prebuilt.knowledge_data(labels, builtin) is prebuilt.MISSING
    untouched = builtin / "knowledge" / "sources.yaml"
    assert prebuilt.knowledge_data(untouched, builtin) == parse_knowledge_file(untouched)
    assert prebuilt.knowledge_data(untouched, builtin_templates()) is prebuilt.MISSING


def test_builtin_templates_skip_jinjas_compiler_and_render_the_same(monkeypatch):
    context_names = ("en/playbook.md.j2", "fr/playbook.md.j2")
    env = make_environment(search_path(), sandboxed=False)
    for name in context_names:
        source, filename, _ = env.loader.get_source(env, name)
        shipped = env.compile(source, name, filename)
        monkeypatch.setattr(prebuilt, "template_bytecode", lambda *args: None)
        from_source = env.compile(source, name, filename)
        monkeypatch.setattr(prebuilt, "template_code", lambda *args: None)
        compiled = env.compile(source, name, filename)
        monkeypatch.undo()
        monkeypatch.setenv("PLAYBOOK_CACHE_DIR", "")
        assert shipped.co_consts == from_source.co_consts == compiled.co_consts
        assert shipped == compiled
        functions = [c for c in shipped.co_consts if isinstance(c, type(shipped))]
        assert functions and {shipped.co_filename, *(f.co_filename for f in functions)} == \
            {filename}
    # and no template is parsed by Jinja when they load
    def refuse(self, *args, **kwargs):
        raise AssertionError("Jinja parsed a built-in template")

    monkeypatch.setattr(jinja2.Environment, "_parse", refuse)
    fresh = make_environment(search_path(), sandboxed=False)
    for name in fresh.list_templates():
        if name.endswith(".j2"):
            fresh.get_template(name)


def test_an_edited_builtin_template_is_compiled_from_its_source():
    env = make_environment(search_path(), sandboxed=False)
    name = "en/playbook.md.j2"
    source, filename, _ = env.loader.get_source(env, name)
    assert prebuilt.template_code(name, source, type(env).__name__, jinja2.__version__)
    edited = "Edited {{ 1 + 1 }}\n" + source
    assert prebuilt.template_code(name, edited, type(env).__name__, jinja2.__version__) is None
    assert env.from_string("Edited {{ 1 + 1 }}").render() == "Edited 2"
    assert prebuilt.template_code(name, source, "PlaybookSandbox", jinja2.__version__) is None
    assert prebuilt.template_code(name, source, type(env).__name__, "0.0") is None


def test_the_compiled_templates_are_for_this_python_and_these_sources(monkeypatch, tmp_path):
    env = make_environment(search_path(), sandboxed=False)
    name = "en/playbook.md.j2"
    source, filename, _ = env.loader.get_source(env, name)
    kind = type(env).__name__
    assert prebuilt.TEMPLATE_CODE.name == f"templates.{sys.implementation.cache_tag}.marshal"
    assert prebuilt.template_bytecode(name, source, kind, jinja2.__version__, filename)
    assert prebuilt.template_bytecode(name, "Edited\n" + source, kind, jinja2.__version__,
                                      filename) is None
    assert prebuilt.template_bytecode(name, source, "PlaybookSandbox", jinja2.__version__,
                                      filename) is None
    assert prebuilt.template_bytecode(name, source, kind, "0.0", filename) is None
    # another Python's bytecode (its magic number differs) is never unmarshalled
    other = tmp_path / prebuilt.TEMPLATE_CODE.name
    other.write_bytes(b"\0\0\r\n" + prebuilt.TEMPLATE_CODE.read_bytes()[4:])
    monkeypatch.setattr(prebuilt, "TEMPLATE_CODE", other)
    prebuilt._load_code.cache_clear()
    try:
        assert prebuilt.template_bytecode(name, source, kind, jinja2.__version__,
                                          filename) is None
        assert env.compile(source, name, filename)  # from the shipped source instead
    finally:
        prebuilt._load_code.cache_clear()


def test_a_user_folder_compiles_its_own_templates(tmp_path):
    user = tmp_path / "mine"
    (user / "en").mkdir(parents=True)
    (user / "en" / "hello.md.j2").write_text("Hello {{ name }}\n", encoding="utf-8")
    assert Renderer(user).render("en/hello.md.j2", {"name": "A"}) == "Hello A\n"


def test_the_default_look_takes_the_prepared_reference_from_the_package(monkeypatch, tmp_path):
    """A first run in the default look neither prepares the reference (lxml) nor
    writes it to the user's cache, and writes the same .docx as a fresh preparation;
    a brand, or a reference of the user's, prepares as before."""
    from playbook import docx_writer
    from playbook.docx_reference import DocxBrand

    monkeypatch.setenv("PLAYBOOK_CACHE_DIR", str(tmp_path / "cache"))
    markdown = "---\ntitle: \"T\"\nlang: \"fr\"\n---\n\n# T\n\n<!-- pagebreak -->\n\n## A\n\n- x\n"

    def prepare(self):
        raise AssertionError("prepared at run time")

    with monkeypatch.context() as patch:
        patch.setattr(docx_writer.DocxWriter, "_prepare", prepare)
        shipped = docx_writer.DocxWriter(brand=DocxBrand(footer_texts=(("en", ""),)))
        data = shipped.render(markdown)
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").glob("docx-*"))
    monkeypatch.setattr(prebuilt, "docx_prepared", lambda key: None)
    assert docx_writer.DocxWriter().render(markdown) == data  # prepared afresh: the same
    assert list((tmp_path / "cache").glob("docx-*"))
    called = []
    monkeypatch.setattr(prebuilt, "docx_prepared", lambda key: called.append(key))
    docx_writer.DocxWriter(brand=DocxBrand(accent_color="#E0A526"))
    assert called == []  # a brand is never served from the package
