"""The batch engine: render a whole portfolio, in parallel, resumable and shardable.

`run_batch(sources, options)` is what `playbook batch` runs (and what a Python caller or
a benchmark calls):

1. `collect()` turns the sources (folders, globs, profile files, CSV/XLSX sheets) into
   sorted tasks and names every output once, for the whole portfolio, before any
   rendering: the same profile always gets the same name, on any shard. The tasks
   and the names taken live in a temporary SQLite file (`TaskStore`), not in memory.
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
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from .brand import BRAND_FILE, find_brand
from .build import Builder
from .commands import BuilderCache, RenderOptions, encode_outputs
from .errors import InputError, OutputError, PlaybookError, Problem, TemplateError
from .outputs import (
    FileExists,
    atomic_write,
    check_writable,
    create_new,
    describe_os_error,
    ensure_folder,
    open_temporary,
    place,
    remove_stale_temporaries,
    slugify,
)
from .questionnaire import is_questionnaire
from .sheets import SheetRow, is_sheet, iter_sheet, load_row
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
    row: SheetRow | None = None  # a sheet row's data, read again just before it renders
    row_number: int = 0  # a sheet row's number (the header is row 1); 0 for a file


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


class TaskStore:
    """The portfolio's tasks in sorted order, and the output names taken so far, kept
    in a private temporary SQLite database (on disk past SQLite's small page cache, and
    deleted when closed): naming 100,000 rows takes no more memory than naming 100.

    Names follow `unique_slugs`: a clash is numbered (-2, -3...) in sorted order. Only
    the tasks of this shard are stored (numbered 0, 1, 2...), but every task is named,
    so a profile gets the same name on every shard."""

    def __init__(self, shard: tuple[int, int] | None = None):
        import sqlite3

        self.shard = shard
        self.count = 0
        with self._guard():
            self.db = sqlite3.connect("", isolation_level=None)  # "": temporary, on disk
            self.db.execute("PRAGMA cache_size = -1024")  # KiB: what does not fit is on disk
            self.db.execute("CREATE TABLE task (id INTEGER PRIMARY KEY, source TEXT,"
                            " slug TEXT, path TEXT, row INTEGER)")
            self.db.execute("CREATE TABLE taken (slug TEXT PRIMARY KEY) WITHOUT ROWID")
            self.db.execute("BEGIN")  # never committed: nothing is meant to last

    @staticmethod
    @contextmanager
    def _guard() -> Iterator[None]:
        """SQLite's errors (a full or unwritable temporary folder) as one clear error."""
        import sqlite3

        try:
            yield
        except sqlite3.Error as exc:
            raise OutputError(f"cannot keep the batch's list of profiles in a temporary "
                              f"file ({exc}); set TMPDIR to a folder with free space") from None

    def add(self, source: str, name: str, path: str, row: int = 0) -> None:
        """Name a task (after every task before it in sorted order) and keep it if it
        falls in this shard."""
        base = slugify(name)
        slug, number = base, 2
        with self._guard():
            while not self.db.execute("INSERT OR IGNORE INTO taken VALUES (?)",
                                      (slug,)).rowcount:
                slug, number = f"{base}-{number}", number + 1  # taken already
            if self.shard is None or shard_of(slug, self.shard[1]) == self.shard[0]:
                self.db.execute("INSERT INTO task VALUES (?, ?, ?, ?, ?)",
                                (self.count, source, slug, path, row))
                self.count += 1

    @contextmanager
    def all_or_nothing(self) -> Iterator[None]:
        """The tasks added inside are kept only if no InputError interrupts them
        (a sheet that turns out unreadable halfway names none of its rows)."""
        count = self.count
        with self._guard():
            self.db.execute("SAVEPOINT source")
        try:
            yield
        except InputError:
            with self._guard():
                self.db.execute("ROLLBACK TO source")
            self.count = count
            raise
        finally:
            with self._guard():
                self.db.execute("RELEASE source")

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index: int) -> Task:
        with self._guard():
            found = self.db.execute("SELECT source, slug, path, row FROM task WHERE id = ?",
                                    (index,)).fetchone()
        if found is None:
            raise IndexError(index)
        return self._task(found)

    def __iter__(self) -> Iterator[Task]:
        for index in range(self.count):
            yield self[index]

    @staticmethod
    def _task(found: tuple) -> Task:
        source, slug, path, row = found
        return Task(source, slug, path, None, row)

    def close(self) -> None:
        self.db.close()


@dataclass
class Portfolio:
    tasks: TaskStore  # the profiles (of the shard asked for), sorted, named
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


def collect(sources: Sequence[str], exclude: Sequence[str | Path] = (),
            shard: tuple[int, int] | None = None) -> Portfolio:
    """Every profile the sources name (or those of `shard`), sorted, each with its
    output name.

    Files are named after their stem, sheet rows after their company.name; clashes
    are numbered (-2, -3...) in sorted order, so names never depend on the shard.
    Only the list of files is held: a sheet's rows are read a row at a time, named
    and stored in the TaskStore, which keeps them on disk.
    """
    failures: list[Entry] = []
    warnings: list[str] = []
    seen = {os.path.realpath(p) for p in exclude}
    files: list[str] = []  # every file to read, as shown
    for argument in sources:
        found, problem = _expand(str(argument))
        if problem:
            failures.append(Entry(_display(str(argument)), FAILED, error=f"{argument}: {problem}"))
        for path in found:
            real = os.path.realpath(path)
            if real in seen:
                continue  # named twice (a folder and a glob): rendered once
            seen.add(real)
            shown = _display(path)
            problem = _file_error(path)
            if problem:
                failures.append(Entry(shown, FAILED, error=f"{shown}: {problem}"))
            else:
                files.append(shown)
    files.sort()
    store = TaskStore(shard)
    for shown in files:
        if not (is_sheet(Path(shown)) and not is_questionnaire(Path(shown))):
            store.add(shown, Path(shown).stem, shown)  # a questionnaire is one profile
            continue
        # only each row's number and name are read now: the rows are read again, a
        # chunk at a time, when they render
        stem = Path(shown).stem
        try:
            with store.all_or_nothing():
                sheet_warnings, sheet_rows = iter_sheet(Path(shown), names_only=True)
                for row in sheet_rows:
                    store.add(row.source, row.name or f"{stem} row {row.row}", shown, row.row)
        except InputError as exc:
            failures.append(Entry(shown, FAILED, error=str(exc)))
            continue
        warnings += sheet_warnings
    return Portfolio(store, failures, warnings)


def shard_of(slug: str, count: int) -> int:
    """The shard (1..count) that renders an output name: a hash, so adding a profile
    never moves the others, and `crc32(name) % N + 1` tells where any output comes from."""
    return zlib.crc32(slug.encode("utf-8")) % count + 1


def select_shard(tasks: Iterable[Task], shard: tuple[int, int] | None) -> list[Task]:
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
            # without its last traceback: each raise would add to it, and its frames
            # would keep every failed profile's task alive
            raise found.with_traceback(None)
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


def chunk_size(count: int, workers: int) -> int:
    """Chunks small enough to balance the workers and show progress, big enough that
    the per-task cost of the pool (pickling, queues) is lost in the rendering."""
    return max(1, min(MAX_CHUNK, count // (workers * 4)))


def chunked(tasks: Sequence[Task], workers: int) -> list[list[Task]]:
    size = chunk_size(len(tasks), workers)
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
    keep_entries: bool = True  # False: the result keeps counts only (the CLI; any size)


SHOWN_FAILURES = 20  # failures (and stale outputs) a summary names; the rest are counted


@dataclass
class BatchResult:
    # unreadable sources first, then profiles in sorted order; empty unless
    # BatchOptions.keep_entries (the report has them all)
    entries: list[Entry] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: int = 0  # the signal that stopped the batch, 0 if none
    stopped_early: bool = False  # --fail-fast stopped it
    worker_lost: bool = False  # a worker process died (killed, out of memory)
    report_error: str | None = None  # the report could not be written
    counts: dict[str, int] = field(default_factory=dict)  # status -> entries
    failures: list[str] = field(default_factory=list)  # the first SHOWN_FAILURES errors
    stale: list[str] = field(default_factory=list)  # the first SHOWN_FAILURES stale slugs
    stale_count: int = 0

    def count(self, status: str) -> int:
        return self.counts.get(status, 0)

    def add(self, entry: Entry, keep: bool) -> None:
        self.counts[entry.status] = self.counts.get(entry.status, 0) + 1
        if entry.status == FAILED and len(self.failures) < SHOWN_FAILURES:
            self.failures.append(entry.error or "")
        if entry.status == SKIPPED and entry.stale:
            self.stale_count += 1
            if len(self.stale) < SHOWN_FAILURES:
                self.stale.append(entry.slug or "")
        if keep:
            self.entries.append(entry)

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
    output folder, --brand, --templates, --reference-doc, --report); a profile's own
    problem is a failed entry.

    Memory stays flat with the portfolio's size: tasks and output names are kept on
    disk (TaskStore); entries go to the report (written as they come) and to counts;
    sheet rows are read again a chunk at a time; at most a few chunks per worker are
    in flight.
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
    portfolio = collect([str(s) for s in sources], [options.report] if options.report else [],
                        options.shard)
    try:
        return _run(portfolio, options, events, started, wall_start)
    finally:
        portfolio.tasks.close()


def _run(portfolio: Portfolio, options: BatchOptions, events: BatchEvents, started: float,
         wall_start: float) -> BatchResult:
    render = options.render
    tasks = portfolio.tasks
    for message in portfolio.warnings:
        events.warning(message)
    events.planned(len(portfolio.failures) + len(tasks))
    result = BatchResult()
    report = ReportWriter(options.report, options) if options.report is not None else None

    def final(entry: Entry) -> None:
        """An entry in its final, sorted place: counted, shown, reported."""
        result.add(entry, options.keep_entries)
        if report is not None:
            report.add(entry)

    for entry in portfolio.failures:
        events.done(entry)
        final(entry)
    stop = _pool_context().RawValue("i", 0)  # shared memory: a signal handler may set it
    received: list[int] = []  # signals this process received
    lost = False
    if options.fail_fast and portfolio.failures:
        stop.value = FAIL_FAST
    stream = _Stream(tasks, render, events, final, stop, wall_start)
    try:
        with _stop_on_signals(stop, received):
            first = stream.next_to_render()  # skipped ones before it go by
            if first is not None:
                _prepare(render, events)
                jobs = options.jobs or default_jobs()
                size = chunk_size(len(tasks), jobs)
                if jobs == 1 or len(tasks) <= size:
                    _render_here(stream, first, options)
                else:
                    lost = _render_in_pool(stream, first, options, jobs, size)
        stream.cancel_the_rest(lost)
    except BaseException:
        if report is not None:
            report.abandon()
        raise
    # a worker's SIGTERM counts as an interruption, unless the pool sent it because
    # another worker crashed
    result.interrupted = received[0] if received else stop.value if stop.value > 0 and not lost \
        else 0
    result.stopped_early = stop.value == FAIL_FAST
    result.worker_lost = lost and not result.interrupted
    result.seconds = round(time.perf_counter() - started, 3)
    if report is not None:
        try:
            report.finish(result)
        except PlaybookError as exc:
            result.report_error = str(exc)
    return result


class _Stream:
    """The shard's tasks in sorted order, as they go to rendering: a task whose outputs
    all exist becomes a skipped entry on the way; sheet rows are read again a chunk at
    a time; entries are released in the tasks' order (a window of finished chunks
    waits for an earlier one), so the report is sorted without holding the portfolio."""

    WINDOW = 2_000  # entries waiting for an earlier chunk before no more is handed out

    def __init__(self, tasks: TaskStore, options: RenderOptions, events: BatchEvents, final,
                 stop, wall_start: float):
        self.tasks, self.options, self.events, self.final = tasks, options, events, final
        self.stop, self.wall_start = stop, wall_start
        self.next_task = 0  # index of the next task to hand out
        self.next_final = 0  # index of the next entry to release
        self.waiting: dict[int, Entry] = {}
        self.sheet: tuple[str, Iterator[SheetRow]] | None = None

    # handing tasks out
    def next_to_render(self) -> tuple[int, Task] | None:
        """The next task that needs rendering; those before it whose outputs all
        exist become skipped entries."""
        while self.next_task < len(self.tasks) and not self.stop.value:
            index = self.next_task
            self.next_task += 1
            task = self.tasks[index]
            skipped = _skipped(task, self.options)
            if skipped:
                self.events.done(skipped)
                self.done(index, skipped)
                continue
            return index, task
        return None

    def chunk(self, size: int, first: tuple[int, Task] | None = None) -> list[tuple[int, Task]]:
        """Up to `size` tasks to render, sheet rows read in; [] when none is left (or
        too many finished entries wait for an earlier chunk)."""
        out = [first] if first else []
        while len(out) < size and len(self.waiting) < self.WINDOW:
            found = self.next_to_render()
            if found is None:
                break
            out.append(found)
        return [(index, self._with_row(task)) for index, task in out]

    def _with_row(self, task: Task) -> Task:
        """The task with its sheet row read in (the sheet is read on, in row order)."""
        if not task.row_number:
            return task
        if self.sheet is None or self.sheet[0] != task.path:
            try:
                self.sheet = (task.path, iter_sheet(Path(task.path))[1])
            except PlaybookError:
                self.sheet = (task.path, iter(()))
        try:
            for row in self.sheet[1]:
                if row.row == task.row_number:
                    return replace(task, row=row)
                if row.row > task.row_number:
                    break
        except PlaybookError:
            self.sheet = (task.path, iter(()))
        # an empty row: load_row reports the sheet changed (rendering fails this row alone)
        return replace(task, row=SheetRow(task.path, task.row_number, "", {}, (Problem(
            task.source, message="this row is no longer in the sheet (was the sheet edited "
            "during the batch?); run the batch again"),)))

    # taking entries back
    def done(self, index: int, entry: Entry) -> None:
        self.waiting[index] = entry
        while self.next_final in self.waiting:
            self.final(self.waiting.pop(self.next_final))
            self.next_final += 1

    def cancel_the_rest(self, lost: bool) -> None:
        """Release every entry still due, in order: tasks handed out and lost with a
        dead worker are rendered if all their outputs were written during this batch,
        else cancelled, like those never handed out."""
        handed_out, self.next_task = self.next_task, len(self.tasks)
        for index in range(self.next_final, len(self.tasks)):
            entry = self.waiting.pop(index, None)
            if entry is None:
                task = self.tasks[index]
                entry = _finished_unreported(task, self.options, self.wall_start) \
                    if lost and index < handed_out else None
                if entry is not None:
                    self.events.done(entry)
                entry = entry or Entry(task.source, CANCELLED, task.slug)
            self.final(entry)
        self.next_final = len(self.tasks)


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


def _render_here(stream: _Stream, first: tuple[int, Task], options: BatchOptions) -> None:
    renderer = ProfileRenderer(options.render)
    chunk = stream.chunk(1, first)
    while chunk and not stream.stop.value:
        index, task = chunk[0]
        entry = renderer.render(task)
        stream.events.done(entry)
        stream.done(index, entry)
        if entry.status == FAILED and options.fail_fast:
            _raise_flag(stream.stop, FAIL_FAST)
        chunk = stream.chunk(1) if not stream.stop.value else []


def _render_in_pool(stream: _Stream, first: tuple[int, Task], options: BatchOptions,
                    jobs: int, size: int) -> bool:
    """Render the chunks in worker processes, a few per worker in flight; True if a
    worker died on the way."""
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    stop = stream.stop
    pool = ProcessPoolExecutor(jobs, mp_context=_pool_context(), initializer=_init_worker,
                               initargs=(options.render, stop, options.fail_fast, os.getpid()))
    lost = False
    in_flight: dict[Any, list[int]] = {}  # future -> the task indexes of its chunk

    def take(future, indexes: list[int]) -> None:
        nonlocal lost
        if future.cancelled():
            return  # never started: its profiles stay "cancelled"
        try:
            results = future.result()
        except BrokenProcessPool:  # its profiles stay "cancelled"; outputs already written stay
            lost = True
            return
        for index, entry in zip(indexes, results, strict=True):
            if entry.status != CANCELLED:
                stream.events.done(entry)
                stream.done(index, entry)

    def hand_out(first=None) -> None:
        while len(in_flight) < jobs * 4 and not stop.value:
            chunk = stream.chunk(size, first)
            first = None
            if not chunk:
                return
            in_flight[pool.submit(_render_chunk, [task for _, task in chunk])] = \
                [index for index, _ in chunk]

    try:
        hand_out(first)
        while in_flight and not stop.value:
            # a timeout, so a signal's flag is seen within a tenth of a second
            done, _ = wait(list(in_flight), timeout=0.1, return_when=FIRST_COMPLETED)
            for future in done:
                take(future, in_flight.pop(future))
            if not lost:
                hand_out()
    finally:
        # stopping: queued chunks are cancelled, running ones end after the profile
        # in hand (the workers see the flag), then the workers exit on their own
        pool.shutdown(wait=True, cancel_futures=True)
    for future, indexes in in_flight.items():
        take(future, indexes)
    return lost


# -- the report ----------------------------------------------------------------------

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


class ReportWriter:
    """The JSON report, written as the batch goes: the run's settings, one entry per
    profile as each is final (in sorted order), then the counts. It goes to a hidden
    temporary file, moved into place at the end (also after an interruption), so a
    report is complete or absent and the batch never holds every entry in memory."""

    def __init__(self, path: Path, options: BatchOptions):
        from . import __version__

        self.path = path
        self.error: str | None = None
        self.count = 0
        render = options.render
        head = {
            "playbook": __version__,
            "output": str(render.output),
            "formats": list(render.formats),
            "date": render.date.isoformat() if render.date else None,
            "shard": f"{options.shard[0]}/{options.shard[1]}" if options.shard else None,
        }
        try:
            self.stream, self.temporary = open_temporary(path)
        except OSError as exc:
            raise OutputError(f"{path}: cannot write: {describe_os_error(exc)}") from None
        self._write(json.dumps(head, ensure_ascii=False, indent=2)[:-2] + ',\n  "profiles": [')

    def _write(self, text: str) -> None:
        if self.error is None:
            try:
                self.stream.write(text.encode("utf-8"))
            except OSError as exc:  # the disk filled up: the batch goes on, reported at the end
                self.error = f"{self.path}: cannot write: {describe_os_error(exc)}"

    def add(self, entry: Entry) -> None:
        separator = "," if self.count else ""
        self.count += 1
        self._write(f"{separator}\n    {json.dumps(asdict(entry), ensure_ascii=False)}")

    def finish(self, result: BatchResult) -> None:
        tail = {
            "seconds": result.seconds,
            "interrupted": bool(result.interrupted),
            "stopped_at_first_failure": result.stopped_early,
            "summary": {status: result.count(status)
                        for status in (RENDERED, SKIPPED, FAILED, CANCELLED)},
        }
        self._write("\n  ],\n" + json.dumps(tail, ensure_ascii=False, indent=2)[2:] + "\n")
        try:
            self.stream.close()
        except OSError as exc:
            self.error = self.error or f"{self.path}: cannot write: {describe_os_error(exc)}"
        if self.error:
            self.abandon()
            raise OutputError(self.error)
        check_report_target(self.path)  # again: the file may have changed during the batch
        place(self.temporary, self.path, replace=is_report(self.path))

    def abandon(self) -> None:
        try:
            self.stream.close()
        except OSError:
            pass
        Path(self.temporary).unlink(missing_ok=True)
