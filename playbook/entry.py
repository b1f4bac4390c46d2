"""The `playbook` command's entry point.

`playbook --help` alone prints its text without importing click: importing click is
most of the command's 90 ms, over the 80 ms it may take. The text is click's own for
this case (program `playbook`, a terminal of 80 columns or more or none, no message
catalogue), stored by tools/make_prebuilt.py (prebuilt/help.txt, checked up to date by
tests/test_prebuilt.py); any other
case, and every other command line, goes to the click group in `playbook.cli`.
"""

from __future__ import annotations

import gc
import os
import sys

# What `playbook --help` prints (click 8, 78 columns), written by tools/make_prebuilt.py
# from click's own output; os.path, as pathlib would cost this command its import
HELP_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "prebuilt", "help.txt")


def known_help() -> str | None:
    """The stored `playbook --help` text, or None if it is missing (click then writes it)."""
    try:
        with open(HELP_FILE, encoding="utf-8") as stream:
            return stream.read() or None
    except OSError:
        return None


def help_is_known(argv: list[str]) -> bool:
    """Whether click would print the stored help text for this command line, here."""
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


_collector_paused = False


def main():
    text = known_help() if help_is_known(sys.argv) else None
    if text is not None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return 0
    # Start-up makes objects that live as long as the process (modules, classes, click's
    # commands): the cyclic collector would only scan them again and again, a twentieth
    # of a one-profile render. It is paused until the command starts its work.
    global _collector_paused
    gc.disable()
    _collector_paused = True
    from .cli import main as group

    return group()


def resume_collector() -> None:
    """Turn the collector back on when a command starts its work (`cli.call`), with the
    start-up objects frozen out of its sight (so forked batch workers also share
    them instead of copying them). Does nothing unless `main` paused it."""
    global _collector_paused
    if _collector_paused:
        _collector_paused = False
        gc.freeze()
        gc.enable()
