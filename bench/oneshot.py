"""One-shot figures alone (the start-up part of bench/run), for quick before/after checks.

    .venv/bin/python bench/oneshot.py [--runs N]

Prints the median CPU ms of `python -c "import click, jinja2, yaml"`, of one
`playbook render` with a cold and a warm cache, and the wall ms of `playbook --help`
and `explain --json`, measured exactly as bench/run measures them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchmark  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    profile = benchmark.ROOT / "profiles" / "boulangerie-muller.yaml"
    with tempfile.TemporaryDirectory() as work:
        shot = benchmark.one_shot(profile, Path(work), args.runs)
    base = shot["import click, jinja2, yaml"]
    for name, value in shot.items():
        print(f"{name:32s} {value:7.1f} ms CPU  {value / base:5.2f}×")
    for label, command in (("--help", [benchmark.PLAYBOOK, "--help"]),
                           ("explain --json", [benchmark.PLAYBOOK, "explain",
                                               benchmark.EXPLAIN_PROFILE, "--json"])):
        wall = benchmark.wall_ms(command, args.runs)
        print(f"playbook {label:23s} {wall['median_ms']:7.1f} ms wall (min {wall['min_ms']:.1f})")
    print(f"(medians of {args.runs} runs; {statistics.__name__} median)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
