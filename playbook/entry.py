"""The `playbook` command's entry point.

`playbook --help` alone prints its text without importing click: importing click is
most of the command's 90 ms, over the 80 ms it may take. The text is click's own for
this case (program `playbook`, a terminal of 80 columns or more or none, no message
catalogue), which tests/test_cli_lazy.py checks against click's output; any other
case, and every other command line, goes to the click group in `playbook.cli`.
"""

from __future__ import annotations

import os
import sys

# What `playbook --help` prints (click 8, 78 columns): see tests/test_cli_lazy.py
HELP = """\
Usage: playbook [OPTIONS] COMMAND [ARGS]...

  Turn a company profile into a tailored social presence playbook (Word and
  Markdown).

  Start with:
    playbook render profiles/boulangerie-muller.yaml

Options:
  -V, --version  Show the version and exit.
  -h, --help     Show this message and exit.

Commands:
  batch          Render a whole portfolio (folders, globs, sheets) in
                 parallel.
  explain        Show the decisions for PROFILE and their reasons.
  init           Build a profile by answering questions in the terminal.
  questionnaire  Write an Excel questionnaire for the client to fill in.
  render         Render a playbook from each PROFILE (YAML, TOML, JSON,...
  schema         Print the JSON Schema of a profile or brand file, for...
  templates      Copy the built-in templates out for editing, and check...
  validate       Check profiles without rendering.
"""


def help_is_known(argv: list[str]) -> bool:
    """Whether click would print HELP for this command line, here."""
    if argv[1:] not in (["--help"], ["-h"]) or os.path.basename(argv[0]) != "playbook":
        return False
    # click names the program from sys.argv[0] when run as a script, not with -m
    if getattr(sys.modules.get("__main__"), "__package__", None) not in (None, ""):
        return False
    import shutil

    if shutil.get_terminal_size().columns < 80:  # click wraps to the terminal's width
        return False
    import gettext

    return gettext.find(gettext.textdomain()) is None  # click's words, untranslated


def main():
    if help_is_known(sys.argv):
        sys.stdout.write(HELP)
        sys.stdout.flush()
        return 0
    from .cli import main as group

    return group()
