"""Peak memory and time of playbook on issue 14's hostile inputs (Linux).

    .venv/bin/python bench/hostile_memory.py [--checkout DIR] [--rows N[,N...]] [--cap GB]
                                             [--only-batch]

Runs `python -m playbook` from DIR (default: this checkout; give another tree, e.g.
an older commit extracted with `git archive`, to compare) on:

- a reference .docx holding an unused 2 GiB part, and one whose linked theme expands
  to 1 GiB (item 2);
- a user template that fills the memory (item 3);
- a profile that is a link to /dev/zero, and one that is a named pipe (item 4);
- a batch of an N-row sheet with --jobs 2 (item 12), where the figure is the parent
  process's own peak (VmHWM), not its workers'. `--rows 2000,10000,30000` runs it once
  per size (its peak must stay flat); `--only-batch` leaves the other cases out;
  `--cheap` puts a broken brand.yaml beside the sheet, so every row fails at once in
  the workers: the parent still names, reads, hands out and reports every row, and
  100,000 rows take a minute or two instead of an hour on 2 busy cores.

Each command runs in a child under an address-space cap (--cap, default 5 GB) so an
unbounded run stops there instead of taking the machine, and a 30 s timeout (a hang). Prints
one Markdown table: peak resident memory, wall time, exit code, first error line.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROFILE = "profiles/studio-nomad.yaml"
TIMEOUT = 30
PEAK_SCRIPT = """import atexit, runpy, sys
def peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            sys.stderr.write("PARENT_PEAK_KB " + line.split()[1] + "\\n")
atexit.register(peak)
sys.argv = ["playbook"] + sys.argv[1:]
runpy.run_module("playbook", run_name="__main__")
"""


def bomb(path: Path, name: str, size: int, linked: bool) -> None:
    source = zipfile.ZipFile(ROOT / "templates" / "reference.docx")
    parts = {n: source.read(n) for n in source.namelist()}
    if linked:
        parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
            b"</Relationships>", b'<Relationship Id="rIdT" Type="http://schemas.openxmlformats.'
            b'org/officeDocument/2006/relationships/theme" Target="theme/theme1.xml"/>'
            b"</Relationships>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for part, data in parts.items():
            package.writestr(part, data)
        with package.open(name, "w", force_zip64=True) as stream:
            stream.write(b'<?xml version="1.0"?><a:theme xmlns:a="urn:x"><!--' if linked else b"")
            block = b" " * (1 << 20)
            for _ in range(size >> 20):
                stream.write(block)
            stream.write(b"--></a:theme>" if linked else b"")


def sheet(path: Path, rows: int) -> None:
    lines = list(csv.reader((ROOT / "examples" / "portfolio.csv").open(encoding="utf-8")))
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(lines[0])
        for index in range(rows):
            row = list(lines[1 + index % (len(lines) - 1)])
            row[0] = f"{row[0]} {index}"
            writer.writerow(row)


def run(checkout: Path, args: list[str], cap: int, parent_only: bool = False,
        timeout: float = TIMEOUT) -> dict:
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    command = [sys.executable, "-c", PEAK_SCRIPT, *args]
    env = dict(os.environ, PYTHONPATH=str(checkout))
    started = time.monotonic()
    with tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, cwd=checkout, env=env, stdout=subprocess.DEVNULL,
                                   stderr=err, preexec_fn=limit)
        timer = threading.Timer(timeout, process.kill)  # a FIFO may hang it
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)  # the child's own rusage
        timer.cancel()
        process.returncode = code = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    seconds = time.monotonic() - started
    peak = usage.ru_maxrss * 1024
    own = [line for line in text.splitlines() if line.startswith("PARENT_PEAK_KB")]
    if parent_only and own:
        peak = int(own[-1].split()[1]) * 1024
    first = next((line for line in text.splitlines() if "error" in line.lower()
                  or "Error" in line), "")
    return {"peak": peak, "seconds": seconds, "code": "killed (hung)" if seconds >= timeout else code,
            "line": first[:110]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkout", type=Path, default=ROOT)
    parser.add_argument("--rows", default="10000", help="sheet rows, or a comma-separated list")
    parser.add_argument("--only-batch", action="store_true", help="only the batch case (item 12)")
    parser.add_argument("--cheap", action="store_true",
                        help="batch rows fail at once (broken brand.yaml): the parent's work only")
    parser.add_argument("--cap", type=float, default=5.0, help="address-space cap, GB")
    args = parser.parse_args()
    cap = int(args.cap * 1e9)
    sizes = [int(size) for size in args.rows.split(",")]
    work = Path(tempfile.mkdtemp(prefix="playbook-hostile-"))
    cases = []
    if not args.only_batch:
        bomb(work / "body-bomb.docx", "word/media/image1.png", 2 << 30, linked=False)
        bomb(work / "theme-bomb.docx", "word/theme/theme1.xml", 1 << 30, linked=True)
        (work / "tpl" / "en").mkdir(parents=True)
        (work / "tpl" / "en" / "playbook.md.j2").write_text(
            "{{ ('a\\n' * 499999)|indent(9999)|length }}\n", encoding="utf-8")
        (work / "z.yaml").symlink_to("/dev/zero")
        os.mkfifo(work / "f.yaml")
        cases = [
            ("2: unused 2 GiB part in the reference", ["render", PROFILE, "--reference-doc",
             str(work / "body-bomb.docx"), "-o", str(work / "o1"), "-f", "docx"], False),
            ("2: linked theme expanding to 1 GiB", ["render", PROFILE, "--reference-doc",
             str(work / "theme-bomb.docx"), "-o", str(work / "o2"), "-f", "docx"], False),
            ("3: template indent(9999) of 500,000 lines", ["render", PROFILE, "--templates",
             str(work / "tpl"), "-o", str(work / "o3"), "-f", "md"], False),
            ("4: profile linked to /dev/zero", ["render", str(work / "z.yaml"), "-o",
             str(work / "o4")], False),
            ("4: profile that is a FIFO", ["validate", str(work / "f.yaml")], False),
        ]
    if args.cheap:
        (work / "brand.yaml").write_text("colors: [", encoding="utf-8")
    for rows in sizes:
        sheet(work / f"portfolio-{rows}.csv", rows)
        cases.append((f"12: batch of {rows:,} sheet rows, parent", [
            "batch", str(work / f"portfolio-{rows}.csv"), "-o", str(work / f"o5-{rows}"),
            "-f", "md", "--jobs", "2", "--report", str(work / f"r-{rows}.json"), "-q"], True))
    print(f"checkout {args.checkout}, cap {args.cap:g} GB\n")
    print("| case | peak memory | seconds | exit | first error line |\n|---|---|---|---|---|")
    for title, command, parent in cases:
        found = run(args.checkout, command, cap, parent, 3600 if parent else TIMEOUT)
        print(f"| {title} | {found['peak'] / 2**20:,.0f} MiB | {found['seconds']:.1f} | "
              f"{found['code']} | {found['line']} |", flush=True)
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
