"""Issue 14, item 3: a user's template cannot take the machine's memory. The ceiling
is the operating system's (RLIMIT_AS), so it is measured in a process of its own."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import PROFILES, ROOT

from playbook import memlimit

SAFETY_CAP = 3 * 1024**3  # so that, without the ceiling, the test fails instead of the machine
PEAK_ALLOWED = 1024**3


def run_measured(args: list[str], cwd: Path) -> tuple[int, str, int]:
    """Exit code, stderr and peak resident memory (bytes) of one command."""
    import resource

    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (SAFETY_CAP, SAFETY_CAP))

    with tempfile.TemporaryFile() as err:
        process = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err,
                                   preexec_fn=cap)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        return process.returncode, err.read().decode("utf-8", "replace"), usage.ru_maxrss * 1024


@pytest.mark.skipif(not memlimit.enforced(), reason="RLIMIT_AS is enforced on Linux only")
@pytest.mark.parametrize("template", [
    "{{ ('a\\n' * 499999)|indent(9999)|length }}",
    "{% set ns = namespace(l=[]) %}{% for i in range(100000) %}"
    "{% set ns.l = ns.l + ['x' * 999999] %}{% endfor %}{{ ns.l|length }}",
], ids=["indent", "growing-list"])
@pytest.mark.parametrize("command", ["render", "batch"])
def test_a_template_filling_the_memory_is_stopped_by_the_os(tmp_path, template, command):
    (tmp_path / "tpl" / "en").mkdir(parents=True)
    (tmp_path / "tpl" / "en" / "playbook.md.j2").write_text(template, encoding="utf-8")
    args = [sys.executable, "-m", "playbook", command, str(PROFILES / "studio-nomad.yaml"),
            "--templates", str(tmp_path / "tpl"), "-o", str(tmp_path / "out"), "-f", "md"]
    if command == "batch":
        args += ["--jobs", "1"]
    code, stderr, peak = run_measured(args, ROOT)
    assert code == 1, stderr
    assert "refused: the template uses too much memory" in stderr
    assert "Traceback" not in stderr
    assert peak < PEAK_ALLOWED, f"peak {peak / 2**20:.0f} MiB"


@pytest.mark.skipif(not memlimit.enforced(), reason="RLIMIT_AS is enforced on Linux only")
def test_the_ceiling_is_lifted_after_the_template(tmp_path):
    import resource

    before = resource.getrlimit(resource.RLIMIT_AS)
    with pytest.raises(MemoryError), memlimit.memory_ceiling(64 * 1024**2):
        bytearray(256 * 1024**2)
    assert resource.getrlimit(resource.RLIMIT_AS) == before
    assert len(bytearray(256 * 1024**2)) == 256 * 1024**2  # allowed again
