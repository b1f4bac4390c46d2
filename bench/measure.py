"""Time one way of making Word playbooks, in a process of its own, on one core.

    python bench/measure.py APPROACH PROFILE_FOLDER COUNT PASSES

APPROACH is `ours` (Builder.build + Builder.docx), `naive` (bench/naive_docx.py),
`pandoc` or `pandoc-ref` (pandoc with --reference-doc templates/reference.docx). The
first COUNT profiles of the folder are built into Markdown first (not timed, except
for `ours`); each document is then timed PASSES times after a warm-up. Prints one JSON
object: per-document times (ms), peak memory and versions. `bench/run` starts one such
process per approach so that the peak memory of each is its own.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_DOC = ROOT / "templates" / "reference.docx"
WARM_UP = 5


def pin_to_one_core() -> int:
    """Run on a single core (children such as pandoc inherit it): 'one core' timings."""
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return core


def summary(samples_ns: list[int]) -> dict:
    ms = [s / 1e6 for s in samples_ns]
    return {"median_ms": statistics.median(ms), "p90_ms": statistics.quantiles(ms, n=10)[-1]
            if len(ms) >= 10 else max(ms), "min_ms": min(ms), "docs_per_s": len(ms) / (sum(ms) / 1000),
            "samples": len(ms)}


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: kilobytes


def heap_peak_mb(make, items) -> float:
    """Largest Python heap one document needs (tracemalloc), over a few documents."""
    tracemalloc.start()
    peak = 0
    for item in items:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        make(item)
        peak = max(peak, tracemalloc.get_traced_memory()[1] - before)
    tracemalloc.stop()
    return peak / 2**20


def loaded_profiles(folder: Path, count: int):
    from playbook.build import Builder

    builder = Builder()
    paths = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".json"))[:count]
    load_ns, loaded = [], []
    for path in paths:
        start = time.perf_counter_ns()
        loaded.append(builder.load(path))
        load_ns.append(time.perf_counter_ns() - start)
    return builder, loaded, load_ns


def measure_ours(folder: Path, count: int, passes: int) -> dict:
    builder, loaded, load_ns = loaded_profiles(folder, count)
    for profile in loaded[:WARM_UP]:  # compiles templates, prepares the Word writer
        builder.docx(builder.build(profile))
    md_ns, docx_ns, both_ns = [], [], []
    clock = time.perf_counter_ns
    for _ in range(passes):
        for profile in loaded:
            start = clock()
            playbook = builder.build(profile)
            middle = clock()
            builder.docx(playbook)
            end = clock()
            md_ns.append(middle - start)
            docx_ns.append(end - middle)
            both_ns.append(end - start)
    rss = peak_rss_mb()
    heap = heap_peak_mb(lambda p: builder.docx(builder.build(p)), loaded[:20])
    return {"md+docx": summary(both_ns), "md": summary(md_ns), "docx": summary(docx_ns),
            "load": summary(load_ns), "peak_rss_mb": rss, "heap_peak_mb": heap}


def markdowns(folder: Path, count: int) -> list[str]:
    builder, loaded, _ = loaded_profiles(folder, count)
    return [builder.build(profile).markdown for profile in loaded]


def measure_naive(folder: Path, count: int, passes: int) -> dict:
    import docx
    from naive_docx import markdown_to_docx

    texts = markdowns(folder, count)
    for text in texts[:WARM_UP]:
        markdown_to_docx(text)
    samples = []
    clock = time.perf_counter_ns
    for _ in range(passes):
        for text in texts:
            start = clock()
            markdown_to_docx(text)
            samples.append(clock() - start)
    rss = peak_rss_mb()
    heap = heap_peak_mb(markdown_to_docx, texts[:5])
    return {"docx": summary(samples), "peak_rss_mb": rss, "heap_peak_mb": heap,
            "python_docx": docx.__version__ if hasattr(docx, "__version__") else "?"}


def measure_pandoc(folder: Path, count: int, passes: int, reference: bool) -> dict:
    import pypandoc

    pandoc = pypandoc.get_pandoc_path()
    texts = markdowns(folder, count)
    extra = ["--reference-doc", str(REFERENCE_DOC)] if reference else []
    samples = []
    with tempfile.TemporaryDirectory(prefix="playbook-bench-pandoc-") as work:
        inputs = []
        for index, text in enumerate(texts):
            path = Path(work) / f"doc{index}.md"
            path.write_text(text, encoding="utf-8")
            inputs.append(path)
        output = str(Path(work) / "out.docx")

        def run(path: Path) -> None:
            subprocess.run([pandoc, "-f", "markdown", "-t", "docx", str(path), "-o", output,
                            *extra], check=True, capture_output=True)

        for path in inputs[:2]:
            run(path)
        for _ in range(passes):
            for path in inputs:
                start = time.perf_counter_ns()
                run(path)  # one process per document: that is what pandoc costs
                samples.append(time.perf_counter_ns() - start)
    return {"docx": summary(samples), "peak_rss_mb": peak_rss_mb(resource.RUSAGE_CHILDREN),
            "heap_peak_mb": None, "pandoc": str(pypandoc.get_pandoc_version())}


def main(argv: list[str]) -> int:
    approach, folder, count, passes = argv[0], Path(argv[1]), int(argv[2]), int(argv[3])
    core = pin_to_one_core()
    if approach == "ours":
        result = measure_ours(folder, count, passes)
    elif approach == "naive":
        result = measure_naive(folder, count, passes)
    elif approach in ("pandoc", "pandoc-ref"):
        result = measure_pandoc(folder, count, passes, reference=approach == "pandoc-ref")
    else:
        raise SystemExit(f"unknown approach {approach!r}")
    result.update({"approach": approach, "core": core, "documents": count, "passes": passes})
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
