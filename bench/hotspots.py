"""Where one playbook's time goes: Builder.build and Builder.docx, stage by stage.

    .venv/bin/python bench/hotspots.py [--profiles N] [--cprofile]

Times each stage of the single-document path with perf_counter (no profiler
overhead, so the shares are real), on one core, over N generated profiles after a
warm-up, and prints the median per stage. The stages call the same functions
Builder.build and Builder.docx call, in the same order (see playbook/build.py and
playbook/docx_writer.py); they reach into private names, so this tool follows the
code when it changes. --cprofile adds the functions with the most own time (cProfile
inflates small, frequent calls: read its shares with that in mind).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def stages(builder, loaded) -> dict[str, float]:
    """One document, stage by stage (ms), following Builder.build then Builder.docx."""
    from playbook import mdtree
    from playbook.docx_writer import _Body
    from playbook.mdtext import french_spacing
    from playbook.render import MAIN_TEMPLATE
    from playbook.report import build_report
    from playbook.rules import decide

    clock = time.perf_counter_ns
    out = {}
    t0 = clock()
    language = builder.language_of(loaded)
    day = builder.date_of(loaded)
    decisions = decide(loaded.profile, builder.knowledge, day)
    t1 = clock()
    build_report(loaded.profile, decisions, builder.knowledge, loaded.source, language, day)
    t2 = clock()
    report = builder.report(loaded)  # the real one (adds the branded date) for the context
    context = builder.context(loaded, report)
    t3 = clock()
    markdown = builder.renderer.render(f"{report['language']}/{MAIN_TEMPLATE}", context)
    t4 = clock()
    if report["language"] == "fr":
        markdown = french_spacing(markdown)
    t5 = clock()
    writer = builder.docx_writer
    document = mdtree.parse(markdown)
    t6 = clock()
    _Body(writer, document)
    t7 = clock()
    writer.render(mdtree.parse(markdown))
    t8 = clock()
    out["build: rules (decide)"] = t1 - t0
    out["build: report in words (build_report)"] = t2 - t1
    out["build: context (+ report again, not in build)"] = t3 - t2
    out["build: Jinja2 render"] = t4 - t3
    if report["language"] == "fr":  # a median over French playbooks only
        out["build: French spacing (fr playbooks only)"] = t5 - t4
    out["docx: parse Markdown (mdtree: pulldown-cmark events -> tree)"] = t6 - t5
    out["docx: WordprocessingML body (_Body)"] = t7 - t6
    # render() does parse + body + the rest: the rest is what it costs beyond them
    out["docx: rest of render (core, header, numbering, deflate, zip)"] = \
        (t8 - t7) - (t6 - t5) - (t7 - t6)
    return {k: v / 1e6 for k, v in out.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profiles", type=int, default=200)
    parser.add_argument("--cprofile", action="store_true")
    args = parser.parse_args(argv)
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    sys.path.insert(0, str(BENCH))
    from playbook.build import Builder
    from profiles import generate

    with tempfile.TemporaryDirectory(prefix="playbook-hotspots-") as work:
        paths = generate(args.profiles, Path(work))
        builder = Builder()
        loaded = [builder.load(p) for p in paths]
    for profile in loaded[:5]:
        builder.docx(builder.build(profile))
    rows: dict[str, list[float]] = {}
    totals_build, totals_docx = [], []
    for profile in loaded:
        for key, value in stages(builder, profile).items():
            rows.setdefault(key, []).append(value)
        start = time.perf_counter_ns()
        playbook = builder.build(profile)
        middle = time.perf_counter_ns()
        builder.docx(playbook)
        end = time.perf_counter_ns()
        totals_build.append((middle - start) / 1e6)
        totals_docx.append((end - middle) / 1e6)
    total = statistics.median(totals_build) + statistics.median(totals_docx)
    print(f"Median per stage over {len(loaded)} generated profiles, one core "
          f"(Builder.build {statistics.median(totals_build):.2f} ms + Builder.docx "
          f"{statistics.median(totals_docx):.2f} ms = {total:.2f} ms):\n")
    print("| stage | median ms | share of build + docx |")
    print("|---|---|---|")
    for key, values in rows.items():
        median = statistics.median(values)
        share = "" if "again" in key else f"{100 * median / total:.0f}%"
        if "fr playbooks" in key:
            share += f" of a French one ({len(values)} French playbooks)"
        print(f"| {key} | {median:.2f} | {share} |")
    if args.cprofile:
        playbooks = [builder.build(p) for p in loaded]
        for label, work in (("Builder.build", lambda: [builder.build(p) for p in loaded]),
                            ("Builder.docx", lambda: [builder.docx(p) for p in playbooks])):
            profiler = cProfile.Profile()
            profiler.enable()
            work()
            profiler.disable()
            text = io.StringIO()
            pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(15)
            print(f"\n### cProfile, {label}, by own time\n\n```\n"
                  + text.getvalue().split("\n\n", 2)[-1].strip() + "\n```")
    return 0


if __name__ == "__main__":
    sys.exit(main())
