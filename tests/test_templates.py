"""User templates: search order, one-file overrides, clear errors, the sandbox and its
bounds, `templates eject` and `templates check`, and docs/templates.md kept complete."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import PROFILES, ROOT, SAMPLES, TODAY

from playbook import render, template_tools
from playbook.brand import load_brand
from playbook.build import Builder
from playbook.cli import main
from playbook.errors import TemplateError, TemplateSecurityError
from playbook.paths import builtin_templates, search_path
from playbook.profile import validate_data

STUDIO = PROFILES / "studio-nomad.yaml"  # English
BAKERY = PROFILES / "boulangerie-muller.yaml"  # French


def override(folder, name: str, text: str):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return folder


def build(templates, profile=STUDIO, language="en"):
    builder = Builder(templates=templates)
    return builder.build(builder.load(profile), language, TODAY).markdown


# -- search order and overrides --------------------------------------------------------

def test_search_path_puts_the_user_folder_first_then_the_built_in_one(tmp_path):
    assert search_path() == [builtin_templates()]
    assert search_path(tmp_path) == [tmp_path, builtin_templates()]
    renderer = render.Renderer(tmp_path)
    assert renderer.env.loader.searchpath == [str(tmp_path), str(builtin_templates())]


def test_one_file_override_is_used_while_the_others_stay_built_in(runner, tmp_path):
    override(tmp_path / "t", "en/summary.md.j2", "## Our own summary for {{ d.company.name | md }}\n")
    out = tmp_path / "out"
    result = runner.invoke(main, ["render", str(STUDIO), str(BAKERY), "-o", str(out), "-f", "md",
                                  "--templates", str(tmp_path / "t")])
    assert result.exit_code == 0, result.output
    english = (out / "studio-nomad.md").read_text(encoding="utf-8")
    assert "## Our own summary for Studio Nomad" in english
    assert "## Executive summary" not in english
    assert english == build(None).replace(_part(build(None), "## Executive summary"),
                                          "## Our own summary for Studio Nomad\n\n")
    # the French playbook has no override: entirely built-in
    french = (out / "boulangerie-muller.md").read_text(encoding="utf-8")
    assert french == build(None, BAKERY, "fr")


def _part(markdown: str, heading: str) -> str:
    """From `heading` up to the next `## ` heading (what one template wrote)."""
    start = markdown.index(heading)
    end = min(markdown.find(marker, start + 1) % (len(markdown) + 1)
              for marker in ("\n## ", "\n<!-- pagebreak -->")) + 1
    return markdown[start:end]


def test_builtin_prefix_lets_an_override_extend_the_template_it_replaces(tmp_path):
    override(tmp_path, "en/summary.md.j2",
             '{% include "builtin/en/summary.md.j2" %}\n\nOne more paragraph.\n')
    markdown = build(tmp_path)
    built_in = _part(build(None), "## Executive summary")
    assert built_in.rstrip() + "\n\nOne more paragraph.\n" in markdown


def test_builtin_templates_give_the_same_markdown_in_the_sandbox(tmp_path):
    for profile, language in ((STUDIO, "en"), (BAKERY, "fr")):
        assert build(tmp_path, profile, language) == build(None, profile, language)
    assert render.Renderer(tmp_path).sandboxed and not render.Renderer(None).sandboxed


# -- errors name the template, the line and the variable --------------------------------

def test_typo_names_the_template_line_variable_and_close_matches(tmp_path):
    override(tmp_path, "en/summary.md.j2", "## Summary\n\nFor {{ d.compnay.name | md }}.\n")
    with pytest.raises(TemplateError) as caught:
        build(tmp_path)
    assert (caught.value.template, caught.value.line) == ("en/summary.md.j2", 3)
    assert str(caught.value) == ("template en/summary.md.j2:3: unknown variable 'compnay' "
                                 "(did you mean 'company'?)")


def test_typo_through_the_cli_with_a_relative_folder(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    override(tmp_path / "mine", "en/summary.md.j2", "{% set s = d.staffing %}\n{{ s.confidense }}\n")
    result = runner.invoke(main, ["render", str(STUDIO), "-o", "out", "-f", "md",
                                  "--templates", "mine"])
    assert result.exit_code == 1
    assert (f"playbook: error: {STUDIO}: template en/summary.md.j2:2: unknown variable 'confidense' "
            "(did you mean 'confidence'") in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out" / "studio-nomad.md").exists()


def test_unknown_top_level_name_suggests_the_context_variables(tmp_path):
    override(tmp_path, "en/summary.md.j2", "{{ brnad.agency }}\n")
    with pytest.raises(TemplateError, match=r"unknown variable 'brnad' \(did you mean 'brand'"):
        build(tmp_path)


def test_syntax_error_and_missing_include_name_the_template(tmp_path):
    override(tmp_path, "en/recap.md.j2", "line one\n{% if d.company.name %}\n")
    with pytest.raises(TemplateError, match=r"^template en/recap.md.j2:2: syntax error: "):
        build(tmp_path)
    override(tmp_path, "en/recap.md.j2", "one\n{% include 'en/sumary.md.j2' %}\n")
    with pytest.raises(TemplateError) as caught:
        build(tmp_path)
    assert str(caught.value) == ("template en/recap.md.j2:2: template not found: en/sumary.md.j2 "
                                 "(did you mean 'en/summary.md.j2'?)")


# -- the sandbox ------------------------------------------------------------------------

INTERNALS = [
    "{{ ''.__class__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ d.__class__.__init__.__globals__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ self.__dict__ }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ d | attr('__class__') }}",
    "{{ '{0.__class__}'.format(d) }}",
    "{{ '%s' | format(d.__class__) }}",
    "{{ d.company.update({'name': 'x'}) }}",
    "{% set l = [] %}{{ l.append(1) }}",
]


@pytest.mark.parametrize("source", INTERNALS)
def test_python_internals_are_refused(tmp_path, source):
    override(tmp_path, "en/summary.md.j2", "## Summary\n" + source + "\n")
    with pytest.raises(TemplateSecurityError) as caught:
        build(tmp_path)
    assert str(caught.value).startswith("template en/summary.md.j2:2: refused: ")
    assert "is unsafe" in str(caught.value)


@pytest.mark.parametrize("source, message", [
    ("{{ os.system('id') }}", "unknown variable 'os'"),
    ("{{ lipsum.__globals__ }}", "unknown variable 'lipsum'"),  # removed: random text
    ("{% import 'os' as os %}", "template not found: os"),
    ("{{ config }}", "unknown variable 'config'"),
    ("{{ range.__self__ }}", "unknown variable '__self__'"),
])
def test_modules_and_missing_globals_are_clear_errors(tmp_path, source, message):
    override(tmp_path, "en/summary.md.j2", source + "\n")
    with pytest.raises(TemplateError) as caught:
        build(tmp_path)
    assert caught.value.template == "en/summary.md.j2" and message in str(caught.value)


@pytest.mark.parametrize("name", ["/etc/passwd", "../secret.txt", "en/../../secret.txt",
                                  "builtin/../../secret.txt", "\\\\server\\share\\x", "C:/x"])
def test_including_a_file_outside_the_folders_is_refused(tmp_path, name):
    (tmp_path / "secret.txt").write_text("TOP SECRET", encoding="utf-8")
    jinja_literal = name.replace("\\", "\\\\")
    folder = override(tmp_path / "t", "en/summary.md.j2", "{% include '" + jinja_literal + "' %}\n")
    with pytest.raises(TemplateSecurityError) as caught:
        build(folder)
    assert str(caught.value) == (f"template en/summary.md.j2:1: refused: template names are relative "
                                 f"to the template folders (like en/summary.md.j2); {name!r} is refused")


def test_a_link_to_a_file_outside_the_folders_is_refused(tmp_path):
    (tmp_path / "secret.txt").write_text("TOP SECRET {{ d }}", encoding="utf-8")
    (tmp_path / "t" / "en").mkdir(parents=True)
    try:
        (tmp_path / "t" / "en" / "summary.md.j2").symlink_to(tmp_path / "secret.txt")
    except OSError:
        pytest.skip("no symbolic links here")
    with pytest.raises(TemplateSecurityError, match="links to a file outside the template folders"):
        build(tmp_path / "t")


def test_an_endless_loop_is_stopped_by_the_time_bound(tmp_path, monkeypatch):
    monkeypatch.setattr(render, "RENDER_SECONDS", 0.2)
    override(tmp_path, "en/summary.md.j2", "x\n{% for i in range(100000) %}{% for j in range(100000) %}"
                                           "{% endfor %}{% endfor %}\n")
    with pytest.raises(TemplateSecurityError) as caught:
        build(tmp_path)
    assert str(caught.value) == ("template en/summary.md.j2:2: refused: rendering took longer than "
                                 "0.2 seconds (endless loop?)")


def test_recursion_is_stopped(tmp_path):
    override(tmp_path, "en/summary.md.j2", "{% macro f() %}{{ f() }}{% endmacro %}\n{{ f() }}\n")
    with pytest.raises(TemplateSecurityError, match=r"^template en/summary.md.j2:\d+: refused: "
                                                    r"recursion too deep"):
        build(tmp_path)
    override(tmp_path, "en/summary.md.j2", "{% include 'en/summary.md.j2' %}\n")
    with pytest.raises(TemplateSecurityError, match="recursion too deep"):
        build(tmp_path)


HUGE = [
    "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "{% macro f(s, n) %}{% if n %}{{ f(s ~ s, n - 1) }}{% endif %}{% endmacro %}{{ f('x', 40) }}",
    "{% macro f(s, n) %}{% if n %}{{ f(s + s, n - 1) }}{% endif %}{% endmacro %}{{ f('x', 40) }}",
    "{% set x = 'abcdefgh' %}" + "{% set x = x ~ x ~ x ~ x %}" * 20,
    "{% set a = 'x' * 999999 %}{% set b %}{% for i in range(100000) %}{{ a }}{% endfor %}{% endset %}",
    "{{ 'x' * 10000000 }}",
    "{{ ('x' * 999999) | replace('x', 'yy') }}",
    "{{ ('x' * 999999).replace('x', 'yy') }}",
    "{% set a = 'x' * 999999 %}{{ [a, a, a] | join }}",
    "{% set a = 'x' * 999999 %}{{ range(100000) | map('replace', '1', a) | join }}",
    "{{ '%(a)999999999s' % {'a': 1} }}",
    "{{ '{a:{w}}'.format_map({'a': 1, 'w': 999999999}) }}",
    "{{ '{:>999999999}'.format('x') }}",
    "{{ '{:>{w}}'.format('x', w=999999999) }}",
    "{{ '%999999999s' % 'x' }}",
    "{{ '%*s' % (999999999, 'x') }}",
    "{{ '%999999999s' | format('x') }}",
    "{{ 'x'.ljust(999999999) }}",
    "{{ 'x' | center(999999999) }}",
    "{{ 'x' | wordwrap(999999999) }}",
    "{{ 10 ** 100000 }}",
]


@pytest.mark.parametrize("source", HUGE)
def test_huge_strings_are_refused_before_they_are_built(tmp_path, source):
    override(tmp_path, "en/summary.md.j2", source + "\n")
    with pytest.raises(TemplateSecurityError) as caught:
        build(tmp_path)
    assert str(caught.value).startswith("template en/summary.md.j2:1: refused: ")


def test_the_output_is_bounded(tmp_path):
    override(tmp_path, "en/summary.md.j2",
             "{% set a = 'x' * 900000 %}{% for i in range(10) %}{{ a }}{% endfor %}\n")
    with pytest.raises(TemplateSecurityError, match="the output exceeds 5,000,000 characters"):
        build(tmp_path)


def test_huge_ranges_are_refused(tmp_path):
    override(tmp_path, "en/summary.md.j2", "{% for i in range(10 ** 9) %}{% endfor %}\n")
    with pytest.raises(TemplateError, match="Range too big"):
        build(tmp_path)


def test_ordinary_jinja_still_works_in_the_sandbox(tmp_path):
    override(tmp_path, "en/summary.md.j2", (
        "{% set ns = namespace(total=0) %}{% for p in d.platforms %}{% set ns.total = ns.total + 1 %}"
        "{% endfor %}Networks: {{ ns.total }}; {{ d.platforms | map(attribute='name') | join(', ') }}; "
        "{{ '%.1f' | format(1.25) }}; {{ '{:>4}'.format('ab') }}; {{ 'a b' | wordwrap(80) }}; "
        "{{ 'x' ~ 3 }}; {{ d.question_groups.items() | list | length }}; {{ 'abc' | center(7) }}|\n"))
    markdown = build(tmp_path)
    builder = Builder()
    report = builder.report(builder.load(STUDIO), "en", TODAY)
    names = ", ".join(p["name"] for p in report["platforms"])
    assert f"Networks: {len(report['platforms'])}; {names}; 1.2;   ab; a b; x3; 4;   abc  |" in markdown


# -- eject --------------------------------------------------------------------------------

def test_eject_copies_every_builtin_file_and_a_brand_pointing_at_them(runner, tmp_path):
    folder = tmp_path / "my-brand"
    result = runner.invoke(main, ["templates", "eject", str(folder)])
    assert result.exit_code == 0, result.output
    names = template_tools.builtin_files()
    assert {"en/summary.md.j2", "fr/playbook.md.j2", "macros.md.j2",
            "knowledge/platforms.yaml"} <= set(names)
    for name in names:
        assert (folder / name).read_bytes() == (builtin_templates() / name).read_bytes(), name
        assert f"wrote {folder / name}" in result.output
    assert f"playbook render profile.yaml --brand {folder / 'brand.yaml'}" in result.output
    assert f"playbook templates check {folder}" in result.output
    brand = load_brand(folder / "brand.yaml")
    assert brand.templates_path.resolve() == folder.resolve()
    if "reference.docx" in names:
        assert brand.reference_path.resolve() == (folder / "reference.docx").resolve()
    else:
        assert brand.reference_path is None
    # rendering with the ejected brand gives the built-in text, with the sample agency
    out = tmp_path / "out"
    rendered = runner.invoke(main, ["render", str(STUDIO), "-o", str(out), "-f", "md",
                                    "--brand", str(folder / "brand.yaml")])
    assert rendered.exit_code == 0, rendered.output
    assert "prepared by Your Agency" in (out / "studio-nomad.md").read_text(encoding="utf-8")


def test_eject_never_overwrites_without_force(runner, tmp_path):
    folder = tmp_path / "my-brand"
    assert runner.invoke(main, ["templates", "eject", str(folder)]).exit_code == 0
    edited = folder / "en" / "summary.md.j2"
    edited.write_text("my edits", encoding="utf-8")
    (folder / "fr" / "plan.md.j2").unlink()
    result = runner.invoke(main, ["templates", "eject", str(folder)])
    assert result.exit_code == 1
    existing = len(template_tools.builtin_files())  # every file but one, and brand.yaml
    [line] = result.output.splitlines()  # one line, however many files exist
    assert line.startswith(f"playbook: error: {folder / 'en' / 'onepage.md.j2'}, ")
    assert line.endswith(f" and {existing - 3} more: already exist; they may hold edits. Use "
                         "--force to overwrite, or eject into another folder")
    assert edited.read_text(encoding="utf-8") == "my edits"
    assert not (folder / "fr" / "plan.md.j2").exists()  # nothing written at all
    result = runner.invoke(main, ["templates", "eject", str(folder), "--force"])
    assert result.exit_code == 0
    assert edited.read_bytes() == (builtin_templates() / "en" / "summary.md.j2").read_bytes()


def test_eject_into_a_file_is_an_error(runner, tmp_path):
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    result = runner.invoke(main, ["templates", "eject", str(target)])
    assert result.exit_code == 1
    assert f"{target}: is a file, not a folder; choose another folder" in result.output


@pytest.mark.parametrize("command", [["eject"], ["check"]])
def test_template_commands_have_help_with_an_example(runner, command):
    result = runner.invoke(main, ["templates", *command, "--help"])
    assert result.exit_code == 0
    assert re.search(r"^\s+playbook templates " + command[0], result.output, re.M)


# -- check --------------------------------------------------------------------------------

def test_sample_profiles_cover_every_staffing_model():
    builder = Builder()
    models = set()
    for name, data in template_tools.SAMPLE_PROFILES.items():
        loaded = validate_data(data, name, builder.knowledge.accepted_ids, builder.knowledge.aliases)
        models.add(builder.report(loaded)["staffing"]["model"])
    assert models == {"internal", "external", "pair", "seo_addon"}


def test_check_builtin_templates_is_all_good(runner):
    result = runner.invoke(main, ["templates", "check"])
    assert result.exit_code == 0, result.output
    renders = 2 * (len(template_tools.SAMPLE_PROFILES) + len(SAMPLES))
    assert f"checked {renders} renders" in result.output and "all good" in result.output


def test_check_an_ejected_folder_notes_the_unchanged_copies(runner, tmp_path):
    template_tools.eject(tmp_path / "b")
    result = runner.invoke(main, ["templates", "check", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    count = len(template_tools.builtin_files())
    assert f"note: {count} file(s) in {tmp_path / 'b'} are unchanged copies" in result.output


def test_check_reports_template_errors_with_name_and_line(runner, tmp_path):
    override(tmp_path, "fr/plan.md.j2", "## Plan\n\n{{ d.plan[0].titre }}\n")
    result = runner.invoke(main, ["templates", "check", str(tmp_path), "--profile", str(STUDIO)])
    assert result.exit_code == 1
    assert ("playbook: error: template fr/plan.md.j2:3: unknown variable 'titre' (did you mean "
            "'title', 'subtitle'?) (with profiles/studio-nomad.yaml, fr)").replace(
                "profiles/studio-nomad.yaml", str(STUDIO)) in result.output
    assert "checked 2 renders (1 profile in both languages)" in result.output


def test_check_warns_about_files_that_override_nothing(runner, tmp_path):
    override(tmp_path, "en/sumary.md.j2", "## Summary\n")
    override(tmp_path, "templates/fr/recap.md.j2", "## Recap\n")
    override(tmp_path, "en/partials/callout.md.j2", "> included\n")
    override(tmp_path, "en/summary.md.j2",
             '{% include "builtin/en/summary.md.j2" %}\n{% include "en/partials/callout.md.j2" %}\n')
    override(tmp_path, "knowledge/labels.yml", "labels: {}\n")
    override(tmp_path, "brand.yaml", "agency: Mine\n")
    result = runner.invoke(main, ["templates", "check", str(tmp_path), "--profile", str(STUDIO)])
    assert result.exit_code == 1
    warnings = [line for line in result.output.splitlines() if line.startswith("playbook: warning")]
    assert warnings == [
        f"playbook: warning: {tmp_path / 'en' / 'sumary.md.j2'}: overrides nothing: no built-in file "
        "has this name and no template includes it (did you mean 'en/summary.md.j2'?)",
        f"playbook: warning: {tmp_path / 'knowledge' / 'labels.yml'}: is never read: knowledge files "
        "must end in .yaml",
        f"playbook: warning: {tmp_path / 'templates' / 'fr' / 'recap.md.j2'}: overrides nothing: no "
        f"built-in file has this name and no template includes it (is the template folder templates/?)",
    ]
    assert "playbook: error" not in result.output


def test_check_warns_when_the_front_matter_is_gone(runner, tmp_path):
    main_template = (builtin_templates() / "fr" / "playbook.md.j2").read_text(encoding="utf-8")
    override(tmp_path, "fr/playbook.md.j2", main_template.split("\n---\n", 1)[1])
    result = runner.invoke(main, ["templates", "check", str(tmp_path), "--profile", str(STUDIO)])
    assert result.exit_code == 1
    assert ("playbook: warning: fr/playbook.md.j2: the playbook does not start with its front matter "
            "(---); the Word document will have no title, author or language") in result.output
    assert "en/playbook.md.j2" not in result.output


def test_check_validates_the_knowledge_files(runner, tmp_path):
    source = (builtin_templates() / "knowledge" / "staffing.yaml").read_text(encoding="utf-8")
    changed = source.replace("{criteria}", "{criterio}", 1)
    changed = re.sub(r"\n    not_strategic: .*", "", changed, count=1)
    assert changed.count("\n") == source.count("\n") - 1
    override(tmp_path, "knowledge/staffing.yaml", changed)
    result = runner.invoke(main, ["templates", "check", str(tmp_path), "--profile", str(STUDIO)])
    assert result.exit_code == 1
    where = tmp_path / "knowledge" / "staffing.yaml"
    assert (f"playbook: error: {where}: staffing.reason.not_strategic: missing; the rules use this "
            "text (copy it from the built-in file)") in result.output
    assert (f"playbook: error: {where}: staffing.reason.strategic: en: unknown placeholder "
            "{criterio}; this text can use {criteria}") in result.output


def test_check_reports_a_broken_knowledge_file(runner, tmp_path):
    override(tmp_path, "knowledge/plan.yaml", "plan: [unclosed\n")
    result = runner.invoke(main, ["templates", "check", str(tmp_path)])
    assert result.exit_code == 1
    assert f"playbook: error: {tmp_path / 'knowledge' / 'plan.yaml'}:" in result.output
    assert "invalid YAML" in result.output and "Traceback" not in result.output


def test_check_a_missing_folder(runner, tmp_path):
    result = runner.invoke(main, ["templates", "check", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert (f"playbook: error: {tmp_path / 'nope'}: folder not found; give the folder of templates "
            "(the one holding en/ and fr/)") in result.output


def test_check_works_without_the_repository_profiles(tmp_path, monkeypatch):
    """From an installed wheel there is no profiles/ folder: the built-in samples suffice."""
    installed = tmp_path / "site-packages" / "playbook" / "templates"
    shutil.copytree(builtin_templates(), installed)
    monkeypatch.setattr(template_tools, "builtin_templates", lambda: installed)
    assert template_tools.default_profiles() == []
    report = template_tools.check_templates(None)
    assert report.ok, report.errors
    assert report.renders == 2 * len(template_tools.SAMPLE_PROFILES)


# -- the example brand ----------------------------------------------------------------------

def test_example_brand_renders_every_sample_with_its_override(runner, tmp_path):
    brand = ROOT / "examples" / "brand" / "brand.yaml"
    result = runner.invoke(main, ["render", *map(str, SAMPLES), "-o", str(tmp_path), "-f", "md",
                                  "--brand", str(brand)])
    assert result.exit_code == 0, result.output
    outputs = sorted(tmp_path.glob("*.md"))
    assert len(outputs) == len(SAMPLES)
    for path in outputs:
        text = path.read_text(encoding="utf-8")
        assert "> **Our view.** " in text or "> **Notre avis.** " in text, path.name
        assert 'agency: "Maple & Finch Communications"' in text
        assert "22/11/2026" in text  # the brand's date format
    check = runner.invoke(main, ["templates", "check", str(ROOT / "examples" / "brand" / "templates")])
    assert check.exit_code == 0, check.output


# -- docs/templates.md ----------------------------------------------------------------------

def _context_keys(value, prefix: str = "") -> set[str]:
    """Every key path of the template context holding a value or a list (not a mapping,
    whose keys are listed instead): `d.company.name`, `d.platforms`, `d.platforms[].id`..."""
    keys: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else key
            if not isinstance(item, dict):
                keys.add(path)
            keys |= _context_keys(item, path)
    elif isinstance(value, list):
        for item in value:
            keys |= _context_keys(item, prefix + "[]")
    return keys


def test_docs_describe_every_context_key_filter_and_global():
    doc = (ROOT / "docs" / "templates.md").read_text(encoding="utf-8")
    builder = Builder()
    keys: set[str] = set()
    for name, data in template_tools.SAMPLE_PROFILES.items():
        loaded = validate_data(data, name, builder.knowledge.accepted_ids, builder.knowledge.aliases)
        keys |= _context_keys(builder.context(loaded, builder.report(loaded, None, TODAY)))
    assert {"d.company.name", "d.platforms[].id", "d.staffing.reasons[].source", "doc.author",
            "brand.agency", "lang"} <= keys
    missing = sorted(k for k in keys if f"| `{k}` |" not in doc)
    assert not missing, f"docs/templates.md does not describe: {missing}"
    env = render.Renderer(ROOT).env  # the sandbox, as user templates see it
    for name in list(env.filters) + list(env.globals):
        assert f"`{name}`" in doc, f"docs/templates.md does not mention `{name}`"
    assert "docs/markdown-dialect.md" in doc or "(markdown-dialect.md)" in doc
