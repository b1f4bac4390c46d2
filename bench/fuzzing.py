"""The fuzzing campaign behind `bench/fuzz`: far more examples than the test suite.

Eight properties, each run until --examples inputs or --seconds, whichever first:

- `profiles-valid`, `profiles-mutated`: the two properties of tests/test_properties.py,
  run as they are (their bodies are called, with the strategies of tests/strategies.py)
  but with many more examples: random valid profiles render to Markdown and a .docx
  that reopens; hostile mutations end in a playbook or clean error lines, never a
  traceback or a half-written file.
- `markdown`: random Markdown made of every CommonMark construct the templates may use
  (tests/strategies.py: headings, nested lists, task lists, quotes, tables, code,
  comments, raw HTML, images, emphasis, escapes, entities, links, hostile text): the
  property of tests/test_properties.py, a .docx that reopens and whose headings, list
  items and tables are those of the parser's tree (`mdtree`).
- `hostile-references`, `hostile-sheets`, `hostile-values`, `hostile-names` (issue 14,
  `bench/fuzz_hostile.py`): reference .docx files with every form of relationship
  target and damaged parts, sheets in every encoding or damaged, hostile numbers,
  dates and names: a clean error or a valid output, never a traceback.
- `word-writer`: the Word writer on random and hostile text (every unicode plane,
  control characters, lone surrogates, huge strings, hostile front matter values):
  always a well-formed .docx, and plain words always reach the document's text.

Each property runs in chunks of examples with their own seed (seed, seed+1...), so a
time budget can stop it between chunks and any failure can be replayed with
`bench/fuzz --only NAME --seed SEED`. Failures are shrunk by hypothesis and printed
with their falsifying example; the exit code is 1 if any property failed.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import importlib.util
import io
import sys
import tempfile
import time
import traceback
import zipfile
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
CHUNK = 250  # examples per hypothesis run: the granularity of the time budget
PROPERTIES = ("profiles-valid", "profiles-mutated", "markdown", "word-writer",
              # issue 14's input families: bench/fuzz_hostile.py
              "hostile-references", "hostile-sheets", "hostile-values", "hostile-names")

def tests_module(name: str):
    """A module of tests/ imported by path (tests/ is not a package)."""
    if str(TESTS) not in sys.path:
        sys.path.insert(0, str(TESTS))
    spec = importlib.util.spec_from_file_location(f"_fuzz_{name}", TESTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def hostile_text_strategy():
    from hypothesis import strategies as st

    strategies = tests_module("strategies")
    return st.one_of(
        strategies.ANY_TEXT,
        st.text(st.characters(codec=None), max_size=200),  # with lone surrogates and controls
        st.lists(strategies.SHOUTY, max_size=8).map(" ".join),
        strategies.SHOUTY.map(lambda s: s * 200),
        st.text(max_size=3).map(lambda s: s * 5000),
        st.binary(max_size=300).map(lambda b: b.decode("latin-1")),
    )


def plain_words_strategy():
    from hypothesis import strategies as st

    letters = st.characters(codec="utf-8", categories=("Lu", "Ll", "Lo", "Nd"))
    return st.lists(st.text(letters, min_size=1, max_size=10), min_size=1, max_size=12).map(" ".join)


# -- the checks ----------------------------------------------------------------------

def check_docx(data: bytes) -> object:
    """Every XML part well-formed, then python-docx reopens it; returns the document."""
    import docx

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(archive.read(name))
    return docx.Document(io.BytesIO(data))


def document_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


# -- one property, run in chunks --------------------------------------------------------

def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 300 else f"{text[:300]}... ({len(text):,} characters)"


class Campaign:
    """Counts what a property tried, by input class and outcome. Once an input has
    failed, hypothesis only shrinks it: those runs are counted apart."""

    def __init__(self):
        self.classes: collections.Counter = collections.Counter()
        self.outcomes: collections.Counter = collections.Counter()
        self.shrinking = False
        self.shrink_runs = 0
        self.invocations = 0  # CLI runs (mutated profiles)
        self.first_failure = ""

    def tried(self, label: str) -> None:
        if self.shrinking:
            self.shrink_runs += 1
        else:
            self.classes[label] += 1

    def outcome(self, label: str) -> None:
        if not self.shrinking:
            self.outcomes[label] += 1

    def watch(self, body):
        """The body, marking the campaign as shrinking from its first failure on."""
        def watched(**kwargs):
            try:
                return body(**kwargs)
            except Exception as error:
                if not self.shrinking:  # the input as first found, before any shrinking
                    self.first_failure = (f"{type(error).__name__} on "
                                          + ", ".join(f"{k}={_short(v)}" for k, v in kwargs.items()))
                self.shrinking = True
                raise

        return watched


def build_property(name: str, campaign: Campaign):
    """(hypothesis strategies as keyword arguments, the test body) for a property name."""
    from hypothesis import strategies as st

    if name in ("profiles-valid", "profiles-mutated"):
        properties = tests_module("test_properties")
        strategies = sys.modules["strategies"]
        if name == "profiles-valid":
            inner = properties.test_random_valid_profiles_render_markdown_and_a_docx_that_reopens \
                .hypothesis.inner_test

            def body(data, language):
                campaign.tried(f"valid ({language})")
                inner(data=data, language=language)

            return ({"data": strategies.valid_profiles(properties.PLATFORMS),
                     "language": st.sampled_from(["en", "fr"])}, body)

        inner = properties.test_mutated_profiles_end_in_a_playbook_or_a_clean_error \
            .hypothesis.inner_test
        folder = Path(tempfile.mkdtemp(prefix="playbook-fuzz-"))
        watch_cli_results(campaign)

        def body(data, kind):
            campaign.tried(f"mutated {kind}")
            before = campaign.invocations
            inner(work_folder=folder, data=data, kind=kind)
            if campaign.invocations == before:
                campaign.outcome(f"{kind}: not representable in {kind} (skipped)")

        return ({"data": strategies.mutated_profiles(properties.PLATFORMS),
                 "kind": st.sampled_from(["json", "yaml"])}, body)

    if name.startswith("hostile-"):
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import fuzz_hostile

        return fuzz_hostile.build(name, campaign)

    from playbook.docx_writer import DocxWriter

    writer = DocxWriter()
    if name == "markdown":
        document, _ = tests_module("strategies").markdown_documents()
        matches_tree = tests_module("test_properties") \
            .test_random_markdown_gives_a_docx_with_the_tree_structure.hypothesis.inner_test

        def body(markdown):
            campaign.tried("Markdown" + (" with front matter"
                                         if markdown.startswith("---\n") else ""))
            matches_tree(markdown=markdown)

        return {"markdown": document}, body

    if name == "word-writer":
        _, front_matter = tests_module("strategies").markdown_documents()
        hostile, words = hostile_text_strategy(), plain_words_strategy()

        def body(kind, head, text, plain):
            campaign.tried(kind)
            if kind == "hostile text":
                check_docx(writer.render(text))
            elif kind == "hostile front matter + text":
                check_docx(writer.render(head + text))
            else:  # plain words must reach the document, whatever is around them
                document = check_docx(writer.render(head + text + "\n\n" + plain + "\n"))
                assert plain in document_text(document), plain

        return ({"kind": st.sampled_from(["hostile text", "hostile front matter + text",
                                          "plain words after hostile text"]),
                 "head": front_matter, "text": hostile, "plain": words}, body)
    raise SystemExit(f"unknown property {name!r}")


def watch_cli_results(campaign: Campaign) -> None:
    """Count the outcomes of the CLI runs the mutated-profiles property makes."""
    from click.testing import CliRunner

    original = CliRunner.invoke

    def invoke(self, cli, args=None, **kwargs):
        result = original(self, cli, args, **kwargs)
        kind = Path(args[1]).suffix.lstrip(".") if args and len(args) > 1 else "?"
        campaign.invocations += 1
        campaign.outcome(f"{kind}: " + ("rendered" if result.exit_code == 0 else
                                        f"clean error, exit {result.exit_code}"))
        return result

    CliRunner.invoke = invoke


def describe_failure(error: BaseException) -> str:
    """Each distinct error hypothesis found: where it was raised (the last frames), what
    it says, and the shrunk input with its reproduction blob (hypothesis adds both as
    notes). Short even for a RecursionError's thousand frames."""
    leaves = list(error.exceptions) if isinstance(error, BaseExceptionGroup) else [error]
    parts = []
    for leaf in leaves:
        frames = traceback.format_tb(leaf.__traceback__)[-4:]
        message = f"{type(leaf).__name__}: {leaf}"
        parts.append("".join(frames) + (message[:1500] + " [...]" if len(message) > 1500
                                         else message)
                     + "".join("\n" + note for note in getattr(leaf, "__notes__", [])))
    return "\n\n".join(parts)


def run_property(name: str, examples: int, seconds: float, seed: int) -> dict:
    """Run one property in chunks until `examples` or `seconds`; never raises."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as fixed_seed
    from hypothesis.reporting import with_reporter

    campaign = Campaign()
    strategies, body = build_property(name, campaign)
    started = time.monotonic()
    tried, chunk_seed, failure = 0, seed, None
    while tried < examples and time.monotonic() - started < seconds:
        size = min(CHUNK, examples - tried)
        test = fixed_seed(chunk_seed)(settings(
            max_examples=size, deadline=None, database=None, print_blob=True,
            suppress_health_check=list(HealthCheck))(given(**strategies)(campaign.watch(body))))
        report: list[str] = []
        try:
            with with_reporter(report.append):
                test()
        except BaseException as error:  # noqa: B036 - report whatever the property raised
            if isinstance(error, KeyboardInterrupt):
                raise
            failure = {"seed": chunk_seed, "first": campaign.first_failure,
                       "report": "\n".join(report),
                       "traceback": describe_failure(error)}
        tried = sum(campaign.classes.values())
        if failure:
            break
        chunk_seed += 1
    return {"name": name, "tried": tried, "shrink_runs": campaign.shrink_runs,
            "seconds": time.monotonic() - started,
            "classes": dict(campaign.classes), "outcomes": dict(campaign.outcomes),
            "failure": failure, "first_seed": seed, "last_seed": chunk_seed}


# -- main ----------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/fuzz", description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=20_000,
                        help="inputs per property (default 20000)")
    parser.add_argument("--seconds", type=float, default=1800,
                        help="time budget per property, in seconds (default 1800)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the first chunk (default 0)")
    parser.add_argument("--only", action="append", choices=PROPERTIES,
                        help="run only this property (repeatable)")
    parser.add_argument("--jobs", type=int, default=2, help="properties run in parallel (default 2)")
    args = parser.parse_args(argv)
    names = args.only or list(PROPERTIES)
    print(f"## playbook fuzzing: {', '.join(names)}\n\nup to {args.examples:,} inputs or "
          f"{args.seconds:g} s per property, seed {args.seed}, {args.jobs} in parallel\n",
          flush=True)
    started = time.monotonic()
    with concurrent.futures.ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = {pool.submit(run_property, name, args.examples, args.seconds, args.seed): name
                   for name in names}
        results = {}
        for future in concurrent.futures.as_completed(futures):
            result = future.result()
            results[result["name"]] = result
            print(f"fuzz: {result['name']} done: {result['tried']:,} inputs in "
                  f"{result['seconds']:.0f} s" + (", FAILED" if result["failure"] else ""),
                  file=sys.stderr, flush=True)

    rows, failed = [], []
    for name in names:
        result = results[name]
        status = (f"**FAILED** (then {result['shrink_runs']:,} runs shrinking it)"
                  if result["failure"] else "no failure")
        classes = "; ".join(f"{key}: {value:,}" for key, value in sorted(result["classes"].items()))
        rows.append(f"| {name} | {result['tried']:,} | {result['seconds']:.0f} | {classes} | "
                    f"{status} |")
        if result["failure"]:
            failed.append(result)
    print("| property | inputs tried | seconds | per input class | result |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))
    outcomes = results.get("profiles-mutated", {}).get("outcomes")
    if outcomes:
        print("\nMutated profiles, outcomes: " +
              "; ".join(f"{k}: {v:,}" for k, v in sorted(outcomes.items())))
    print(f"\nTotal: {sum(r['tried'] for r in results.values()):,} inputs in "
          f"{time.monotonic() - started:.0f} s.")
    for result in failed:
        print(f"\n### {result['name']} failed (replay: `bench/fuzz --only {result['name']} "
              f"--seed {result['failure']['seed']} --examples {CHUNK}`)\n")
        print(f"First failing input (before shrinking): {result['failure']['first']}\n")
        print("```\n" + result["failure"]["report"].strip() + "\n\n" +
              result["failure"]["traceback"].strip() + "\n```")
    if not failed:
        print("\nNo property failed.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
