"""Issue 14: outputs never replace a file the tool did not create (--report, races,
leftovers of killed runs, a full disk), through the CLI and the batch engine."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES
from hypothesis import given, settings
from hypothesis import strategies as st

from playbook import outputs
from playbook.batch import BatchOptions, run_batch
from playbook.cli import main
from playbook.commands import RenderOptions
from playbook.errors import OutputError

DATE = ["--date", "2026-11-22"]


def clients(folder: Path, count: int = 3) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for sample in SAMPLES[:count]:
        shutil.copy(sample, folder / sample.name)
    return folder


# -- 1. --report ---------------------------------------------------------------------

def test_report_named_by_a_shell_expanded_glob_replaces_no_profile(runner, tmp_path):
    """`--report clients/*.yaml`: the shell gives --report the first profile."""
    folder = clients(tmp_path / "clients")
    first = sorted(folder.iterdir())[0]
    before = first.read_bytes()
    others = [str(p) for p in sorted(folder.iterdir())[1:]]
    result = runner.invoke(main, ["batch", "--report", str(first), *others,
                                  "-o", str(tmp_path / "out"), "-f", "md", *DATE])
    assert result.exit_code == 1
    assert "give --report a file name ending in .json" in result.output
    assert first.read_bytes() == before
    assert not (tmp_path / "out").exists()  # refused before anything was rendered


def test_report_never_replaces_a_playbook_or_another_json_file(runner, tmp_path):
    folder = clients(tmp_path / "clients", 1)
    out = tmp_path / "out"
    assert runner.invoke(main, ["batch", str(folder), "-o", str(out), "-f", "md",
                                *DATE]).exit_code == 0
    playbook = next(out.iterdir())
    before = playbook.read_bytes()
    result = runner.invoke(main, ["batch", str(folder), "-o", str(out), "-f", "md",
                                  "--report", str(playbook)])
    assert result.exit_code == 1 and playbook.read_bytes() == before
    other = tmp_path / "settings.json"
    other.write_text('{"theme": "dark"}', encoding="utf-8")
    result = runner.invoke(main, ["batch", str(folder), "-o", str(out), "-f", "md",
                                  "--report", str(other)])
    assert result.exit_code == 1
    assert "already exists and is not a batch report" in result.output
    assert other.read_text(encoding="utf-8") == '{"theme": "dark"}'


def test_an_earlier_report_is_replaced_so_a_rerun_continues(runner, tmp_path):
    folder = clients(tmp_path / "clients", 2)
    out, report = tmp_path / "out", tmp_path / "report.json"
    for expected in ("rendered", "skipped"):
        result = runner.invoke(main, ["batch", str(folder), "-o", str(out), "-f", "md",
                                      "--report", str(report), *DATE])
        assert result.exit_code == 0, result.output
        data = json.loads(report.read_text(encoding="utf-8"))
        assert {entry["status"] for entry in data["profiles"]} == {expected}


# -- 7. two runs into one folder ---------------------------------------------------------

def test_a_file_made_by_another_run_after_the_check_is_never_replaced(tmp_path, monkeypatch):
    """The window between "does it exist?" and the write: another run writes the .md
    there; ours keeps it and writes none of this profile's other outputs, so a client
    never ends with an English .md and a French .docx."""
    import playbook.batch as engine

    folder = clients(tmp_path / "clients", 1)
    out = tmp_path / "out"
    encode = engine.encode_outputs

    def other_run_writes_first(builder, playbook, formats):
        data = encode(builder, playbook, formats)
        (out / f"{Path(SAMPLES[0]).stem}.md").write_text("the other run's", encoding="utf-8")
        return data

    monkeypatch.setattr(engine, "encode_outputs", other_run_writes_first)
    options = BatchOptions(RenderOptions(output=out, formats=("md", "docx")), jobs=1)
    result = run_batch([folder], options)
    (entry,) = result.entries
    assert entry.status == "skipped" and entry.outputs == []
    assert "written meanwhile by another run" in entry.warnings[0]
    assert (out / f"{Path(SAMPLES[0]).stem}.md").read_text(encoding="utf-8") == "the other run's"
    assert not (out / f"{Path(SAMPLES[0]).stem}.docx").exists()


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "c"]), max_size=6),
       st.sets(st.sampled_from(["a", "b", "c"])))
def test_create_new_never_replaces_and_leaves_no_temporary(tmp_path_factory, writes, existing):
    folder = tmp_path_factory.mktemp("create")
    for name in existing:
        (folder / name).write_bytes(b"theirs")
    made = set()
    for name in writes:
        try:
            outputs.create_new(folder / name, b"ours")
            made.add(name)
        except outputs.FileExists:
            assert name in existing or name in made
    for name in existing:
        assert (folder / name).read_bytes() == b"theirs"
    assert sorted(p.name for p in folder.iterdir()) == sorted(existing | made)


# -- 9. after kill -9 -------------------------------------------------------------------

def test_temporaries_of_dead_runs_are_removed_and_live_ones_kept(runner, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    host = outputs._host_tag()
    left = out / f".client-078.docx.{host}-{dead}.q92v_nbm.tmp"
    live = out / f".client-079.docx.{host}-{os.getppid()}.a1b2c3d4.tmp"
    foreign = out / ".notes.txt"
    for path in (left, live, foreign):
        path.write_bytes(b"PK\x03\x04 cut")
    result = runner.invoke(main, ["batch", str(clients(tmp_path / "c", 1)), "-o", str(out),
                                  "-f", "md", *DATE])
    assert result.exit_code == 0, result.output
    assert not left.exists() and live.exists() and foreign.exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers fork on Linux")
def test_profiles_a_dead_worker_finished_are_reported_rendered(runner, tmp_path, monkeypatch):
    from playbook.build import Builder

    folder = tmp_path / "clients"
    folder.mkdir()
    for index in range(16):  # chunks of two: the worker dies after the first of its chunk
        shutil.copy(SAMPLES[0], folder / f"c{index:02d}.yaml")
    parent, build, calls = os.getpid(), Builder.build, {"n": 0}

    def die_on_the_second(self, *args, **kwargs):
        calls["n"] += 1
        if os.getpid() != parent and calls["n"] == 2:
            os._exit(137)
        return build(self, *args, **kwargs)

    monkeypatch.setattr(Builder, "build", die_on_the_second)
    out, report = tmp_path / "out", tmp_path / "r.json"
    runner.invoke(main, ["batch", str(folder), "-o", str(out), "-f", "md", "--jobs", "2",
                         "--report", str(report), *DATE])
    entries = json.loads(report.read_text(encoding="utf-8"))["profiles"]
    recovered = [e for e in entries if any("stopped before reporting" in w for w in e["warnings"])]
    assert recovered and any(e["status"] == "cancelled" for e in entries)
    for entry in entries:
        complete = (out / f"{entry['slug']}.md").exists()
        assert entry["status"] == ("rendered" if complete else "cancelled"), entry


# -- 11. render: all or nothing, the same file once ---------------------------------------

def test_render_after_a_full_disk_leaves_nothing_and_needs_no_force(runner, tmp_path,
                                                                    monkeypatch):
    out = tmp_path / "out"
    real_link = os.link

    def disk_full_on_docx(source, target, *args, **kwargs):
        if str(target).endswith(".docx"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_link(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "link", disk_full_on_docx)
    result = runner.invoke(main, ["render", str(SAMPLES[0]), "-o", str(out), *DATE])
    assert result.exit_code == 1 and "the disk is full" in result.output
    assert list(out.iterdir()) == []
    monkeypatch.setattr(os, "link", real_link)
    result = runner.invoke(main, ["render", str(SAMPLES[0]), "-o", str(out), *DATE])
    assert result.exit_code == 0, result.output
    assert sorted(p.suffix for p in out.iterdir()) == [".docx", ".md"]


def test_render_the_same_file_twice_writes_one_playbook(runner, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(main, ["render", str(SAMPLES[0]), str(SAMPLES[0]), "-o", str(out),
                                  "-f", "md", *DATE])
    assert result.exit_code == 0, result.output
    assert len(list(out.iterdir())) == 1


def test_without_hard_links_a_new_file_is_still_created_without_replacing(tmp_path,
                                                                          monkeypatch):
    def no_links(*args, **kwargs):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "a.md"
    outputs.create_new(target, b"one")
    assert target.read_bytes() == b"one"
    with pytest.raises(OutputError, match="already exists"):
        outputs.create_new(target, b"two")
    assert target.read_bytes() == b"one"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


# -- 12. scale: the parent holds neither the rows nor the entries ------------------------------

def test_a_large_sheet_is_streamed_and_its_report_sorted(runner, tmp_path, monkeypatch):
    """A batch holds a bounded number of sheet rows and entries at any time, whatever
    the portfolio's size; the report still lists every profile in sorted order."""
    import csv
    import gc
    import weakref

    import playbook.batch as engine
    from playbook.sheets import SheetRow

    lines = list(csv.reader((ROOT / "examples" / "portfolio.csv").open(encoding="utf-8")))
    sheet = tmp_path / "portfolio.csv"
    with sheet.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(lines[0])
        for index in range(150):
            row = list(lines[1 + index % (len(lines) - 1)])
            row[0] = f"{row[0]} {index}"
            writer.writerow(row)
    live, most = {"rows": 0, "entries": 0}, {"rows": 0, "entries": 0}
    row_init, entry_init = SheetRow.__init__, engine.Entry.__init__

    def track_row(self, *args, **kwargs):
        row_init(self, *args, **kwargs)
        live["rows"] += 1
        weakref.finalize(self, lambda: live.__setitem__("rows", live["rows"] - 1))

    def track_entry(self, *args, **kwargs):
        entry_init(self, *args, **kwargs)
        live["entries"] += 1
        weakref.finalize(self, lambda: live.__setitem__("entries", live["entries"] - 1))
        gc.collect()
        most["rows"] = max(most["rows"], live["rows"])
        most["entries"] = max(most["entries"], live["entries"])

    monkeypatch.setattr(SheetRow, "__init__", track_row)
    monkeypatch.setattr(engine.Entry, "__init__", track_entry)
    report = tmp_path / "r.json"
    result = runner.invoke(main, ["batch", str(sheet), "-o", str(tmp_path / "out"), "-f", "md",
                                  "--jobs", "1", "--report", str(report), *DATE])
    assert result.exit_code == 0, result.output
    assert most["rows"] <= 5 and most["entries"] <= 5, most
    entries = json.loads(report.read_text(encoding="utf-8"))["profiles"]
    numbers = [int(entry["source"].rsplit(" ", 1)[1]) for entry in entries]
    assert numbers == list(range(2, 152))
