"""The install is reproducible: the README's commands and CI install from the locks,
and the locks pin every dependency that pyproject.toml declares, with hashes."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9._-]+)==(\S+?)(?: ;[^\\]*)? \\\n"
                 r"((?:\s+--hash=sha256:[0-9a-f]{64}(?: \\)?\n)+)", re.MULTILINE)


def locked(name: str) -> dict[str, str]:
    text = (ROOT / "requirements" / f"{name}.lock").read_text(encoding="utf-8")
    return {canonicalize_name(m.group(1)): m.group(2) for m in PIN.finditer(text)}


def declared(*extras: str) -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"])
    for extra in extras:
        wanted += project["optional-dependencies"][extra]
    build = [line for line in (ROOT / "requirements" / "build.in").read_text().splitlines()
             if line and not line.startswith("#")]
    return {canonicalize_name(Requirement(spec).name) for spec in wanted + build}


@pytest.mark.parametrize("lock, extras", [("app", ()), ("test", ("test",)),
                                          ("bench", ("test", "bench"))])
def test_each_lock_pins_every_declared_dependency_with_hashes(lock, extras):
    pins = locked(lock)
    missing = declared(*extras) - set(pins)
    assert not missing, f"requirements/{lock}.lock lacks {sorted(missing)}: " \
        "run python3 tools/relock.py --keep"


def test_the_locked_versions_satisfy_pyproject_bounds():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = locked("bench")
    for spec in project["dependencies"] + sum(project["optional-dependencies"].values(), []):
        requirement = Requirement(spec)
        version = pins[canonicalize_name(requirement.name)]
        assert requirement.specifier.contains(version, prereleases=True), (requirement, version)


def test_readme_and_ci_install_from_the_locks():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```sh\n(python3 -m venv .*)\n```", readme)
    assert len(commands) == 2, "the README gives exactly two commands to a newcomer"
    render, test = commands
    assert "-r requirements/app.lock" in render and "playbook render" in render
    assert "-r requirements/test.lock" in test and "pytest" in test
    assert all("--require-hashes" in command for command in commands)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci, ".ci/run runs the README's test command"
