"""Re-resolve the dependency locks on purpose, then run the tests on the new lock.

    python3 tools/relock.py           # every dependency to its newest release
    python3 tools/relock.py --keep    # keep the current pins; only add or drop what
                                      # pyproject.toml's dependencies changed

The locks in requirements/ (app: what `playbook` needs; test: plus pytest and the test
tools; bench: plus pandoc and the benchmark tools) pin every package, with the hash of
every file PyPI serves for it, for every platform, resolved by uv for Python 3.11+.
The README's commands and .ci/run install from them, so an upstream release never
changes what a fresh clone installs; this command is how we move, and the tests tell us
at once whether the new versions still work. It prints the versions that changed and
exits with pytest's code; on failure, `git checkout requirements/` returns to the old
lock. Needs network (PyPI); works on Windows, macOS and Linux.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCKS = ROOT / "requirements"
WORK = ROOT / ".venv-relock"  # git-ignored; holds uv and the venv the tests run in
UV = "uv==0.13.9"  # the resolver itself is pinned too; raise it here on purpose
EXTRAS = {"app": [], "test": ["test"], "bench": ["test", "bench"]}
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^ ;\\]+)", re.MULTILINE)


def bin_path(env: Path, name: str) -> Path:
    folder = "Scripts" if sys.platform == "win32" else "bin"
    suffix = ".exe" if sys.platform == "win32" else ""
    return env / folder / f"{name}{suffix}"


def run(*args: object) -> int:
    print("+", " ".join(str(a) for a in args), flush=True)
    return subprocess.run([str(a) for a in args], cwd=ROOT).returncode


def check(*args: object) -> None:
    if run(*args) != 0:
        sys.exit(f"relock: failed: {args[0]}")


def pins(lock: Path) -> dict[str, str]:
    return dict(PIN.findall(lock.read_text(encoding="utf-8"))) if lock.exists() else {}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true",
                        help="keep current pins; only resolve what pyproject.toml changed")
    keep = parser.parse_args().keep

    tools = WORK / "tools"
    if not bin_path(tools, "uv").exists():
        venv.create(tools, with_pip=True)
        check(bin_path(tools, "python"), "-m", "pip", "install", "-q", UV)
    before = {name: pins(LOCKS / f"{name}.lock") for name in EXTRAS}
    for name, extras in EXTRAS.items():
        check(bin_path(tools, "uv"), "pip", "compile", "pyproject.toml", "requirements/build.in",
              *(f"--extra={extra}" for extra in extras), "--universal", "--generate-hashes",
              "--python-version=3.11", "--quiet", *([] if keep else ["--upgrade"]),
              "--custom-compile-command=python3 tools/relock.py",
              f"--output-file=requirements/{name}.lock")

    changed = {pkg: (before["bench"].get(pkg, "-"), version)
               for pkg, version in pins(LOCKS / "bench.lock").items()
               if before["bench"].get(pkg) != version}
    print("\nrelock: " + ("\n  ".join(["changed pins:"] + [f"{pkg} {old} -> {new}" for pkg, (old, new)
                                                           in sorted(changed.items())])
                          if changed else "no pin changed"))

    tests = WORK / "tests"  # a fresh venv, installed exactly as .ci/run installs
    shutil.rmtree(tests, ignore_errors=True)
    venv.create(tests, with_pip=True)
    python = bin_path(tests, "python")
    check(python, "-m", "pip", "install", "-q", "--require-hashes", "-r", "requirements/test.lock")
    check(python, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "-e", ".",
          "--config-settings", "editable_mode=compat")
    code = run(python, "-m", "pytest", "-p", "no:cacheprovider")
    print("\nrelock: " + ("the tests pass on the new lock; commit requirements/" if code == 0 else
                          "the tests FAIL on the new lock; fix them, or `git checkout requirements/`"))
    return code


if __name__ == "__main__":
    sys.exit(main())
