"""Issue 14: every input is read with a bound (special files, bombs, damaged
workbooks, odd encodings), and a bad one is one clear error, never a hang or a crash."""

from __future__ import annotations

import io
import os
import shutil
import sys
import threading
import zipfile

import pytest
from conftest import SAMPLES
from hypothesis import given, settings
from hypothesis import strategies as st

from playbook.cli import main
from playbook.errors import InputError
from playbook.sheets import read_sheet

POSIX = pytest.mark.skipif(os.name != "posix", reason="FIFOs and /dev/zero are POSIX")
DATE = ["--date", "2026-11-22"]


def finishes(function, seconds: float = 20.0):
    """Run `function` in a thread; fail (rather than hang the suite) if it never ends."""
    outcome = {}

    def target():
        outcome["value"] = function()

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "still reading after 20 s"
    return outcome["value"]


# -- 4. special files ---------------------------------------------------------------

@POSIX
@pytest.mark.parametrize("command", ["validate", "render", "explain"])
def test_a_link_to_dev_zero_is_refused_at_once(runner, tmp_path, command):
    link = tmp_path / "z.yaml"
    link.symlink_to("/dev/zero")
    args = [command, str(link)] + (["-o", str(tmp_path / "out")] if command == "render" else [])
    result = finishes(lambda: runner.invoke(main, args))
    assert result.exit_code == 1
    assert "z.yaml: is a device, not a regular file; give the file itself" in result.output


@POSIX
def test_a_named_pipe_is_refused_instead_of_waiting_forever(runner, tmp_path):
    fifo = tmp_path / "f.yaml"
    os.mkfifo(fifo)
    result = finishes(lambda: runner.invoke(main, ["validate", str(fifo)]))
    assert result.exit_code == 1
    assert "f.yaml: is a named pipe (FIFO), not a regular file" in result.output


@POSIX
def test_batch_of_a_folder_holding_special_files_renders_the_rest(runner, tmp_path):
    folder = tmp_path / "clients"
    folder.mkdir()
    shutil.copy(SAMPLES[0], folder / "real.yaml")
    os.mkfifo(folder / "f.yaml")
    (folder / "z.yaml").symlink_to("/dev/zero")
    os.mkfifo(folder / "sheet.csv")
    out = tmp_path / "out"
    result = finishes(lambda: runner.invoke(main, ["batch", str(folder), str(folder / "sheet.csv"),
                                                   "-o", str(out), "-f", "md", "--jobs", "1",
                                                   *DATE]))
    assert result.exit_code == 1
    assert "1 rendered, 0 skipped (outputs exist), 3 failed" in result.output, result.output
    assert [p.name for p in out.iterdir()] == ["real.md"]


def test_a_file_growing_past_the_limit_while_read_is_cut_off(tmp_path, monkeypatch):
    """The bound is on what is read, not on what stat said before."""
    from playbook import bounded

    path = tmp_path / "p.yaml"
    path.write_bytes(b"x" * 100)
    real_fstat = os.fstat

    class Small:
        def __init__(self, info):
            self.st_mode, self.st_size = info.st_mode, 10

    monkeypatch.setattr(bounded.os, "fstat", lambda handle: Small(real_fstat(handle)))
    with pytest.raises(bounded.TooLarge):
        bounded.read_at_most(path, 50)


# -- 5. damaged workbooks ------------------------------------------------------------------

def workbook(rows: list[list]) -> bytes:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def rewrite_part(data: bytes, name: str, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info.filename, change(content) if info.filename == name else content)
    return out.getvalue()


GOOD = [["company.name", "company.employees"], ["Alpha", 3], ["Beta", 5]]
SHEET = "xl/worksheets/sheet1.xml"


@pytest.mark.parametrize("damage", [
    lambda xml: xml[: len(xml) // 2],  # cut in half
    lambda xml: b"<!DOCTYPE worksheet [<!ENTITY a \"aaaa\">]>" + xml,
    lambda xml: xml.replace(b"<sheetData>", b"<sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>99"
                            b"</v></c></row>", 1),  # a string that does not exist
], ids=["cut", "dtd", "bad-string"])
def test_a_damaged_workbook_fails_alone_and_the_batch_goes_on(runner, tmp_path, damage):
    sheet = tmp_path / "portfolio.xlsx"
    sheet.write_bytes(rewrite_part(workbook(GOOD), SHEET, damage))
    report = tmp_path / "r.json"
    result = runner.invoke(main, ["batch", str(sheet), str(SAMPLES[0]), "-o", str(tmp_path / "o"),
                                  "-f", "md", "--jobs", "1", "--report", str(report), *DATE])
    assert "Traceback" not in result.output and result.exception is None or \
        isinstance(result.exception, SystemExit)
    assert result.exit_code == 1
    assert "portfolio.xlsx: cannot read the workbook (" in result.output
    assert "1 rendered" in result.output and report.exists()


def test_a_bad_header_is_reported_before_the_rows_are_read(tmp_path, monkeypatch):
    """Row 1 shows the problem: the 2 million rows below are never parsed."""
    sheet = tmp_path / "big.xlsx"
    sheet.write_bytes(workbook([["company.nme"]] + [[f"C{i}"] for i in range(2000)]))
    import playbook.sheets as sheets

    seen = []
    convert = sheets._convert_row
    monkeypatch.setattr(sheets, "_convert_row", lambda *a: seen.append(a) or convert(*a))
    real = sheets._xlsx_records
    pulled = []

    def counting(raw, source):
        for record in real(raw, source):
            pulled.append(record)
            yield record

    monkeypatch.setattr(sheets, "_xlsx_records", counting)
    with pytest.raises(InputError, match="unknown column"):
        read_sheet(sheet)
    assert len(pulled) == 1 and seen == []


def test_a_workbook_expanding_past_the_bound_is_refused(tmp_path, monkeypatch):
    import playbook.sheets as sheets

    monkeypatch.setattr(sheets, "MAX_WORKBOOK_EXPANDED", 20_000)
    sheet = tmp_path / "bomb.xlsx"
    sheet.write_bytes(workbook([["company.name"]] + [["x" * 50] for _ in range(1000)]))
    with pytest.raises(InputError, match=r"cannot read the workbook \(its parts expand to"):
        read_sheet(sheet)


# -- 10. sheets: long cells, encodings ------------------------------------------------------

def test_a_long_note_cell_does_not_fail_the_sheet(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("company.name,# notes\nAlpha,\"" + "n" * 300_000 + "\"\n", encoding="utf-8")
    (row,) = read_sheet(path).rows
    assert row.name == "Alpha"


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32",
                        "utf-32-le", "utf-32-be"]),
       st.lists(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1,
                        max_size=20).filter(lambda t: t.strip() and t.strip()[0] != "#"),
                min_size=1, max_size=5))
def test_sheets_in_any_unicode_encoding_read_the_same(tmp_path_factory, encoding, names):
    rows = "".join('"' + name.replace('"', '""') + '"\n' for name in names)
    path = tmp_path_factory.mktemp("enc") / "p.csv"
    path.write_bytes(("company.name\n" + rows).encode(encoding))
    sheet = read_sheet(path)
    assert [row.name for row in sheet.rows] == [name.strip() for name in names]
    assert sheet.warnings == []


def test_a_binary_file_named_csv_is_one_clear_error(tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes(b"company.name\n\x00\x01\x02binary")
    with pytest.raises(InputError, match="holds NUL characters"):
        read_sheet(path)


if sys.platform == "win32":  # pragma: no cover
    pytestmark = pytest.mark.skip("POSIX special files")


# -- 8. one line, never a traceback ------------------------------------------------------

HUGE = "9" * 5000


@pytest.mark.parametrize("name, text, message", [
    ("big.yaml", f"company:\n  name: X\n  employees: {HUGE}\n",
     "big.yaml:3:14: company.employees: invalid YAML value: a number has more than 4,300 digits"),
    ("big.json", f'{{"company": {{"name": "X", "employees": {HUGE}}}}}',
     "big.json: invalid JSON: a number has more than 4,300 digits"),
    ("big.toml", f'[company]\nname = "X"\nemployees = {HUGE}\n',
     "big.toml: invalid TOML: a number has more than 4,300 digits"),
    ("hex.yaml", "company:\n  name: X\n  employees: 0x" + "f" * 5000 + "\n",
     "company.employees: must be at most 1e+07, got a number of about 6,021 digits"),
    ("hex.toml", '[company]\nname = "X"\nemployees = 0x' + "f" * 5000 + "\n",
     "company.employees: must be at most 1e+07, got a number of about 6,021 digits"),
    ("date.yaml", "company:\n  name: X\ndate: 2026-02-30\n",
     "date.yaml:3:7: date: expected a date written YYYY-MM-DD, got '2026-02-30' (day is out of "
     "range for month)"),
    ("b60.yaml", "company:\n  name: X\n  employees: 1:20\n",
     "company.employees: expected a whole number, got '1:20'"),
    ("zw.yaml", 'company:\n  name: "\\u200b\\u200c\\u200d\\ufeff"\n',
     "company.name: must not be empty"),
], ids=lambda value: value if isinstance(value, str) and len(value) < 12 else None)
@pytest.mark.parametrize("command", ["validate", "explain", "render"])
def test_hostile_values_are_one_clear_line(runner, tmp_path, command, name, text, message):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    args = [command, str(path)] + (["-o", str(tmp_path / "out")] if command == "render" else [])
    result = runner.invoke(main, args)
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert message in result.output


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=2, max_value=59), st.integers(min_value=0, max_value=59))
def test_no_yaml_number_is_read_in_base_60(tmp_path_factory, hours, minutes):
    from playbook.sources import parse_text

    data, _ = parse_text(f"a: {hours}:{minutes:02d}\nb: {hours}:{minutes:02d}.5\n", "yaml", "p")
    assert data == {"a": f"{hours}:{minutes:02d}", "b": f"{hours}:{minutes:02d}.5"}


def test_a_lone_surrogate_in_a_template_is_one_clear_line(runner, tmp_path):
    (tmp_path / "tpl" / "en").mkdir(parents=True)
    (tmp_path / "tpl" / "en" / "playbook.md.j2").write_text("{{ '\\ud800' }}", encoding="utf-8")
    result = runner.invoke(main, ["render", str(SAMPLES[0]), "--lang", "en", "--templates",
                                  str(tmp_path / "tpl"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "en/playbook.md.j2: the output holds U+D800, a lone surrogate" in result.output
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


# -- 11. names and folders ------------------------------------------------------------------

@pytest.mark.parametrize("name, file", [("Ελληνικά Αρτοποιεία", "ελληνικά-αρτοποιεία.md"),
                                        ("日本のパン屋", "日本のパン屋.md"),
                                        ("🥐", "croissant.md")])
def test_names_in_other_scripts_name_their_files(runner, tmp_path, name, file):
    path = tmp_path / "p.yaml"
    path.write_text(f'company:\n  name: "{name}"\n', encoding="utf-8")
    result = runner.invoke(main, ["render", str(path), "-o", str(tmp_path / "out"), "-f", "md"])
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "out").iterdir()] == [file]


def test_a_read_only_output_folder_fails_once_before_rendering(runner, tmp_path, monkeypatch):
    import errno
    import tempfile

    folder = tmp_path / "clients"
    folder.mkdir()
    for index in range(3):
        shutil.copy(SAMPLES[0], folder / f"c{index}.yaml")

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    result = runner.invoke(main, ["batch", str(folder), "-o", str(tmp_path / "out"), "-f", "md",
                                  "--jobs", "1"])
    assert result.exit_code == 1
    assert result.output.count("error:") == 1
    assert "out: cannot write: the folder is read-only" in result.output
