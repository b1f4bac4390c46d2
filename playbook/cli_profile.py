"""`playbook init` and `playbook questionnaire`: make a profile with the client.

Thin click commands over `playbook.interview` and `playbook.questionnaire`; like the
other command modules, only click is imported when the CLI loads.
"""

from __future__ import annotations

import sys

import click

from .cli import call, error

INTERRUPTED = 130  # the shell's code for a command ended by Ctrl-C


@click.command(short_help="Build a profile by answering questions in the terminal.")
@click.argument("profile", required=False, type=click.Path())
@click.option("--lang", "language", type=click.Choice(["fr", "en"]),
              help="Language of the questions and the playbook (default: asked first; "
                   "with --resume, the profile's).")
@click.option("--resume", is_flag=True,
              help="Complete PROFILE: ask only the questions still unanswered, keeping its "
                   "other answers, comments and order.")
@click.option("--force", is_flag=True, help="Start PROFILE again even if it exists.")
def init(profile, language, resume, force):
    """Interview in the terminal that writes a commented YAML profile.

    Questions come in the playbook's parts, each with why it is asked; arrow keys
    choose, "Don't know" leaves an answer unknown, "<" (or "Back") returns to the
    previous question. Answers are saved after each one: Ctrl-C leaves a valid
    partial profile, which --resume completes. Without PROFILE the file is named
    after the organisation, in the current folder.

    \b
    Examples:
      playbook init --lang fr
      playbook init clients/duval.yaml --lang en
      playbook init --resume clients/duval.yaml
    """
    from pathlib import Path

    from .interview import InterviewError

    if resume and not profile:
        error("--resume needs the PROFILE to complete, e.g. playbook init --resume client.yaml")
        sys.exit(2)
    if not _has_terminal():
        error(str(InterviewError.single(
            "playbook init", "needs an interactive terminal; to collect answers by e-mail, "
            "send a questionnaire (playbook questionnaire -o FILE.xlsx)")))
        sys.exit(2)
    target = Path(profile) if profile else None
    outcome, language = call(_run, target, language, resume, force)
    texts = _texts(language)
    if outcome.interrupted:
        click.echo("")
        click.echo(texts.get("interview.ui.interrupted", path=outcome.path) if outcome.path
                   else texts.get("interview.ui.interrupted_nothing"))
        sys.exit(INTERRUPTED)
    _conclude(outcome.path, texts, language)


def _has_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _texts(language):
    from .knowledge import load_knowledge
    from .paths import search_path

    return load_knowledge(search_path()).texts(language)


def _run(target, language, resume, force):
    """Start (or resume) the interview; PlaybookErrors go to `call`."""
    from pathlib import Path

    from .interview import Outcome, ProfileDocument, check_new_target, interview, open_fields
    from .knowledge import load_knowledge
    from .paths import search_path
    from .profile import load_profile

    knowledge = load_knowledge(search_path())
    document = None
    if resume:
        loaded = load_profile(target, knowledge)  # resume only a valid profile
        document = ProfileDocument.load(target)
        language = language or loaded.profile.language or "en"
    elif target is not None:
        check_new_target(target, force)
    if language is None:
        language = _ask_language(knowledge)
    if resume:
        if not open_fields(document, knowledge):
            click.echo(knowledge.texts(language).get("interview.ui.nothing_open", path=target))
            return Outcome(target, False, 0), language
    outcome = interview(knowledge, language, target, Path.cwd(), click.echo, resume=document)
    return outcome, language


def _ask_language(knowledge) -> str:
    import questionary

    texts = knowledge.texts("en")
    try:
        choices = [questionary.Choice("Français", value="fr"),
                   questionary.Choice("English", value="en")]
        return questionary.select(texts.get("interview.ui.language"), choices=choices,
                                  default=choices[1],  # the profile's default language
                                  use_jk_keys=False).unsafe_ask()
    except (KeyboardInterrupt, EOFError):
        sys.exit(INTERRUPTED)


def _conclude(path, texts, language) -> None:
    """Check the written profile as `validate` does, show its decisions and the next step."""
    from .commands import RenderOptions, explain_profile, explain_text

    report = call(explain_profile, path, RenderOptions(language=language))
    click.echo("")
    click.echo(texts.get("interview.ui.decisions"))
    click.echo(explain_text(report))
    click.echo("")
    click.echo(texts.get("interview.ui.next"))
    click.echo(f"  playbook render {path}")


@click.command(short_help="Write an Excel questionnaire for the client to fill in.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The workbook to write (.xlsx).")
@click.option("--lang", "language", type=click.Choice(["fr", "en"]), default="en",
              show_default=True, help="Language of the questions and of the playbook.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def questionnaire(output, language, force):
    """Write the profile's questions as an Excel workbook the client fills in.

    One question a row, why we ask beside it, drop-down lists for choices and
    yes/no/don't know, the catalogue's networks one a row; labels are protected and
    the page prints on A4. The filled workbook is a profile: render, validate and
    batch read it, and name the row of any wrong answer.

    \b
    Examples:
      playbook questionnaire --lang fr -o duval-questionnaire.xlsx
      playbook render duval-questionnaire.xlsx
    """
    from pathlib import Path

    from .outputs import atomic_write, check_free

    target = Path(output)
    if target.suffix.lower() != ".xlsx":
        error(f"{output}: a questionnaire is an Excel workbook; name it .xlsx")
        sys.exit(2)
    call(check_free, [target], force)
    call(atomic_write, target, call(_questionnaire_bytes, language))
    click.echo(f"wrote {target}")


def _questionnaire_bytes(language: str) -> bytes:
    from .knowledge import load_knowledge
    from .paths import search_path
    from .questionnaire import write_questionnaire

    return write_questionnaire(load_knowledge(search_path()), language)
