"""The command line, through click's CliRunner: outputs, exit codes, messages."""

from __future__ import annotations

import json

import pytest
from conftest import PROFILES, SAMPLES

from playbook.cli import main

BAKERY = PROFILES / "boulangerie-muller.yaml"


def test_version(runner):
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("playbook 0.1.0 from ")
    assert "Python 3." in result.output


@pytest.mark.parametrize("command", [[], ["render"], ["explain"], ["validate"], ["batch"],
                                     ["schema"], ["templates"]])
def test_every_command_has_help_with_an_example(runner, command):
    result = runner.invoke(main, command + ["--help"])
    assert result.exit_code == 0
    assert "playbook " in result.output  # an example command line


def test_render_writes_markdown_named_after_the_company(runner, tmp_path):
    result = runner.invoke(main, ["render", str(BAKERY), "-o", str(tmp_path), "-f", "md"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "boulangerie-muller.md"
    assert out.is_file()
    assert f"wrote {out}" in result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: \"Guide de présence sur les réseaux sociaux\"")
    assert "## 5. Le plan en neuf étapes" in text


def test_render_refuses_to_overwrite_without_force(runner, tmp_path):
    args = ["render", str(BAKERY), "-o", str(tmp_path), "-f", "md"]
    assert runner.invoke(main, args).exit_code == 0
    out = tmp_path / "boulangerie-muller.md"
    out.write_text("edited by the consultant", encoding="utf-8")
    result = runner.invoke(main, args)
    assert result.exit_code == 1
    assert "already exists; it may hold edits. Use --force" in result.output
    assert out.read_text(encoding="utf-8") == "edited by the consultant"
    assert runner.invoke(main, args + ["--force"]).exit_code == 0
    assert out.read_text(encoding="utf-8") != "edited by the consultant"


def test_lang_option_overrides_the_profile_language(runner, tmp_path):
    result = runner.invoke(main, ["render", str(BAKERY), "-o", str(tmp_path), "-f", "md",
                                  "--lang", "en"])
    assert result.exit_code == 0
    assert "## Executive summary" in (tmp_path / "boulangerie-muller.md").read_text("utf-8")


def test_bad_profile_among_good_ones_fails_alone(runner, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("company: {name: X, market: b2cc}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, ["render", str(bad), str(BAKERY), "-o", str(out), "-f", "md"])
    assert result.exit_code == 1
    assert "playbook: error: " in result.output and "did you mean 'b2c'?" in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in out.iterdir()) == ["boulangerie-muller.md"]


def test_unknown_format_is_a_usage_error_with_a_suggestion(runner, tmp_path):
    result = runner.invoke(main, ["render", str(BAKERY), "-o", str(tmp_path), "-f", "docs"])
    assert result.exit_code == 2
    assert "unknown format 'docs' (did you mean 'docx'?)" in result.output


def test_missing_profile_file(runner, tmp_path):
    result = runner.invoke(main, ["render", str(tmp_path / "nope.yaml"), "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert "nope.yaml: file not found" in result.output
    assert list(tmp_path.iterdir()) == []


def test_explain_prints_readable_decisions(runner):
    result = runner.invoke(main, ["explain", str(BAKERY)])
    assert result.exit_code == 0
    assert "Staffing: internal (confidence high)" in result.output


def test_explain_json_follows_the_profile_contract(runner):
    result = runner.invoke(main, ["explain", str(BAKERY), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["profile"] == str(BAKERY) and data["language"] == "fr"
    staffing = data["staffing"]
    assert staffing["model"] in ("internal", "external", "pair", "seo_addon")
    assert isinstance(staffing["keep_control"], bool)
    assert staffing["confidence"] in ("high", "medium", "low")
    assert all(set(r) >= {"code", "text"} for r in staffing["reasons"])
    assert all(isinstance(r, str) for r in staffing["risks"])
    assert data["blog"]["decision"] in ("yes", "later", "no")
    for platform in data["platforms"]:
        assert set(platform) >= {"id", "score", "role", "reasons"}
        assert 0 <= platform["score"] <= 1
    assert all(set(s) >= {"id", "reasons"} for s in data["skip_platforms"])
    departments = {"sales", "production"}
    for relay in data["relays"]:
        assert set(relay) >= {"role", "department", "answers", "joker"}
        assert relay["department"] in departments
    ids = {q["id"] for q in data["provider_questions"]}
    assert {"single_contact", "activity_easy_to_understand", "rational_choice"} <= ids
    assert all(set(q) >= {"id", "text", "critical"} for q in data["provider_questions"])
    assert [p["step"] for p in data["plan"]] == list(range(1, 10))
    assert all(set(p) >= {"step", "title", "actions", "owner", "indicators"} for p in data["plan"])
    assert isinstance(data["warnings"], list) and isinstance(data["open_questions"], list)


def test_validate_lists_every_problem_and_exits_1(runner, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[company]\nname = "X"\nemployees = -3\n[presence]\nnetworks = '
                   '[{platform = "linkdin"}]\n', encoding="utf-8")
    result = runner.invoke(main, ["validate", str(BAKERY), str(bad)])
    assert result.exit_code == 1
    assert f"{BAKERY}: valid" in result.output
    assert f"{bad}:3:1: company.employees: must be at least 0, got -3" in result.output
    assert "presence.networks[0].platform: unknown value 'linkdin' (did you mean 'linkedin'?)" \
        in result.output


def test_validate_all_samples(runner):
    result = runner.invoke(main, ["validate", *map(str, SAMPLES)])
    assert result.exit_code == 0, result.output
    assert result.output.count(": valid") == len(SAMPLES)


def test_warnings_go_to_stderr_and_do_not_fail(runner, tmp_path):
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({"company": {"name": "Bell\u0007 Co"}}), encoding="utf-8")
    result = runner.invoke(main, ["validate", str(profile)])
    assert result.exit_code == 0
    assert "playbook: warning: " in result.output and "control character" in result.output


def test_schema_command_prints_a_json_schema(runner):
    result = runner.invoke(main, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["required"] == ["company"]
    assert "linkedin" in schema["properties"]["presence"]["properties"]["networks"]["items"][
        "properties"]["platform"]["enum"]


def test_python_dash_m_runs_the_cli():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "playbook", "--version"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0 and result.stdout.startswith("playbook ")


def test_shipped_json_schemas_are_up_to_date(runner):
    from conftest import ROOT

    for kind, name in (("profile", "profile.schema.json"), ("brand", "brand.schema.json")):
        result = runner.invoke(main, ["schema", kind])
        shipped = (ROOT / "docs" / name).read_text(encoding="utf-8")
        assert json.loads(result.output) == json.loads(shipped), (
            f"docs/{name} is stale: run playbook schema {kind} > docs/{name}")


def test_a_failing_profile_is_named_on_each_error_line(runner, tmp_path):
    """A template error names the template; render adds which profile it was rendering."""
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "summary.md.j2").write_text("{{ d.compnay }}\n", encoding="utf-8")
    profile = PROFILES / "garage-dupont.yaml"
    result = runner.invoke(main, ["render", str(profile), "--templates", str(tmp_path), "--lang",
                                  "en", "-o", str(tmp_path / "out"), "-f", "md"])
    assert result.exit_code == 1
    [line] = [line for line in result.output.splitlines() if line.startswith("playbook: error:")]
    assert line.startswith(f"playbook: error: {profile}: template en/summary.md.j2:1: ")
    assert "unknown variable 'compnay'" in line
