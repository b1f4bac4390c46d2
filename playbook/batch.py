"""The batch engine: render a whole portfolio, in parallel, resumable and shardable.

`run_batch(sources, options)` is what `playbook batch` runs (and what a Python caller or
a benchmark calls):

1. `collect()` turns the sources (folders, globs, profile files, CSV/XLSX sheets) into
   sorted tasks and names every output once, for the whole portfolio, before any
   sharding or rendering: the same profile always gets the same name, on any shard.
2. `--shard K/N` keeps the tasks whose output name hashes to K (crc32, stable when
   profiles are added); tasks whose outputs all exist are skipped (never overwritten
   without --force), so a re-run continues where a stopped one ended.
3. The rest render in-process (`jobs=1`) or in a process pool whose workers each keep
   their Builders for the whole batch and take tasks in chunks. A failing profile is
   an entry with its error, never the end of the batch (unless fail_fast).
4. Ctrl-C or SIGTERM only raise a shared flag: workers finish the profile in hand
   and stop, so every output is whole (written atomically) and nothing is left half
   done; the pool is shut down, never killed.

No click here: the CLI (`cli_batch.py`) shows progress from `BatchEvents`.
"""

from __future__ import annotations

import glob
import json
import os
import re
import signal
import sys
import threading
import time
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .brand import BRAND_FILE, find_brand
from .build import Builder
from .commands import BuilderCache, RenderOptions, encode_outputs
from .errors import OutputError, PlaybookError, TemplateError
from .outputs import (
    FileExists,
    atomic_write,
    check_writable,
    create_new,
    ensure_folder,
    remove_stale_temporaries,
    unique_slugs,
)
from .sheets import SheetRow, is_sheet, load_row, read_sheet
from .sources import SUFFIXES as PROFILE_SUFFIXES

RENDERED, SKIPPED, FAILED, CANCELLED = "rendered", "skipped", "failed", "cancelled"
FAIL_FAST = -1  # the stop flag's value after --fail-fast; otherwise the signal's number
MAX_CHUNK = 16  # profiles per task sent to a worker: ~100 ms of work, smooth progress
OLD_WORKBOOKS = (".xls", ".ods", ".numbers")


# -- the portfolio ------------------------------------------------------------

@dataclass(frozen=True)
class Task:
    """One profile to render: where it comes from and the name of its outputs."""

    source: str  # a profile file, or a sheet row such as 'portfolio.csv:row 4'
    slug: str  # outputs are <output>/<slug>.<format>
    path: str  # the profile file or the sheet (brand lookup, staleness)
    row: SheetRow | None = None


@dataclass
class Entry:
    """What happened to one profile (or to a source that could not be read)."""

    source: str
    status: str  # rendered | skipped | failed | cancelled
    slug: str | None = None
    outputs: list[str] = field(default_factory=list)  # written, or found (skipped)
    kept: list[str] = field(default_factory=list)  # existed already, left untouched
    stale: bool | None = None  # skipped: an output is older than its profile
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    decisions: dict[str, Any] | None = None
    ms: float = 0.0


@dataclass
class Portfolio:
    tasks: list[Task]  # every profile, sorted, named
    failures: list[Entry]  # sources that could not be read at all
    warnings: list[str] = field(default_factory=list)


def _display(path: str) -> str:
    return os.path.normpath(path)


def _folder_profiles(folder: str) -> list[str]:
    """Profile files under a folder, recursively; brand files and hidden ones left out."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if (not name.startswith(".") and name != BRAND_FILE
                    and os.path.splitext(name)[1].lower() in PROFILE_SUFFIXES):
                found.append(os.path.join(root, name))
    return found


def _expand(argument: str) -> tuple[list[str], str | None]:
    """The files a SOURCE stands for, or an error message for it."""
    if os.path.isdir(argument):
        files = _folder_profiles(argument)
        return files, None if files else "no profile files (.yaml, .yml, .toml, .json) in this folder"
    if os.path.exists(argument):
        return [argument], None
    if glob.has_magic(argument):  # quoted globs reach us unexpanded
        files = []
        for match in sorted(glob.glob(argument, recursive=True)):
            if os.path.isdir(match):
                files += _folder_profiles(match)
            elif os.path.basename(match) != BRAND_FILE and (
                    os.path.splitext(match)[1].lower() in PROFILE_SUFFIXES or is_sheet(Path(match))):
                files.append(match)
        return files, None if files else "no profile or sheet matches this pattern"
    return [], "file not found; check the path"


def _file_error(path: str) -> str | None:
    suffix = os.path.splitext(path)[1].lower()
    if suffix in PROFILE_SUFFIXES or is_sheet(Path(path)):
        return None
    if suffix in OLD_WORKBOOKS:
        return f"{suffix} workbooks are not read; save the sheet as .xlsx or as CSV UTF-8"
    return (f"unknown file type '{suffix}'; give profiles (.yaml, .yml, .toml, .json), "
            "sheets (.csv, .xlsx) or folders")


def collect(sources: Sequence[str], exclude: Sequence[str | Path] = ()) -> Portfolio:
    """Every profile the sources name, sorted, each with its output name.

    Files are named after their stem, sheet rows after their company.name; clashes
    are numbered (-2, -3...) in sorted order, so names never depend on the shard.
    """
    failures: list[Entry] = []
    warnings: list[str] = []
    seen = {os.path.realpath(p) for p in exclude}
    found: list[tuple[tuple, Task, str]] = []  # (sort key, task without slug, name)
    for argument in sources:
        files, problem = _expand(str(argument))
        if problem:
            failures.append(Entry(_display(str(argument)), FAILED, error=f"{argument}: {problem}"))
        for path in files:
            real = os.path.realpath(path)
            if real in seen:
                continue  # named twice (a folder and a glob): rendered once
            seen.add(real)
            shown = _display(path)
            problem = _file_error(path)
            if problem:
                failures.append(Entry(shown, FAILED, error=f"{shown}: {problem}"))
            elif is_sheet(Path(path)):
                try:
                    sheet = read_sheet(Path(shown))
                except PlaybookError as exc:
                    failures.append(Entry(shown, FAILED, error=str(exc)))
                    continue
                warnings += sheet.warnings
                stem = Path(shown).stem
                for row in sheet.rows:
                    found.append(((shown, row.row), Task(row.source, "", shown, row),
                                  row.name or f"{stem} row {row.row}"))
            else:
                found.append(((shown, 0), Task(shown, "", shown), Path(shown).stem))
    found.sort(key=lambda item: item[0])
    slugs = unique_slugs(name for _, _, name in found)
    tasks = [Task(task.source, slug, task.path, task.row)
             for (_, task, _), slug in zip(found, slugs, strict=True)]
    return Portfolio(tasks, failures, warnings)


def shard_of(slug: str, count: int) -> int:
    """The shard (1..count) that renders an output name: a hash, so adding a profile
    never moves the others, and `crc32(name) % N + 1` tells where any output comes from."""
    return zlib.crc32(slug.encode("utf-8")) % count + 1


def select_shard(tasks: Sequence[Task], shard: tuple[int, int] | None) -> list[Task]:
    if shard is None:
        return list(tasks)
    index, count = shard
    return [task for task in tasks if shard_of(task.slug, count) == index]


# -- rendering one profile -------------------------------------------------------

def decisions_summary(report: dict[str, Any]) -> dict[str, Any]:
    """The decisions worth a glance in a batch report."""
    staffing = report["staffing"]
    return {"language": report["language"], "staffing_model": staffing["model"],
            "keep_control": staffing["keep_control"], "confidence": staffing["confidence"],
            "blog": report["blog"]["decision"],
            "platforms": [platform["id"] for platform in report["platforms"]]}


def _targets(options: RenderOptions, slug: str) -> dict[str, Path]:
    return {fmt: options.output / f"{slug}.{fmt}" for fmt in options.formats}


def _describe(source: str, exc: BaseException) -> str:
    message = str(exc)
    return message if message.startswith(source) else f"{source}: {message}"


class ProfileRenderer:
    """Renders tasks one after the other, with one Builder per brand in force (the
    brand may differ by folder). One lives in the CLI process with jobs=1, and one
    in each worker of the pool. It keeps nothing per profile, so memory stays flat."""

    def __init__(self, options: RenderOptions):
        self.options = options
        self.notes: list[str] = []
        self.builders = BuilderCache(options, self.notes.append)
        self.by_folder: dict[str, Builder | PlaybookError] = {}

    def builder_for(self, path: str) -> Builder:
        folder = os.path.dirname(os.path.abspath(path))
        if folder not in self.by_folder:
            try:
                self.by_folder[folder] = self.builders.for_profile(Path(path))
            except PlaybookError as exc:  # a bad brand.yaml fails its folder's profiles
                self.by_folder[folder] = exc
        found = self.by_folder[folder]
        if isinstance(found, PlaybookError):
            raise found
        return found

    def render(self, task: Task) -> Entry:
        started = time.perf_counter()
        self.notes.clear()
        entry = Entry(task.source, RENDERED, task.slug)
        try:
            builder = self.builder_for(task.path)
            if task.row is not None:
                loaded = load_row(task.row, builder.knowledge)
            else:
                loaded = builder.load(task.path)
            entry.warnings += [str(problem) for problem in loaded.warnings]
            playbook = builder.build(loaded, self.options.language, self.options.date)
            entry.decisions = decisions_summary(playbook.report)
            targets = _targets(self.options, task.slug)
            # an existing file may hold a consultant's edits: only --force replaces it
            missing = [fmt for fmt, path in targets.items() if self.options.force or not path.exists()]
            entry.kept = [str(targets[fmt]) for fmt in targets if fmt not in missing]
            data = encode_outputs(builder, playbook, missing)
            for fmt in missing:
                if self.options.force:
                    atomic_write(targets[fmt], data[fmt])
                else:
                    try:
                        create_new(targets[fmt], data[fmt])
                    except FileExists:
                        # another run (the same batch started twice) got there first:
                        # its outputs stay together, ours stop here
                        entry.kept += [str(targets[f]) for f in missing[missing.index(fmt):]]
                        entry.warnings.append(f"{task.source}: {targets[fmt]} was written "
                                              "meanwhile by another run; its outputs are kept")
                        if not entry.outputs:
                            entry.status = SKIPPED
                        break
                entry.outputs.append(str(targets[fmt]))
        except PlaybookError as exc:
            entry.status, entry.error = FAILED, _describe(task.source, exc)
        except Exception as exc:  # a bug: this profile fails, the batch goes on
            entry.status = FAILED
            entry.error = f"{task.source}: unexpected error ({type(exc).__name__}: {exc}); " \
                          "please report it with this profile"
        entry.warnings += self.notes
        entry.ms = round((time.perf_counter() - started) * 1000, 1)
        return entry


# -- the pool --------------------------------------------------------------------

_worker: ProfileRenderer | None = None
_worker_stop = None
_worker_fail_fast = False
_busy = False  # rendering a chunk: a SIGTERM waits for the profile in hand
_told_to_stop = False


def _raise_flag(stop, value: int) -> None:
    if not stop.value:
        stop.value = value


def _on_sigterm(signum, frame) -> None:
    """A worker's SIGTERM (from a scheduler, a dead parent, or the pool when another
    worker crashed): an idle worker has nothing in hand and leaves at once; a busy
    one finishes the profile in hand (no half-written file), hands its chunk back
    and leaves."""
    global _told_to_stop
    if not _busy:
        os._exit(128 + signum)
    _told_to_stop = True
    _raise_flag(_worker_stop, signum)


def _die_with_parent(parent: int) -> None:
    """Linux: a SIGTERM when the parent dies (kill -9), rather than an orphan waiting
    for work forever."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it died before we asked
        os._exit(128 + signal.SIGTERM)


def _init_worker(options: RenderOptions, stop, fail_fast: bool, parent: int) -> None:
    """Runs once in each worker: one renderer (and its Builders) for the whole batch."""
    global _worker, _worker_stop, _worker_fail_fast
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the terminal's Ctrl-C is the parent's
    _worker, _worker_stop, _worker_fail_fast = ProfileRenderer(options), stop, fail_fast
    signal.signal(signal.SIGTERM, _on_sigterm)
    _die_with_parent(parent)


def _render_chunk(tasks: list[Task]) -> list[Entry]:
    global _busy
    assert _worker is not None and _worker_stop is not None
    entries = []
    _busy = True
    try:
        for task in tasks:
            if _worker_stop.value:  # stopping: start nothing new
                entries.append(Entry(task.source, CANCELLED, task.slug))
                continue
            entry = _worker.render(task)
            if entry.status == FAILED and _worker_fail_fast:
                _raise_flag(_worker_stop, FAIL_FAST)
            entries.append(entry)
    finally:
        _busy = False
    if _told_to_stop:
        # leave once this chunk is handed back, even if the pool never says so (it
        # says nothing more once broken); a timer, since the result is sent after return
        timer = threading.Timer(1.0, os._exit, (128 + signal.SIGTERM,))
        timer.daemon = True
        timer.start()
    return entries


def _pool_context():
    import multiprocessing

    # fork shares the Builder the parent prepared (knowledge, templates, Word writer);
    # elsewhere fork is unsafe or missing, and each worker prepares its own
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    return multiprocessing.get_context(method)


def chunked(tasks: Sequence[Task], workers: int) -> list[list[Task]]:
    """Chunks small enough to balance the workers and show progress, big enough that
    the per-task cost of the pool (pickling, queues) is lost in the rendering."""
    size = max(1, min(MAX_CHUNK, len(tasks) // (workers * 4)))
    return [list(tasks[i:i + size]) for i in range(0, len(tasks), size)]


def default_jobs() -> int:
    """The CPUs this process may use (a Slurm allocation or a container's limit),
    which may be fewer than the machine has."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


# -- the batch ---------------------------------------------------------------------

@dataclass
class BatchOptions:
    render: RenderOptions = field(default_factory=RenderOptions)
    jobs: int | None = None  # None: every CPU this process may use
    shard: tuple[int, int] | None = None  # (K, N), 1-based
    fail_fast: bool = False
    report: Path | None = None


@dataclass
class BatchResult:
    entries: list[Entry]  # unreadable sources first, then profiles in sorted order
    seconds: float = 0.0
    interrupted: int = 0  # the signal that stopped the batch, 0 if none
    stopped_early: bool = False  # --fail-fast stopped it
    worker_lost: bool = False  # a worker process died (killed, out of memory)
    report_error: str | None = None  # the report could not be written

    def count(self, status: str) -> int:
        return sum(1 for entry in self.entries if entry.status == status)

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return 128 + self.interrupted  # 130 for SIGINT, 143 for SIGTERM, as shells do
        return 1 if self.count(FAILED) or self.worker_lost or self.report_error else 0


class BatchEvents:
    """What `run_batch` reports as it goes; the CLI shows progress from it."""

    def planned(self, total: int) -> None:
        """The number of entries the batch will have, known before rendering."""

    def warning(self, message: str) -> None:
        """Something was fixed or guessed on the way (a sheet's encoding...)."""

    def done(self, entry: Entry) -> None:
        """An entry is final: skipped or failed before rendering, rendered, failed."""


@contextmanager
def _stop_on_signals(stop, received: list[int]) -> Iterator[None]:
    """Ctrl-C and SIGTERM raise the stop flag instead of an exception in the middle
    of a write; the loops check it between profiles."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach only the main thread
        return

    def handler(signum, frame):
        received.append(signum)
        _raise_flag(stop, signum)

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _skipped(task: Task, options: RenderOptions) -> Entry | None:
    """An entry if every output exists already (without --force), else None."""
    if options.force:
        return None
    targets = list(_targets(options, task.slug).values())
    try:
        times = [path.stat().st_mtime for path in targets]
    except FileNotFoundError:
        return None
    try:
        stale = min(times) < os.stat(task.path).st_mtime
    except OSError:
        stale = None
    return Entry(task.source, SKIPPED, task.slug, outputs=[str(p) for p in targets], stale=stale)


def _prepare(options: RenderOptions, events: BatchEvents) -> None:
    """Load what every profile shares (brand, knowledge, compiled templates, Word
    writer) once, before the pool forks: a mistake there (a template's syntax, a bad
    reference .docx) is one error, not one per profile, and forked workers inherit it
    all ready."""
    import jinja2

    builder = Builder(find_brand(options.brand, None), options.templates, options.reference,
                      events.warning)
    renderer = builder.renderer
    for name in renderer.template_names():  # Jinja compiles on first use: now, once
        try:
            renderer.env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(exc.name or name, f"syntax error: {exc.message}", exc.lineno) from None
    if {"docx", "pdf"} & set(options.formats):
        builder.docx_writer  # noqa: B018 (prepared on first use: now, once)


def run_batch(sources: Sequence[str | Path], options: BatchOptions,
              events: BatchEvents | None = None) -> BatchResult:
    """Render every profile the sources name; see the module docstring.

    Raises PlaybookError only for what stops the whole batch before it starts (the
    output folder, --brand, --templates, --reference-doc); a profile's own problem
    is a failed entry.
    """
    events = events or BatchEvents()
    started = time.perf_counter()
    wall_start = time.time()
    render = options.render
    if options.report is not None:
        check_report_target(options.report)
    ensure_folder(render.output)
    check_writable(render.output)
    remove_stale_temporaries(render.output)
    if options.report is not None:
        ensure_folder(options.report.parent)
    portfolio = collect([str(s) for s in sources], [options.report] if options.report else [])
    for message in portfolio.warnings:
        events.warning(message)
    tasks = select_shard(portfolio.tasks, options.shard)
    events.planned(len(portfolio.failures) + len(tasks))
    entries: dict[str, Entry] = {}
    for entry in portfolio.failures:
        events.done(entry)
    todo = []
    for task in tasks:
        skipped = _skipped(task, render)
        if skipped:
            entries[task.source] = skipped
            events.done(skipped)
        else:
            todo.append(task)

    stop = _pool_context().RawValue("i", 0)  # shared memory: a signal handler may set it
    received: list[int] = []  # signals this process received
    lost = False
    if options.fail_fast and portfolio.failures:
        stop.value = FAIL_FAST
    with _stop_on_signals(stop, received):
        if todo and not stop.value:
            _prepare(render, events)
            jobs = options.jobs or default_jobs()
            chunks = chunked(todo, jobs)
            if jobs == 1 or len(chunks) == 1:
                _render_here(todo, options, stop, entries, events)
            else:
                lost = _render_in_pool(chunks, options, min(jobs, len(chunks)), stop, entries,
                                       events)
    for task in todo:
        if task.source not in entries:
            recovered = _finished_unreported(task, render, wall_start) if lost else None
            entries[task.source] = recovered or Entry(task.source, CANCELLED, task.slug)
            if recovered:
                events.done(recovered)
    # a worker's SIGTERM counts as an interruption, unless the pool sent it because
    # another worker crashed
    interrupted = received[0] if received else stop.value if stop.value > 0 and not lost else 0
    result = BatchResult(portfolio.failures + [entries[task.source] for task in tasks],
                         interrupted=interrupted, stopped_early=stop.value == FAIL_FAST,
                         worker_lost=lost and not interrupted)
    result.seconds = round(time.perf_counter() - started, 3)
    if options.report is not None:
        try:
            write_report(options.report, result, options)
        except PlaybookError as exc:
            result.report_error = str(exc)
    return result


def _finished_unreported(task: Task, options: RenderOptions, since: float) -> Entry | None:
    """After a worker died, its chunk's results are lost, but the profiles it finished
    before dying have every output on disk, written during this batch: they are
    rendered, not cancelled (the report would send someone to redo them)."""
    targets = list(_targets(options, task.slug).values())
    try:
        if all(path.stat().st_mtime >= since - 1 for path in targets):
            return Entry(task.source, RENDERED, task.slug, outputs=[str(p) for p in targets],
                         warnings=[f"{task.source}: rendered by a worker that stopped "
                                   "before reporting it; its outputs are complete"])
    except OSError:
        pass
    return None


def _render_here(todo: list[Task], options: BatchOptions, stop, entries: dict[str, Entry],
                 events: BatchEvents) -> None:
    renderer = ProfileRenderer(options.render)
    for task in todo:
        if stop.value:
            return
        entry = renderer.render(task)
        entries[task.source] = entry
        events.done(entry)
        if entry.status == FAILED and options.fail_fast:
            _raise_flag(stop, FAIL_FAST)


def _render_in_pool(chunks: list[list[Task]], options: BatchOptions, workers: int, stop,
                    entries: dict[str, Entry], events: BatchEvents) -> bool:
    """Render the chunks in worker processes; True if a worker died on the way."""
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(workers, mp_context=_pool_context(), initializer=_init_worker,
                               initargs=(options.render, stop, options.fail_fast, os.getpid()))
    lost = False

    def take(future) -> None:
        nonlocal lost
        if future.cancelled():
            return  # never started: its profiles stay "cancelled"
        try:
            results = future.result()
        except BrokenProcessPool:  # its profiles stay "cancelled"; outputs already written stay
            lost = True
            return
        for entry in results:
            if entry.status != CANCELLED:
                entries[entry.source] = entry
                events.done(entry)

    pending = set()
    try:
        pending = {pool.submit(_render_chunk, chunk) for chunk in chunks}
        while pending and not stop.value:
            # a timeout, so a signal's flag is seen within a tenth of a second
            done, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
            for future in done:
                take(future)
    finally:
        # stopping: queued chunks are cancelled, running ones end after the profile
        # in hand (the workers see the flag), then the workers exit on their own
        pool.shutdown(wait=True, cancel_futures=True)
    for future in pending:
        take(future)
    return lost


# -- the report ----------------------------------------------------------------------

def report_data(result: BatchResult, options: BatchOptions) -> dict[str, Any]:
    """The JSON report: the run's settings, counts, and one entry per profile."""
    from . import __version__

    render = options.render
    return {
        "playbook": __version__,
        "output": str(render.output),
        "formats": list(render.formats),
        "date": render.date.isoformat() if render.date else None,
        "shard": f"{options.shard[0]}/{options.shard[1]}" if options.shard else None,
        "seconds": result.seconds,
        "interrupted": bool(result.interrupted),
        "stopped_at_first_failure": result.stopped_early,
        "summary": {status: result.count(status)
                    for status in (RENDERED, SKIPPED, FAILED, CANCELLED)},
        "profiles": [asdict(entry) for entry in result.entries],
    }


REPORT_SUFFIX = ".json"
_REPORT_START = re.compile(rb'^\s*\{\s*"playbook"\s*:')


def is_report(path: Path) -> bool:
    """Whether `path` is a regular file holding a report an earlier batch wrote."""
    try:
        if not path.is_file() or path.is_symlink():
            return False
        with path.open("rb") as stream:
            return bool(_REPORT_START.match(stream.read(256)))
    except OSError:
        return False


def check_report_target(path: Path) -> None:
    """--report may only make a new .json file or replace an earlier report: a glob
    expanded by the shell (`--report clients/*.yaml`) or a playbook's name must never
    lose a file. Checked before anything is rendered."""
    if path.suffix.lower() != REPORT_SUFFIX:
        raise OutputError(f"{path}: the report is JSON; give --report a file name ending "
                          "in .json (if you wrote a pattern, the shell may have expanded it)")
    if (path.exists() or path.is_symlink()) and not is_report(path):
        raise OutputError(f"{path}: already exists and is not a batch report; --report never "
                          "replaces another file: give a new file name")


def write_report(path: Path, result: BatchResult, options: BatchOptions) -> None:
    text = json.dumps(report_data(result, options), ensure_ascii=False, indent=2) + "\n"
    check_report_target(path)  # again: the file may have changed during the batch
    if is_report(path):
        atomic_write(path, text.encode("utf-8"))
    else:
        create_new(path, text.encode("utf-8"))
