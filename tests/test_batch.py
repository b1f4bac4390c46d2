"""`playbook batch`: sources, names, shards, skipping, failures, reports, interruptions."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from conftest import SAMPLES, merged

from playbook.batch import collect, select_shard, shard_of
from playbook.cli import main

DATE = ["--date", "2026-11-22"]
FEW = SAMPLES[:3]


def batch(runner, *args):
    return runner.invoke(main, ["batch", *map(str, args)])


def copy(folder, samples=FEW, prefix=""):
    folder.mkdir(parents=True, exist_ok=True)
    for sample in samples:
        shutil.copy(sample, folder / f"{prefix}{sample.name}")
    return folder


def write_profile(path, changes):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(merged(changes)), encoding="utf-8")
    return path


def names(folder, suffix=".md"):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(suffix))


def report_of(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    return data, {entry["source"]: entry for entry in data["profiles"]}


def test_a_broken_profile_fails_alone_and_the_report_says_why(runner, tmp_path):
    folder = copy(tmp_path / "clients")
    (folder / "broken.yaml").write_text("company: {name: Broken, market: b2cc}\n", encoding="utf-8")
    (folder / "brand.yaml").write_text("agency: Test Agency\n", encoding="utf-8")  # not a profile
    out, report = tmp_path / "out", tmp_path / "report.json"
    result = batch(runner, folder, "-o", out, "-f", "md", "--jobs", "2", "--report", report, *DATE)
    assert result.exit_code == 1, result.output
    assert names(out) == sorted(f"{s.stem}.md" for s in FEW)
    assert "playbook: error: " in result.output and "did you mean 'b2c'?" in result.output
    assert "3 rendered, 0 skipped (outputs exist), 1 failed" in result.output
    assert "Traceback" not in result.output
    data, entries = report_of(report)
    assert data["summary"] == {"rendered": 3, "skipped": 0, "failed": 1, "cancelled": 0}
    assert data["date"] == "2026-11-22" and data["formats"] == ["md"]
    assert set(entries) == {str(folder / s.name) for s in FEW} | {str(folder / "broken.yaml")}
    broken = entries[str(folder / "broken.yaml")]
    assert broken["status"] == "failed" and broken["outputs"] == []
    assert "company.market: unknown value 'b2cc'" in broken["error"]
    for sample in FEW:
        entry = entries[str(folder / sample.name)]
        assert entry["status"] == "rendered" and entry["error"] is None
        assert entry["outputs"] == [str(out / f"{sample.stem}.md")]
        assert entry["decisions"]["staffing_model"] in ("internal", "external", "pair", "seo_addon")
        assert entry["decisions"]["blog"] in ("yes", "later", "no")
        assert isinstance(entry["decisions"]["platforms"], list) and entry["ms"] > 0


def test_sheet_rows_are_named_after_the_company_and_bad_rows_reported(runner, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    sheet = tmp_path / "portfolio.csv"
    sheet.write_text("company.name,language,staffing.trained,presence.networks\n"
                     "Café Lumière,fr,oui,facebook:800\n"
                     "Bad Row,en,maybe,\n"
                     "Hexa Robotics,en,no,linkedin:120:inactive\n", encoding="utf-8")
    workbook = openpyxl.Workbook()
    workbook.active.append(["company.name", "staffing.trained"])
    workbook.active.append(["Nordlicht GmbH", True])
    workbook.save(tmp_path / "more.xlsx")
    out, report = tmp_path / "out", tmp_path / "report.json"
    result = batch(runner, sheet, tmp_path / "more.xlsx", "-o", out, "-f", "md", "--jobs", "1",
                   "--report", report, *DATE)
    assert result.exit_code == 1
    assert names(out) == ["cafe-lumiere.md", "hexa-robotics.md", "nordlicht-gmbh.md"]
    assert f"{sheet}:row 3: staffing.trained: expected true or false, got 'maybe'" in result.output
    assert "Café Lumière" in (out / "cafe-lumiere.md").read_text(encoding="utf-8")
    _, entries = report_of(report)
    assert entries[f"{sheet}:row 3"]["status"] == "failed"
    assert entries[f"{sheet}:row 2"]["decisions"]["language"] == "fr"
    assert entries[f"{tmp_path / 'more.xlsx'}:row 2"]["status"] == "rendered"


def test_an_unreadable_sheet_fails_alone(runner, tmp_path):
    sheet = tmp_path / "portfolio.csv"
    sheet.write_text("company.name,staffing.traned\nA,yes\n", encoding="utf-8")
    out = tmp_path / "out"
    result = batch(runner, sheet, FEW[0], "-o", out, "-f", "md", "--jobs", "1")
    assert result.exit_code == 1
    assert "column B 'staffing.traned': unknown column (did you mean 'staffing.trained'?)" in result.output
    assert names(out) == [f"{FEW[0].stem}.md"]


def test_clashing_names_are_numbered_in_sorted_order_whatever_the_order_given(runner, tmp_path):
    first = write_profile(tmp_path / "a" / "cafe.json", {"company.name": "One"})
    second = write_profile(tmp_path / "b" / "Café.json", {"company.name": "Two"})
    sheet = tmp_path / "c.csv"
    sheet.write_text("company.name\nCAFE\n../../Café\n", encoding="utf-8")
    for order in ([first, second, sheet], [sheet, second, first]):
        out, report = tmp_path / f"out{len(order)}-{order[0].name}", tmp_path / "r.json"
        result = batch(runner, *order, "-o", out, "-f", "md", "--jobs", "1", "--report", report)
        assert result.exit_code == 0, result.output
        _, entries = report_of(report)
        assert {source: e["slug"] for source, e in entries.items()} == {
            str(first): "cafe", str(second): "cafe-2", f"{sheet}:row 2": "cafe-3",
            f"{sheet}:row 3": "cafe-4"}
        assert names(out) == ["cafe-2.md", "cafe-3.md", "cafe-4.md", "cafe.md"]
        assert "One" in (out / "cafe.md").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".md") == []  # nothing escaped


def test_shards_cover_every_profile_once_and_stay_put_when_one_is_added(tmp_path):
    for index in range(40):
        write_profile(tmp_path / "p" / f"client-{index:02d}.json", {"company.name": f"C{index}"})
    before = collect([str(tmp_path / "p")]).tasks
    slices = [select_shard(before, (k, 4)) for k in range(1, 5)]
    everyone = [task.source for part in slices for task in part]
    assert sorted(everyone) == sorted(task.source for task in before)  # each exactly once
    assert all(slices)  # 40 profiles spread over 4 shards
    write_profile(tmp_path / "p" / "client-00a.json", {"company.name": "New"})
    after = {task.source: task for task in collect([str(tmp_path / "p")]).tasks}
    for task in before:
        assert after[task.source].slug == task.slug
        assert shard_of(after[task.source].slug, 4) == shard_of(task.slug, 4)


def test_shards_through_the_command_render_disjoint_slices(runner, tmp_path):
    folder = copy(tmp_path / "p", SAMPLES)
    outputs = []
    for k in (1, 2, 3):
        out = tmp_path / f"out{k}"
        result = batch(runner, folder, "-o", out, "-f", "md", "--jobs", "1", "--shard", f"{k}/3")
        assert result.exit_code == 0, result.output
        outputs.append(set(names(out)) if out.exists() else set())
    assert set().union(*outputs) == {f"{s.stem}.md" for s in SAMPLES}
    assert sum(len(o) for o in outputs) == len(SAMPLES)


@pytest.mark.parametrize("shard", ["0/3", "4/3", "two/3", "3"])
def test_a_bad_shard_is_a_usage_error(runner, tmp_path, shard):
    result = batch(runner, FEW[0], "-o", tmp_path, "--shard", shard)
    assert result.exit_code == 2
    assert "expected K/N with 1 <= K <= N, e.g. 2/4" in result.output


def test_rendering_twice_gives_the_same_bytes(runner, tmp_path):
    pytest.importorskip("docx")
    folder = copy(tmp_path / "p")
    for out in ("one", "two"):
        result = batch(runner, folder, "-o", tmp_path / out, "-f", "md,docx", "--jobs", "2", *DATE)
        assert result.exit_code == 0, result.output
    produced = names(tmp_path / "one", "")
    assert len(produced) == 2 * len(FEW) and produced == names(tmp_path / "two", "")
    for name in produced:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    import docx

    document = docx.Document(str(tmp_path / "one" / f"{FEW[0].stem}.docx"))
    assert any(p.style.name.startswith("Heading") for p in document.paragraphs)


def test_fail_fast_stops_at_the_first_failure(runner, tmp_path):
    folder = copy(tmp_path / "p")
    (folder / "0-broken.yaml").write_text("company: {name: X, employees: -1}\n", encoding="utf-8")
    out, report = tmp_path / "out", tmp_path / "r.json"
    result = batch(runner, folder, "-o", out, "-f", "md", "--jobs", "1", "--fail-fast",
                   "--report", report)
    assert result.exit_code == 1
    assert "company.employees: must be at least 0" in result.output
    assert "stopped at the first failure (--fail-fast)" in result.output
    assert not out.exists() or names(out) == []
    data, _ = report_of(report)
    assert data["summary"] == {"rendered": 0, "skipped": 0, "failed": 1, "cancelled": 3}
    assert data["stopped_at_first_failure"] is True


def test_fail_fast_in_the_pool(runner, tmp_path):
    folder = copy(tmp_path / "p", SAMPLES)
    (folder / "0-broken.yaml").write_text("company: {name: X, employees: -1}\n", encoding="utf-8")
    report = tmp_path / "r.json"
    result = batch(runner, folder, "-o", tmp_path / "out", "-f", "md", "--jobs", "2",
                   "--fail-fast", "--report", report)
    assert result.exit_code == 1
    data, entries = report_of(report)
    assert entries[str(folder / "0-broken.yaml")]["status"] == "failed"
    assert data["stopped_at_first_failure"] is True
    assert data["summary"]["rendered"] + data["summary"]["cancelled"] == len(SAMPLES)


def test_existing_outputs_are_skipped_until_forced(runner, tmp_path):
    folder = copy(tmp_path / "p")
    out = tmp_path / "out"
    args = [folder, "-o", out, "-f", "md", "--jobs", "1"]
    assert batch(runner, *args).exit_code == 0
    edited = out / f"{FEW[0].stem}.md"
    edited.write_text("edited by the consultant", encoding="utf-8")
    os.utime(edited, (1_000_000, 1_000_000))  # older than its profile
    result = batch(runner, *args)
    assert result.exit_code == 0
    assert "0 rendered, 3 skipped (outputs exist), 0 failed" in result.output
    assert f"1 skipped output(s) older than their profile: {FEW[0].stem}; use --force" in result.output
    assert edited.read_text(encoding="utf-8") == "edited by the consultant"
    result = batch(runner, *args, "--force")
    assert "3 rendered, 0 skipped" in result.output
    assert edited.read_text(encoding="utf-8") != "edited by the consultant"


def test_missing_formats_are_added_without_touching_existing_files(runner, tmp_path):
    profile = copy(tmp_path / "p", FEW[:1]) / FEW[0].name
    out, report = tmp_path / "out", tmp_path / "r.json"
    assert batch(runner, profile, "-o", out, "-f", "md").exit_code == 0
    (out / f"{FEW[0].stem}.md").write_text("edited", encoding="utf-8")
    result = batch(runner, profile, "-o", out, "-f", "md,html", "--report", report)
    assert result.exit_code == 0, result.output
    assert (out / f"{FEW[0].stem}.md").read_text(encoding="utf-8") == "edited"
    assert (out / f"{FEW[0].stem}.html").is_file()
    _, entries = report_of(report)
    assert entries[str(profile)]["kept"] == [str(out / f"{FEW[0].stem}.md")]
    assert entries[str(profile)]["outputs"] == [str(out / f"{FEW[0].stem}.html")]


def test_globs_are_expanded_even_when_quoted(runner, tmp_path):
    copy(tmp_path / "clients" / "north", FEW[:1])
    copy(tmp_path / "clients" / "south", FEW[1:2])
    (tmp_path / "clients" / "south" / "brand.yaml").write_text("agency: X\n", encoding="utf-8")
    out = tmp_path / "out"
    pattern = str(tmp_path / "clients" / "**" / "*.*")
    result = batch(runner, pattern, "-o", out, "-f", "md", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert names(out) == sorted(f"{s.stem}.md" for s in FEW[:2])
    result = batch(runner, str(tmp_path / "nothing" / "*.yaml"), "-o", out, "-f", "md")
    assert result.exit_code == 1
    assert "nothing/*.yaml: no profile or sheet matches this pattern" in result.output


def test_missing_and_unknown_sources_fail_without_stopping_the_rest(runner, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("hello", encoding="utf-8")
    out = tmp_path / "out"
    result = batch(runner, tmp_path / "nope.yaml", notes, FEW[0], "-o", out, "-f", "md", "--jobs", "1")
    assert result.exit_code == 1
    assert "nope.yaml: file not found; check the path" in result.output
    assert "notes.txt: unknown file type '.txt'" in result.output
    assert names(out) == [f"{FEW[0].stem}.md"]


def test_quiet_shows_errors_only(runner, tmp_path):
    folder = copy(tmp_path / "p", FEW[:1])
    (folder / "bad.json").write_text("{", encoding="utf-8")
    result = batch(runner, folder, "-o", tmp_path / "out", "-f", "md", "--jobs", "1", "--quiet")
    assert result.exit_code == 1
    assert result.output.startswith("playbook: error: ") and "invalid JSON" in result.output
    assert "rendered" not in result.output and "profiles" not in result.output


def test_progress_lines_when_not_on_a_terminal(runner, tmp_path):
    folder = copy(tmp_path / "p", SAMPLES)
    result = batch(runner, folder, "-o", tmp_path / "out", "-f", "md", "--jobs", "1")
    assert result.exit_code == 0
    lines = [line for line in result.output.splitlines() if " profiles" in line]
    assert lines[-1].startswith(f"playbook: {len(SAMPLES)}/{len(SAMPLES)} profiles")
    assert "\r" not in result.output


def test_sigterm_stops_cleanly_and_running_again_completes(tmp_path, runner):
    """The kill test: SIGTERM in the middle, then every file is whole, none temporary."""
    docx = pytest.importorskip("docx")
    folder = tmp_path / "p"
    for index in range(200):
        copy(folder, [SAMPLES[index % len(SAMPLES)]], prefix=f"c{index:03d}-")
    reference = tmp_path / "reference"
    assert batch(runner, *SAMPLES, "-o", reference, "-f", "md", "--jobs", "1", *DATE).exit_code == 0
    out = tmp_path / "out"
    command = [sys.executable, "-m", "playbook", "batch", str(folder), "-o", str(out),
               "-f", "md,docx", "--jobs", "2", *DATE]
    process = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    give_up = time.monotonic() + 300  # only so that a hang cannot block the suite
    while process.poll() is None and time.monotonic() < give_up and (
            len(list(out.glob("*.docx")) if out.exists() else []) < 10):
        time.sleep(0.005)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 143, stderr
    assert "interrupted: " in stderr and "run the same command again to continue" in stderr
    assert "Traceback" not in stderr
    files = list(out.iterdir())
    assert [f.name for f in files if f.name.startswith(".") or f.name.endswith(".tmp")] == []
    done = sorted(out.glob("*.md"))
    assert 0 < len(done) < 200
    for path in done:
        sample = path.name.split("-", 1)[1]  # c012-garage-dupont.md
        assert path.read_bytes() == (reference / sample).read_bytes(), path.name
    for path in out.glob("*.docx"):
        assert docx.Document(str(path)).paragraphs  # opens: the file is whole
    again = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert len(list(out.glob("*.md"))) == 200 and len(list(out.glob("*.docx"))) == 200
    assert "skipped (outputs exist)" in again.stderr


def test_a_template_syntax_error_is_reported_once_before_rendering(runner, tmp_path):
    templates = tmp_path / "templates" / "en"
    templates.mkdir(parents=True)
    (templates / "summary.md.j2").write_text("{% if %}\n", encoding="utf-8")
    folder = copy(tmp_path / "p")
    result = batch(runner, folder, "-o", tmp_path / "out", "-f", "md", "--templates",
                   tmp_path / "templates")
    assert result.exit_code == 1
    assert result.output.count("playbook: error: ") == 1
    assert "template en/summary.md.j2:1: syntax error" in result.output
    assert not (tmp_path / "out").exists() or names(tmp_path / "out") == []
