"""docs/errors.md lists every error the tool prints; each row is triggered here.

A row without a trigger, or a trigger whose output no longer matches the documented
message, fails: the catalogue cannot drift from the code.
"""

from __future__ import annotations

import json
import re
import stat
from collections.abc import Callable
from pathlib import Path

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


def validate(runner, tmp_path: Path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    result = runner.invoke(main, ["validate", str(path)])
    assert "Traceback" not in result.output
    return result.output


def profile(runner, tmp_path, text: str) -> str:
    return validate(runner, tmp_path, "p.yaml", text)


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


# -- outputs -------------------------------------------------------------------------
BAKERY = str(PROFILES / "boulangerie-muller.yaml")


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
    folder = tmp / "locked"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        result = runner.invoke(main, ["render", BAKERY, "-o", str(folder), "-f", "md"])
        if "cannot write" not in result.output:  # running as root: writes are allowed
            pytest.skip("the user can write to a read-only folder (root)")
        return result.output
    finally:
        folder.chmod(stat.S_IRWXU)


@trigger("format")
def _(runner, tmp):
    return runner.invoke(main, ["render", BAKERY, "-o", str(tmp), "-f", "docs"]).output


def test_every_documented_error_has_a_trigger():
    assert CATALOGUE, "no rows found in docs/errors.md"
    assert sorted(set(CATALOGUE) - set(TRIGGERS)) == []
    assert sorted(set(TRIGGERS) - set(CATALOGUE)) == []


@pytest.mark.parametrize("error_id", sorted(CATALOGUE))
def test_documented_error_is_printed(runner, tmp_path, error_id):
    output = TRIGGERS[error_id](runner, tmp_path)
    assert pattern(CATALOGUE[error_id]).search(output), output
    assert "Traceback" not in output
