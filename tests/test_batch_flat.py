"""`playbook batch` keeps nothing per profile in its own process (issue 14, item 12): the
portfolio's tasks and names live in a temporary SQLite file, sheets are read a chunk at
a time. Peak resident memory at 2,000 to 100,000 rows is measured by
bench/hostile_memory.py --only-batch; these tests check the cause, without timing."""

from __future__ import annotations

import gc
import json
import tracemalloc

import pytest

from playbook import sheets
from playbook.batch import BatchEvents, BatchOptions, Task, collect, run_batch
from playbook.commands import RenderOptions
from playbook.sheets import read_sheet


class Watch(BatchEvents):
    """Counts, at the last entry, the Task objects still alive in this process."""

    def __init__(self, total: int):
        self.total, self.seen, self.tasks_alive = total, 0, None

    def done(self, entry) -> None:
        self.seen += 1
        if self.seen == self.total:
            self.tasks_alive = sum(type(thing) is Task for thing in gc.get_objects())


def batch_of_failing_rows(tmp_path, rows: int) -> tuple[int, int, dict]:
    """A batch of `rows` sheet rows that each fail at once (a broken brand.yaml next
    to the sheet), so that every row goes through the parent (named, read again,
    handed out, reported) but nothing renders: its traced peak, the Task objects
    alive at the end, and the report."""
    tmp_path.mkdir()
    (tmp_path / "brand.yaml").write_text("colors: [", encoding="utf-8")
    sheet = tmp_path / f"portfolio-{rows}.csv"
    notes = "n" * 400  # a wide row: a sheet held whole would show in the peak
    sheet.write_text("company.name,language,# notes\n" + "".join(
        f"Client {index:05d},fr,{notes}\n" for index in range(rows)), encoding="utf-8")
    report = tmp_path / f"report-{rows}.json"
    options = BatchOptions(RenderOptions(output=tmp_path / "out", formats=("md",)), jobs=1,
                           report=report, keep_entries=False)
    watch = Watch(rows)
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        result = run_batch([str(sheet)], options, watch)
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert result.count("failed") == rows, result.failures[:1]
    return peak, watch.tasks_alive, json.loads(report.read_text(encoding="utf-8"))


def test_the_parent_keeps_no_per_row_structure(tmp_path, monkeypatch):
    # a sheet is read in chunks of 64 KB: smaller ones here, so that both sheets
    # (200 and 860 KB) take many and the peaks compare what is kept per row
    monkeypatch.setattr(sheets, "_CHUNK", 16 * 1024)
    batch_of_failing_rows(tmp_path / "warm-up", 10)  # one-time costs (imports, caches)
    small_peak, _, _ = batch_of_failing_rows(tmp_path / "small", 500)
    large_peak, large_alive, report = batch_of_failing_rows(tmp_path / "large", 2_000)
    assert len(report["profiles"]) == 2_000  # every entry is in the report...
    assert report["profiles"][-1]["source"].endswith(":row 2001")
    # ...but the process holds no task per row (there were 2,000 of them before),
    assert large_alive is not None and large_alive <= 5
    # nor the sheet's text: 1,500 more rows of 430 bytes may cost a few bytes each in
    # passing, not a task (~600 bytes) or a row's text each
    assert large_peak - small_peak < 150_000, (small_peak, large_peak)


def test_names_are_taken_over_the_whole_portfolio_whatever_the_shard(tmp_path):
    sheet = tmp_path / "p.csv"
    sheet.write_text("company.name\n" + "Café\nCAFE\nOther\n" * 40, encoding="utf-8")
    (tmp_path / "cafe.json").write_text('{"company": {"name": "X"}}', encoding="utf-8")
    everyone = {task.source: task.slug for task in collect([str(tmp_path)]).tasks}
    everyone.update({task.source: task.slug for task in collect([str(sheet)]).tasks})
    together = collect([str(tmp_path / "cafe.json"), str(sheet)]).tasks
    names = [task.slug for task in together]
    assert names[:4] == ["cafe", "cafe-2", "cafe-3", "other"]  # sorted: cafe.json first
    assert len(set(names)) == len(names) == 121
    shards = [collect([str(tmp_path / "cafe.json"), str(sheet)], shard=(k, 3)).tasks
              for k in (1, 2, 3)]
    from_shards = {task.source: task.slug for store in shards for task in store}
    assert from_shards == {task.source: task.slug for task in together}
    assert sum(len(store) for store in shards) == 121


def test_a_sheet_failing_halfway_names_none_of_its_rows(tmp_path):
    bad = tmp_path / "a.csv"
    bad.write_text('company.name\nCafé\n"unclosed\n', encoding="utf-8")
    good = tmp_path / "b.csv"
    good.write_text("company.name\nCafé\n", encoding="utf-8")
    portfolio = collect([str(bad), str(good)])
    assert [task.slug for task in portfolio.tasks] == ["cafe"]  # not cafe-2
    assert [entry.source for entry in portfolio.failures] == [str(bad)]


TRICKY = ('company.name;# notes\r\n"Café ""Lumière""";"two\nlines"\rÉlan;x\r\n\r\n'
          "Zoë 🦊;é" + "x" * 50 + "\nLast;no newline")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252-safe"])
@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7, 64])
def test_a_sheet_read_a_chunk_at_a_time_gives_the_same_rows(tmp_path, monkeypatch, encoding,
                                                            chunk):
    text = TRICKY.replace("🦊", "") if encoding == "cp1252-safe" else TRICKY
    path = tmp_path / "p.csv"
    path.write_bytes(text.encode("cp1252" if encoding == "cp1252-safe" else encoding))
    whole = read_sheet(path)
    monkeypatch.setattr(sheets, "_CHUNK", chunk)
    pieces = read_sheet(path)
    assert [(row.row, row.name, row.data) for row in pieces.rows] == \
        [(row.row, row.name, row.data) for row in whole.rows]
    assert [row.name for row in whole.rows][:2] == ['Café "Lumière"', "Élan"]
    assert [row.row for row in whole.rows] == [2, 3, 5, 6]
    assert pieces.warnings == whole.warnings


def test_a_bad_byte_on_the_last_line_is_reported_before_any_row(tmp_path, monkeypatch):
    monkeypatch.setattr(sheets, "_CHUNK", 4)
    path = tmp_path / "p.csv"
    path.write_bytes("company.name\nCafé\nB\n".encode() + b"\x81\xff\n")
    with pytest.raises(sheets.InputError) as caught:
        sheets.iter_sheet(path)
    assert "line 4" in str(caught.value) or ":4" in str(caught.value)
    assert "is not UTF-8 text" in str(caught.value)
