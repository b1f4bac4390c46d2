"""docs/errors.md lists every error the tool prints; each row is triggered here.

A row without a trigger, or a trigger whose output no longer matches the documented
message, fails: the catalogue cannot drift from the code. Triggers go through the
command line (click's CliRunner, in this process); what a test cannot cause cheaply
(LibreOffice failing, a full disk, a worker process dying, Ctrl-C) is simulated by
patching the one function that would fail, so the message and its path through the
CLI are still the real ones.
"""

from __future__ import annotations

import errno
import json
import os
import re
import signal
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import pytest
from conftest import PROFILES, ROOT

from playbook.cli import main

ROW = re.compile(r"^\| ([a-z0-9-]+) \| `(.+?)` \|", re.M)
CATALOGUE = dict(ROW.findall((ROOT / "docs" / "errors.md").read_text(encoding="utf-8")))
TRIGGERS: dict[str, Callable[[object, Path], str]] = {}


def trigger(*ids):
    def register(function):
        for error_id in ids:
            TRIGGERS[error_id] = function
        return function
    return register


def pattern(message: str) -> re.Pattern:
    parts = re.split(r"\{[a-z_]+\}", message)
    return re.compile(".+?".join(re.escape(p) for p in parts))


def validate(runner, tmp_path: Path, name: str, content: str | bytes, *options) -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    result = runner.invoke(main, ["validate", str(path), *map(str, options)])
    assert "Traceback" not in result.output
    return result.output


def profile(runner, tmp_path, text: str) -> str:
    return validate(runner, tmp_path, "p.yaml", text)


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


BAKERY = str(PROFILES / "boulangerie-muller.yaml")  # French
STUDIO = str(PROFILES / "studio-nomad.yaml")  # English


def render(runner, tmp, *args, formats="md") -> str:
    result = runner.invoke(main, ["render", *map(str, args), "-o", str(tmp / "out"),
                                  "-f", formats])
    return result.output


# -- reading ---------------------------------------------------------------------
@trigger("read-missing")
def _(runner, tmp):
    return runner.invoke(main, ["validate", str(tmp / "absent.yaml")]).output


@trigger("read-folder")
def _(runner, tmp):
    (tmp / "folder.yaml").mkdir()
    return runner.invoke(main, ["validate", str(tmp / "folder.yaml")]).output


@trigger("read-too-large")
def _(runner, tmp):
    return validate(runner, tmp, "big.yaml", "company: {name: X}\n" + "#" * 2_200_000)


@trigger("read-unreadable")
def _(runner, tmp):
    # Root reads any file, so a chmod cannot refuse it: refuse this one open instead.
    from playbook import bounded

    real_open = os.open

    def refuse(path, *args, **kwargs):
        if Path(path).name == "locked.yaml":
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, *args, **kwargs)

    with mock.patch.object(bounded.os, "open", refuse):
        return validate(runner, tmp, "locked.yaml", "company: {name: X}\n")


@trigger("read-special")
def _(runner, tmp):
    if os.name != "posix":
        pytest.skip("named pipes are POSIX")
    fifo = tmp / "f.yaml"
    os.mkfifo(fifo)
    return runner.invoke(main, ["validate", str(fifo)]).output


@trigger("read-encoding")
def _(runner, tmp):
    return validate(runner, tmp, "latin.yaml", "company: {name: Caf\xe9}\n".encode("latin-1"))


@trigger("read-type")
def _(runner, tmp):
    return validate(runner, tmp, "p.txt", "company: {name: X}\n")


@trigger("read-empty")
def _(runner, tmp):
    return validate(runner, tmp, "p.json", "  \n")


@trigger("read-no-data")
def _(runner, tmp):
    return profile(runner, tmp, "# just a comment\n")


@trigger("read-too-deep")
def _(runner, tmp):
    return validate(runner, tmp, "p.json", '{"v": ' + "[" * 50 + "]" * 50 + "}")


@trigger("yaml-syntax")
def _(runner, tmp):
    return profile(runner, tmp, "company: [x\n")


@trigger("yaml-aliases")
def _(runner, tmp):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 8)]
    return profile(runner, tmp, "\n".join(lines) + "\ncompany: {name: X}\n")


@trigger("yaml-key")
def _(runner, tmp):
    return profile(runner, tmp, "? [a, b]\n: 1\ncompany: {name: X}\n")


@trigger("yaml-tag")
def _(runner, tmp):
    return profile(runner, tmp, "company: {name: !!python/object/apply:os.system [ls]}\n")


@trigger("duplicate-key")
def _(runner, tmp):
    return profile(runner, tmp, "company: {name: X}\ncompany: {name: Y}\n")


@trigger("toml-syntax")
def _(runner, tmp):
    return validate(runner, tmp, "p.toml", "[company\n")


@trigger("number-too-long")
def _(runner, tmp):
    return validate(runner, tmp, "p.json", '{"company": {"name": "X", "employees": %s}}'
                    % ("9" * 5000))


@trigger("json-syntax")
def _(runner, tmp):
    return validate(runner, tmp, "p.json", '{"company": {"name": "X",}}')


# -- validating --------------------------------------------------------------------
@trigger("top-level")
def _(runner, tmp):
    return profile(runner, tmp, "- company\n")


@trigger("unknown-field")
def _(runner, tmp):
    return profile(runner, tmp, "company: {name: X, employes: 3}\n")


@trigger("required")
def _(runner, tmp):
    return profile(runner, tmp, "goals: [sales]\n")


@trigger("required-empty")
def _(runner, tmp):
    return profile(runner, tmp, "company: {name: null}\n")


@trigger("not-empty")
def _(runner, tmp):
    return validate(runner, tmp, "p.json", json.dumps({"company": {"name": "\u0007 "}}))


@trigger("not-mapping")
def _(runner, tmp):
    return profile(runner, tmp, "company: Boulangerie\n")


@trigger("text")
def _(runner, tmp):
    return profile(runner, tmp, "company: {name: X, sector: [a, b]}\n")


@trigger("too-long")
def _(runner, tmp):
    return profile(runner, tmp, "company: {name: " + "x" * 200 + "}\n")


@trigger("unknown-value")
def _(runner, tmp):
    return profile(runner, tmp, "company: {name: X, market: b2cc}\n")


@trigger("choice-type")
def _(runner, tmp):
    return profile(runner, tmp, "company: {name: X, market: [b2c]}\n")


@trigger("bool")
def _(runner, tmp):
    return profile(runner, tmp, "company: {name: X}\nstaffing: {trained: maybe}\n")


@trigger("date")
def _(runner, tmp):
    return profile(runner, tmp, "company: {name: X}\ndocument: {date: next week}\n")


@trigger("minimum")
def _(runner, tmp):
    return profile(runner, tmp, "company: {name: X, employees: -1}\n")


@trigger("maximum")
def _(runner, tmp):
    return profile(runner, tmp, "company: {name: X}\nversion: 2\n")


@trigger("whole-number")
def _(runner, tmp):
    return profile(runner, tmp, "company: {name: X, employees: twelve}\n")


@trigger("number")
def _(runner, tmp):
    return profile(runner, tmp, "company: {name: X}\nstaffing: {monthly_budget_eur: lots}\n")


@trigger("list")
def _(runner, tmp):
    return profile(runner, tmp, "company: {name: X}\ngoals: {a: 1}\n")


@trigger("list-size")
def _(runner, tmp):
    return profile(runner, tmp, "company: {name: X, values: [" + ", ".join(
        f"v{i}" for i in range(13)) + "]}\n")


@trigger("list-empty-item")
def _(runner, tmp):
    return profile(runner, tmp, "company: {name: X}\ngoals: [sales, null]\n")


@trigger("warn-control")
def _(runner, tmp):
    return validate(runner, tmp, "p.json", json.dumps({"company": {"name": "A\u0000B"}}))


# -- brand files ---------------------------------------------------------------------
def brand(runner, tmp, text: str | bytes, name: str = "brand.yaml") -> str:
    """Validate a profile with the brand file `text` (relative paths: next to it)."""
    path = write(tmp / "brand" / name, text)
    return runner.invoke(main, ["validate", STUDIO, "--brand", str(path)]).output


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@trigger("brand-top-level")
def _(runner, tmp):
    return brand(runner, tmp, "- agency\n")


@trigger("brand-empty")
def _(runner, tmp):
    return brand(runner, tmp, "\n")


@trigger("brand-no-data")
def _(runner, tmp):
    return brand(runner, tmp, "# agency: To do\n")


@trigger("brand-unknown-field")
def _(runner, tmp):
    return brand(runner, tmp, "agency: A\nprimary_colour: '#1F4E79'\n")


@trigger("brand-colour")
def _(runner, tmp):
    return brand(runner, tmp, "primary_color: blue\n")


@trigger("brand-colour-empty")
def _(runner, tmp):
    return brand(runner, tmp, "primary_color: #1F4E79\n")


@trigger("brand-file-missing")
def _(runner, tmp):
    return brand(runner, tmp, "logo: logo.png\n")


@trigger("brand-folder-missing")
def _(runner, tmp):
    return brand(runner, tmp, "templates: my-templates\n")


@trigger("brand-logo-type")
def _(runner, tmp):
    write(tmp / "brand" / "logo.svg", "<svg/>")
    return brand(runner, tmp, "logo: logo.svg\n")


@trigger("brand-logo-content")
def _(runner, tmp):
    write(tmp / "brand" / "logo.png", "<svg/>")
    return brand(runner, tmp, "logo: logo.png\n")


@trigger("brand-logo-damaged")
def _(runner, tmp):
    write(tmp / "brand" / "logo.png", PNG)  # a PNG signature, then nothing readable
    path = write(tmp / "brand" / "brand.yaml", "logo: logo.png\n")
    return runner.invoke(main, ["render", STUDIO, "--brand", str(path), "-o", str(tmp / "out"),
                                "-f", "docx"]).output


@trigger("brand-logo-size")
def _(runner, tmp):
    import playbook.brand as brand_module

    write(tmp / "brand" / "logo.png", (ROOT / "examples" / "brand" / "logo.png").read_bytes())
    with mock.patch.object(brand_module, "MAX_LOGO_BYTES", 100):
        return brand(runner, tmp, "logo: logo.png\n")


@trigger("brand-logo-pixels")
def _(runner, tmp):
    from test_hostile_reference import png_header

    write(tmp / "brand" / "logo.png", png_header(100_000, 100_000))
    return brand(runner, tmp, "logo: logo.png\n")


@trigger("brand-reference-type")
def _(runner, tmp):
    write(tmp / "brand" / "reference.doc", b"\xd0\xcf\x11\xe0")
    return brand(runner, tmp, "reference_doc: reference.doc\n")


@trigger("brand-date-format")
def _(runner, tmp):
    return brand(runner, tmp, "date_format: '{jour} {month_name} {year}'\n")


# -- sheets -------------------------------------------------------------------------
def batch(runner, tmp, *args) -> str:
    """`playbook batch ARGS` in this process, Markdown only."""
    result = runner.invoke(main, ["batch", *map(str, args), "-o", str(tmp / "out"), "-f", "md",
                                  "--jobs", "1"])
    assert "Traceback" not in result.output
    return result.output


def sheet(runner, tmp, text: str | bytes, name: str = "portfolio.csv") -> str:
    return batch(runner, tmp, write(tmp / name, text))


@trigger("sheet-too-large")
def _(runner, tmp):
    from playbook.sheets import MAX_SHEET_BYTES

    path = tmp / "portfolio.csv"
    with path.open("wb") as stream:  # sparse: nothing is written, the size is all it takes
        stream.truncate(MAX_SHEET_BYTES + 1)
    return batch(runner, tmp, path)


@trigger("sheet-windows-1252")
def _(runner, tmp):
    return sheet(runner, tmp, "company.name\nCaf\xe9 Lumi\xe8re\n".encode("cp1252"))


@trigger("sheet-nul")
def _(runner, tmp):
    return batch(runner, tmp, write(tmp / "p.csv", b"company.name\n\x00\x01binary"))


@trigger("sheet-csv")
def _(runner, tmp):
    return sheet(runner, tmp, 'company.name,company.market\nA,"b2c"x\n')


@trigger("sheet-workbook")
def _(runner, tmp):
    return sheet(runner, tmp, "company.name\nA\n", name="portfolio.xlsx")


@trigger("sheet-old-workbook")
def _(runner, tmp):
    return sheet(runner, tmp, b"\xd0\xcf\x11\xe0", name="portfolio.xls")


@trigger("sheet-empty")
def _(runner, tmp):
    return sheet(runner, tmp, "\n,,\n")


@trigger("sheet-section")
def _(runner, tmp):
    return sheet(runner, tmp, "company,goals\nA,sales\n")


@trigger("sheet-unknown-column")
def _(runner, tmp):
    return sheet(runner, tmp, "company.name,compnay.market\nA,b2c\n")


@trigger("sheet-duplicate-column")
def _(runner, tmp):
    return sheet(runner, tmp, "company.name,Company.Name\nA,A\n")


@trigger("sheet-no-name")
def _(runner, tmp):
    return sheet(runner, tmp, "company.market\nb2c\n")


@trigger("sheet-extra-cells")
def _(runner, tmp):
    return sheet(runner, tmp, "company.name,company.region\nA,Lyon, France\n")


@trigger("sheet-spreadsheet-error")
def _(runner, tmp):
    return sheet(runner, tmp, "company.name,company.employees\nA,#DIV/0!\n")


@trigger("sheet-row-gone")
def _(runner, tmp):
    import playbook.batch as engine

    sheet = write(tmp / "p.csv", "company.name\nAlpha\n")
    real, calls = engine.iter_sheet, []

    def edited_meanwhile(path, **options):
        calls.append(path)
        warnings, rows = real(path, **options)
        return (warnings, rows) if len(calls) == 1 else (warnings, iter(()))

    with mock.patch.object(engine, "iter_sheet", edited_meanwhile):
        return batch(runner, tmp, sheet)


@trigger("sheet-networks")
def _(runner, tmp):
    return sheet(runner, tmp, "company.name;presence.networks\nA;facebook:lots\n")


# -- batch runs -----------------------------------------------------------------------
def portfolio(tmp, count: int = 2) -> Path:
    folder = tmp / "clients"
    for index in range(count):
        write(folder / f"client-{index}.yaml", f"company: {{name: Client {index}}}\n")
    return folder


@trigger("batch-empty-folder")
def _(runner, tmp):
    (tmp / "clients").mkdir()
    write(tmp / "clients" / "portfolio.csv", "company.name\nA\n")  # sheets must be named
    return batch(runner, tmp, tmp / "clients")


@trigger("batch-no-match")
def _(runner, tmp):
    return batch(runner, tmp, str(tmp / "clients" / "*.yaml"))


@trigger("batch-file-type")
def _(runner, tmp):
    return batch(runner, tmp, write(tmp / "client.docx", b"PK"))


@trigger("batch-unexpected")
def _(runner, tmp):
    from playbook.build import Builder

    with mock.patch.object(Builder, "build", side_effect=RuntimeError("boom")):
        return batch(runner, tmp, portfolio(tmp, 1))


@trigger("batch-temporary")
def _(runner, tmp):
    """The temporary file holding the portfolio's list cannot be written (a full or
    read-only temporary folder): simulated where SQLite would fail."""
    import sqlite3

    def no_room(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    with mock.patch.object(sqlite3, "connect", no_room):
        return batch(runner, tmp, PROFILES / "amis-du-rail.yaml")


@trigger("batch-worker-lost")
def _(runner, tmp):
    """A worker that dies (as the kernel's out-of-memory killer would kill it)."""
    if not sys.platform.startswith("linux"):
        pytest.skip("workers inherit the patch only when forked (Linux)")
    from playbook.build import Builder

    parent, build = os.getpid(), Builder.build

    def die_in_a_worker(self, *args, **kwargs):
        if os.getpid() != parent:
            os._exit(137)
        return build(self, *args, **kwargs)

    with mock.patch.object(Builder, "build", die_in_a_worker):
        result = runner.invoke(main, ["batch", str(portfolio(tmp)), "-o", str(tmp / "out"),
                                      "-f", "md", "--jobs", "2"])
    return result.output


@trigger("batch-interrupted")
def _(runner, tmp):
    """Ctrl-C while the first profile renders: it is finished, the second never starts."""
    from playbook.build import Builder

    build = Builder.build

    def interrupt_then_build(self, *args, **kwargs):
        os.kill(os.getpid(), signal.SIGINT)  # the batch's handler only raises its stop flag
        return build(self, *args, **kwargs)

    with mock.patch.object(Builder, "build", interrupt_then_build):
        return batch(runner, tmp, portfolio(tmp))


@trigger("batch-summary")
def _(runner, tmp):
    return batch(runner, tmp, portfolio(tmp, 1))


@trigger("batch-stale")
def _(runner, tmp):
    folder = portfolio(tmp, 1)
    batch(runner, tmp, folder)
    later = os.stat(tmp / "out" / "client-0.md").st_mtime + 60
    os.utime(folder / "client-0.yaml", (later, later))  # the profile was edited since
    return batch(runner, tmp, folder)


@trigger("batch-fail-fast")
def _(runner, tmp):
    folder = portfolio(tmp)
    write(folder / "a-broken.yaml", "company: {}\n")
    return batch(runner, tmp, folder, "--fail-fast")


# -- templates and the sandbox ------------------------------------------------------------
def template(runner, tmp, source: str, name: str = "en/summary.md.j2") -> str:
    """Render the English sample with `source` as the user's template `name`."""
    write(tmp / "templates" / name, source)
    output = render(runner, tmp, STUDIO, "--templates", tmp / "templates")
    assert "Traceback" not in output
    return output


BIG = "{% set a = 'x' * 999999 %}"  # just under the limit of 1,000,000 characters


@trigger("template-syntax")
def _(runner, tmp):
    return template(runner, tmp, "## Summary\n{% if d.company.name %}\n")


@trigger("template-not-found")
def _(runner, tmp):
    return template(runner, tmp, "{% include 'en/sumary.md.j2' %}\n")


@trigger("template-variable")
def _(runner, tmp):
    return template(runner, tmp, "## Summary\n\nFor {{ d.compnay.name | md }}.\n")


@trigger("template-undefined")
def _(runner, tmp):
    return template(runner, tmp, "{{ d.platforms[99] }}\n")


@trigger("template-python")
def _(runner, tmp):
    return template(runner, tmp, "{{ 1 / 0 }}\n")


@trigger("template-name-refused")
def _(runner, tmp):
    return template(runner, tmp, "{% include '../secret.txt' %}\n")


@trigger("template-link-refused")
def _(runner, tmp):
    write(tmp / "secret.txt", "TOP SECRET")
    (tmp / "templates" / "en").mkdir(parents=True)
    try:
        (tmp / "templates" / "en" / "summary.md.j2").symlink_to(tmp / "secret.txt")
    except OSError:
        pytest.skip("no symbolic links here")
    return render(runner, tmp, STUDIO, "--templates", tmp / "templates")


@trigger("template-unsafe")
def _(runner, tmp):
    return template(runner, tmp, "{{ ''.__class__.__mro__ }}\n")


@trigger("template-value-size")
def _(runner, tmp):
    return template(runner, tmp, BIG + "{{ a + 'yy' }}\n")


@trigger("template-width")
def _(runner, tmp):
    return template(runner, tmp, "{{ 'x' | center(99999) }}\n")


@trigger("template-exponent")
def _(runner, tmp):
    return template(runner, tmp, "{{ 10 ** 1000 }}\n")


@trigger("template-repeat")
def _(runner, tmp):
    return template(runner, tmp, "{{ 'x' * 10000000 }}\n")


@trigger("template-text-block")
def _(runner, tmp):
    return template(runner, tmp, BIG + "{{ a ~ a }}\n")


@trigger("template-join")
def _(runner, tmp):
    return template(runner, tmp, BIG + "{{ [a, a] | join }}\n")


@trigger("template-replace")
def _(runner, tmp):
    return template(runner, tmp, BIG + "{{ a | replace('x', 'yy') }}\n")


@trigger("template-output")
def _(runner, tmp):
    return template(runner, tmp, BIG + "{% for i in range(6) %}{{ a }}{% endfor %}\n")


@trigger("template-time")
def _(runner, tmp):
    from playbook import render as render_module

    with mock.patch.object(render_module, "RENDER_SECONDS", 0.1):
        return template(runner, tmp, "{% for i in range(100000) %}{% for j in range(100000) %}"
                                     "{% endfor %}{% endfor %}\n")


@trigger("template-recursion")
def _(runner, tmp):
    return template(runner, tmp, "{% macro f() %}{{ f() }}{% endmacro %}\n{{ f() }}\n")


@trigger("template-memory")
def _(runner, tmp):
    """Running out of memory cannot be caused safely: a filter pretends to."""
    from playbook import render as render_module

    def exhausted(value):
        raise MemoryError

    with mock.patch.dict(render_module.PLAYBOOK_FILTERS, {"exhausted": exhausted}):
        return template(runner, tmp, "{{ d.company.name | exhausted }}\n")


@trigger("template-surrogate")
def _(runner, tmp):
    return template(runner, tmp, "{{ '\\ud800' }}\n")


# -- templates eject and check ------------------------------------------------------------
def eject(runner, folder: Path) -> str:
    return runner.invoke(main, ["templates", "eject", str(folder)]).output


def check(runner, folder: Path) -> str:
    """`templates check` against one profile (both languages), to stay fast."""
    result = runner.invoke(main, ["templates", "check", str(folder), "--profile", STUDIO])
    assert "Traceback" not in result.output
    return result.output


def staffing_texts(drop: str | None = None, rename: tuple[str, str] | None = None) -> str:
    """The built-in knowledge/staffing.yaml without the text `drop` (a leaf name) or
    with one placeholder renamed: what a consultant's edited copy may look like."""
    text = (ROOT / "templates" / "knowledge" / "staffing.yaml").read_text(encoding="utf-8")
    if drop:
        text = "".join(line for line in text.splitlines(keepends=True)
                       if not line.strip().startswith(f"{drop}:"))
    return text.replace(*rename) if rename else text


@trigger("eject-exists")
def _(runner, tmp):
    eject(runner, tmp / "my-brand")
    return eject(runner, tmp / "my-brand")


@trigger("eject-file")
def _(runner, tmp):
    return eject(runner, write(tmp / "my-brand", "x"))


@trigger("eject-create")
def _(runner, tmp):
    write(tmp / "my-brand", "x")
    return eject(runner, tmp / "my-brand" / "inside")


@trigger("check-folder")
def _(runner, tmp):
    return check(runner, tmp / "absent")


@trigger("check-missing-text")
def _(runner, tmp):
    write(tmp / "t" / "knowledge" / "staffing.yaml", staffing_texts(drop="information_flow"))
    return check(runner, tmp / "t")


@trigger("check-placeholder")
def _(runner, tmp):
    write(tmp / "t" / "knowledge" / "staffing.yaml",
          staffing_texts(rename=("{criteria}", "{criteres}")))
    return check(runner, tmp / "t")


@trigger("check-render")
def _(runner, tmp):
    write(tmp / "t" / "macros.md.j2", "{% macro %}\n")  # both languages import it
    return check(runner, tmp / "t")


@trigger("check-overrides-nothing")
def _(runner, tmp):
    write(tmp / "t" / "en" / "sumary.md.j2", "## Summary\n")
    return check(runner, tmp / "t")


@trigger("check-nested")
def _(runner, tmp):
    write(tmp / "t" / "my-templates" / "en" / "summary.md.j2", "## Summary\n")
    return check(runner, tmp / "t")


@trigger("check-yml")
def _(runner, tmp):
    write(tmp / "t" / "knowledge" / "staffing.yml", staffing_texts())
    return check(runner, tmp / "t")


@trigger("check-front-matter")
def _(runner, tmp):
    write(tmp / "t" / "en" / "playbook.md.j2", "# {{ doc.title }}\n")
    return check(runner, tmp / "t")


@trigger("check-unchanged")
def _(runner, tmp):
    eject(runner, tmp / "my-brand")
    return check(runner, tmp / "my-brand")


@trigger("check-summary")
def _(runner, tmp):
    write(tmp / "t" / "en" / "summary.md.j2", "{{ d.compnay }}\n")
    return check(runner, tmp / "t")


# -- knowledge files ---------------------------------------------------------------------
@trigger("knowledge-no-text")
def _(runner, tmp):
    write(tmp / "t" / "knowledge" / "staffing.yaml", staffing_texts(drop="information_flow"))
    return render(runner, tmp, STUDIO, "--templates", tmp / "t")


@trigger("knowledge-language")
def _(runner, tmp):
    write(tmp / "t" / "knowledge" / "extra.yaml", "greeting: {en: Hello}\n")
    return render(runner, tmp, STUDIO, "--templates", tmp / "t")


@trigger("knowledge-top-level")
def _(runner, tmp):
    write(tmp / "t" / "knowledge" / "extra.yaml", "- greeting\n")
    return render(runner, tmp, STUDIO, "--templates", tmp / "t")


@trigger("knowledge-platform")
def _(runner, tmp):
    write(tmp / "t" / "knowledge" / "platforms.yaml", "platforms:\n  mastodon: {status: active}\n")
    return render(runner, tmp, STUDIO, "--templates", tmp / "t")


SECTOR = ("sectors:\n  bakery:\n    name: {en: Bakery, fr: Boulangerie}\n"
          "    keywords: [bakery, boulangerie]\n"
          "    scenarios: {en: a, fr: a}\n    triggers: {en: b, fr: b}\n")


@trigger("knowledge-sector")
def _(runner, tmp):
    write(tmp / "t" / "knowledge" / "sectors.yaml", SECTOR)  # no pillars, kpi, compliance
    return render(runner, tmp, STUDIO, "--templates", tmp / "t")


@trigger("knowledge-sector-name")
def _(runner, tmp):
    write(tmp / "t" / "knowledge" / "sectors.yaml",
          SECTOR + "    pillars: {en: c, fr: c}\n    kpi: {en: d, fr: d}\n"
          "    compliance: {en: e, fr: e}\n    relay: {prodution: {en: f, fr: f}}\n")
    return render(runner, tmp, STUDIO, "--templates", tmp / "t")


@trigger("knowledge-region")
def _(runner, tmp):
    write(tmp / "t" / "knowledge" / "regions.yaml",
          "regions:\n  china:\n    name: {en: China, fr: Chine}\n    local_networks: [wechatt]\n"
          "    advice: {en: x, fr: x}\n")
    return render(runner, tmp, STUDIO, "--templates", tmp / "t")


# -- the reference .docx ------------------------------------------------------------------
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
RELS = '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
REL = '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/' \
      'relationships/{kind}" Target="{target}"/>'


def word_file(path: Path, styles: bool = False, document: str | None = None) -> Path:
    """A minimal .docx: a main document, and one Normal style when `styles`."""
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                               'content-types"/>',
        "_rels/.rels": RELS + REL.format(kind="officeDocument", target="word/document.xml")
        + "</Relationships>",
        "word/document.xml": document or f"<w:document {W}><w:body><w:p/></w:body></w:document>",
    }
    if styles:
        parts["word/_rels/document.xml.rels"] = RELS + REL.format(
            kind="styles", target="styles.xml") + "</Relationships>"
        parts["word/styles.xml"] = (f'<w:styles {W}><w:style w:type="paragraph" w:styleId="Normal">'
                                    '<w:name w:val="Normal"/></w:style></w:styles>')
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as package:
        for name, text in parts.items():
            package.writestr(name, text)
    return path


def with_reference(runner, tmp, reference: Path) -> str:
    return render(runner, tmp, STUDIO, "--reference-doc", reference, formats="docx")


@trigger("reference-open")
def _(runner, tmp):
    return with_reference(runner, tmp, write(tmp / "reference.docx", "not a zip"))


@trigger("reference-no-main")
def _(runner, tmp):
    path = tmp / "reference.docx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("notes.txt", "hello")
    return with_reference(runner, tmp, path)


@trigger("reference-xml")
def _(runner, tmp):
    return with_reference(runner, tmp, word_file(tmp / "reference.docx", document="<w:document"))


@trigger("reference-too-large")
def _(runner, tmp):
    from playbook import docx_reference

    with mock.patch.object(docx_reference, "MAX_REFERENCE_BYTES", 100):
        return with_reference(runner, tmp, word_file(tmp / "reference.docx", styles=True))


@trigger("reference-refused")
def _(runner, tmp):
    from playbook import docx_reference

    with mock.patch.object(docx_reference, "MAX_PART_BYTES", 100):
        return with_reference(runner, tmp, word_file(tmp / "reference.docx", styles=True))


@trigger("reference-dtd")
def _(runner, tmp):
    from test_hostile_reference import reference_with

    styles = b'<?xml version="1.0"?><!DOCTYPE w:styles [<!ENTITY xxe "x">]><w:styles ' \
        b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
    path = write(tmp / "reference.docx", reference_with({"word/styles.xml": styles}))
    return with_reference(runner, tmp, path)


@trigger("reference-outside")
def _(runner, tmp):
    from test_hostile_reference import reference_with

    path = write(tmp / "reference.docx", reference_with(
        {}, header_target="../../x.xml", header_part="../../x.xml"))
    return with_reference(runner, tmp, path)


@trigger("reference-missing-part")
def _(runner, tmp):
    from test_hostile_reference import reference_with

    rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/image" '
            'Target="media/gone.png"/></Relationships>')
    path = write(tmp / "reference.docx", reference_with(
        {"word/_rels/header1.xml.rels": rels.encode()}, header_target="header1.xml"))
    return with_reference(runner, tmp, path)


@trigger("reference-header-missing")
def _(runner, tmp):
    from test_hostile_reference import reference_with

    path = write(tmp / "reference.docx", reference_with(
        {"word/header1.xml": None}, header_target="header1.xml"))
    return with_reference(runner, tmp, path)


@trigger("reference-order")
def _(runner, tmp):
    from test_docx_valid import reference_out_of_order

    return with_reference(runner, tmp, reference_out_of_order(tmp))


@trigger("reference-no-styles")
def _(runner, tmp):
    return with_reference(runner, tmp, word_file(tmp / "reference.docx"))


@trigger("reference-style")
def _(runner, tmp):
    return with_reference(runner, tmp, word_file(tmp / "reference.docx", styles=True))


@trigger("reference-table-style")
def _(runner, tmp):
    path = write(tmp / "brand.yaml", "table_style: Grille Bleue\n")
    reference = word_file(tmp / "reference.docx", styles=True)
    return render(runner, tmp, STUDIO, "--brand", path, "--reference-doc", reference,
                  formats="docx")


# -- PDF ---------------------------------------------------------------------------------
def pdf(runner, tmp, find="soffice", run=None) -> str:
    """Render a PDF with LibreOffice's lookup and runs replaced: never starts it."""
    with mock.patch("playbook.pdf.find_soffice", return_value=find), \
            mock.patch("playbook.pdf.subprocess.run", **(run or {})):
        return render(runner, tmp, STUDIO, formats="pdf")


@trigger("pdf-missing")
def _(runner, tmp):
    return pdf(runner, tmp, find=None)


@trigger("pdf-no-writer")
def _(runner, tmp):
    program = tmp / "libreoffice" / "program"  # LibreOffice Calc alone: no swlo library
    program.mkdir(parents=True)
    for name in ("soffice", "soffice.bin", "libsclo.so"):
        write(program / name, "")
    return pdf(runner, tmp, find=str(program / "soffice"))


@trigger("pdf-timeout")
def _(runner, tmp):
    return pdf(runner, tmp, run={"side_effect": subprocess.TimeoutExpired("soffice", 180)})


@trigger("pdf-failed")
def _(runner, tmp):
    failed = subprocess.CompletedProcess("soffice", 1, b"", b"Error: source file could not be loaded\n")
    return pdf(runner, tmp, run={"return_value": failed})


@trigger("pdf-start")
def _(runner, tmp):
    return pdf(runner, tmp, run={"side_effect": PermissionError(errno.EACCES, "Permission denied")})


# -- outputs -------------------------------------------------------------------------
@trigger("exists")
def _(runner, tmp):
    args = ["render", BAKERY, "-o", str(tmp), "-f", "md"]
    runner.invoke(main, args)
    return runner.invoke(main, args).output


@trigger("folder-create", "not-folder")
def _(runner, tmp):
    blocker = tmp / "file"
    blocker.write_text("x")
    first = runner.invoke(main, ["render", BAKERY, "-o", str(blocker / "sub"), "-f", "md"])
    second = runner.invoke(main, ["render", BAKERY, "-o", str(blocker), "-f", "md"])
    return first.output + second.output


@trigger("write")
def _(runner, tmp):
    # A read-only folder does not stop root (CI): the rename fails instead, as on a full disk.
    with mock.patch("playbook.outputs.os.link",
                    side_effect=OSError(errno.ENOSPC, "No space left on device")):
        output = render(runner, tmp, BAKERY)
    assert [p.name for p in (tmp / "out").iterdir()] == []  # nothing half-written
    return output


# -- command line ------------------------------------------------------------------------
@trigger("format")
def _(runner, tmp):
    return runner.invoke(main, ["render", BAKERY, "-o", str(tmp), "-f", "docs"]).output


@trigger("shard")
def _(runner, tmp):
    return runner.invoke(main, ["batch", str(tmp), "--shard", "5/4"]).output


@trigger("option-path")
def _(runner, tmp):
    return runner.invoke(main, ["render", BAKERY, "--brand", str(tmp / "brand.yml")]).output


@trigger("option-is-folder")
def _(runner, tmp):
    (tmp / "my-brand").mkdir()
    return runner.invoke(main, ["render", BAKERY, "--brand", str(tmp / "my-brand")]).output


@trigger("option-date")
def _(runner, tmp):
    return runner.invoke(main, ["render", BAKERY, "--date", "22/11/2026"]).output


@trigger("report-suffix")
def _(runner, tmp):
    profile = write(tmp / "clients" / "a.yaml", Path(BAKERY).read_text(encoding="utf-8"))
    return runner.invoke(main, ["batch", str(profile), "-o", str(tmp / "out"),
                                "--report", str(profile)]).output


@trigger("report-not-ours")
def _(runner, tmp):
    other = write(tmp / "settings.json", '{"theme": "dark"}')
    return runner.invoke(main, ["batch", BAKERY, "-o", str(tmp / "out"),
                                "--report", str(other)]).output


@trigger("batch-raced")
def _(runner, tmp):
    import playbook.batch as engine

    encode = engine.encode_outputs

    def other_run_writes_first(builder, playbook, formats):
        data = encode(builder, playbook, formats)
        write(tmp / "out" / "boulangerie-muller.md", "the other run's")
        return data

    with mock.patch.object(engine, "encode_outputs", other_run_writes_first):
        return batch(runner, tmp, BAKERY)


@trigger("batch-recovered")
def _(runner, tmp):
    if not sys.platform.startswith("linux"):
        pytest.skip("workers inherit the patch only when forked (Linux)")
    from playbook.build import Builder

    parent, build, calls = os.getpid(), Builder.build, [0]

    def die_on_the_second(self, *args, **kwargs):
        calls[0] += 1
        if os.getpid() != parent and calls[0] == 2:
            os._exit(137)
        return build(self, *args, **kwargs)

    folder = tmp / "clients"
    for index in range(16):  # chunks of two: the first of a chunk is done, then the worker dies
        write(folder / f"c{index:02d}.yaml", Path(BAKERY).read_text(encoding="utf-8"))
    with mock.patch.object(Builder, "build", die_on_the_second):
        return runner.invoke(main, ["batch", str(folder), "-o", str(tmp / "out"), "-f", "md",
                                    "--jobs", "2"]).output


@trigger("option-choice")
def _(runner, tmp):
    return runner.invoke(main, ["render", BAKERY, "--lang", "de"]).output


@trigger("option-range")
def _(runner, tmp):
    return runner.invoke(main, ["batch", str(tmp), "--jobs", "0"]).output


@trigger("missing-argument")
def _(runner, tmp):
    return runner.invoke(main, ["render"]).output


@trigger("unknown-option")
def _(runner, tmp):
    return runner.invoke(main, ["render", BAKERY, "--colour"]).output


@trigger("unknown-command")
def _(runner, tmp):
    return runner.invoke(main, ["rendr", BAKERY]).output


# -- making a profile: init and questionnaire -------------------------------------
def _with_terminal():
    return mock.patch("playbook.cli_profile._has_terminal", lambda: True)


@trigger("init-no-terminal")
def _(runner, tmp):
    return runner.invoke(main, ["init", str(tmp / "p.yaml"), "--lang", "en"]).output


@trigger("init-resume-needs-profile")
def _(runner, tmp):
    return runner.invoke(main, ["init", "--resume"]).output


@trigger("init-exists")
def _(runner, tmp):
    path = write(tmp / "p.yaml", "company: {name: X}\n")
    with _with_terminal():
        return runner.invoke(main, ["init", str(path), "--lang", "en"]).output


@trigger("init-not-yaml")
def _(runner, tmp):
    with _with_terminal():
        return runner.invoke(main, ["init", str(tmp / "p.toml"), "--lang", "en"]).output


@trigger("init-no-folder")
def _(runner, tmp):
    with _with_terminal():
        return runner.invoke(main, ["init", str(tmp / "absent" / "p.yaml"), "--lang", "en"]).output


@trigger("init-resume-format")
def _(runner, tmp):
    path = write(tmp / "p.toml", "[company]\nname = 'X'\n")
    with _with_terminal():
        return runner.invoke(main, ["init", "--resume", str(path), "--lang", "en"]).output


@trigger("init-resume-read")
def _(runner, tmp):
    path = write(tmp / "p.yaml", "company: {name: X}\n")
    broken = mock.Mock()
    broken.return_value.load.side_effect = ValueError("an unusual construct")
    with _with_terminal(), mock.patch("playbook.interview._yaml", broken):
        return runner.invoke(main, ["init", "--resume", str(path), "--lang", "en"]).output


def _interrupted_interview(runner, tmp, replies):
    import contextlib

    from playbook.interview import Asker

    with contextlib.chdir(tmp), _with_terminal(), \
            mock.patch.object(Asker, "ask", side_effect=replies):
        return runner.invoke(main, ["init", "--lang", "en"]).output


@trigger("init-interrupted")
def _(runner, tmp):
    from playbook.interview import Reply

    return _interrupted_interview(runner, tmp, [Reply("answer", "Duval"), KeyboardInterrupt()])


@trigger("init-interrupted-nothing")
def _(runner, tmp):
    return _interrupted_interview(runner, tmp, [KeyboardInterrupt()])


@trigger("questionnaire-name")
def _(runner, tmp):
    return runner.invoke(main, ["questionnaire", "-o", str(tmp / "q.csv")]).output


@trigger("questionnaire-not")
def _(runner, tmp):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["company.name"])
    book.save(tmp / "clients.xlsx")
    return runner.invoke(main, ["validate", str(tmp / "clients.xlsx")]).output


@trigger("questionnaire-workbook")
def _(runner, tmp):
    return validate(runner, tmp, "q.xlsx", b"not a zip file")


def _questionnaire_with(runner, tmp, key: str, answer: str) -> str:
    import openpyxl

    path = tmp / "q.xlsx"
    runner.invoke(main, ["questionnaire", "-o", str(path)])
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    row = next(r for r in sheet.iter_rows(max_col=1) if r[0].value == "goals=sales")[0].row
    sheet.cell(row, 1, key)
    sheet.cell(row, 3, answer)
    book.save(path)
    return runner.invoke(main, ["validate", str(path)]).output


@trigger("questionnaire-key")
def _(runner, tmp):
    return _questionnaire_with(runner, tmp, "goals.sales", "Yes")


@trigger("questionnaire-option")
def _(runner, tmp):
    return _questionnaire_with(runner, tmp, "goals=sales", "perhaps")


def test_every_documented_error_has_a_trigger():
    assert CATALOGUE, "no rows found in docs/errors.md"
    assert sorted(set(CATALOGUE) - set(TRIGGERS)) == []
    assert sorted(set(TRIGGERS) - set(CATALOGUE)) == []


@pytest.mark.parametrize("error_id", sorted(CATALOGUE))
def test_documented_error_is_printed(runner, tmp_path, error_id):
    output = TRIGGERS[error_id](runner, tmp_path)
    assert pattern(CATALOGUE[error_id]).search(output), output
    assert "Traceback" not in output
