"""The CLI group loads command modules lazily: `playbook --help` must list the same
commands with the same summaries as the commands themselves, without importing them."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from playbook.cli import COMMANDS, SUMMARIES, main


def real_command(name: str) -> click.Command:
    module, attribute = COMMANDS[name].split(":")
    return getattr(importlib.import_module(module), attribute)


def test_every_command_has_a_summary_and_its_own_name():
    assert set(SUMMARIES) == set(COMMANDS)
    for name in COMMANDS:
        assert real_command(name).name == name


@pytest.mark.parametrize("name", sorted(COMMANDS))
@pytest.mark.parametrize("limit", [10, 30, 45, 60, 80, 200])
def test_summary_matches_the_command(name, limit):
    stand_in = click.Command(name, **SUMMARIES[name])
    assert stand_in.get_short_help_str(limit) == real_command(name).get_short_help_str(limit)


@pytest.mark.parametrize("width", [50, 80, 120])
def test_help_is_the_same_as_an_eagerly_loaded_group(width):
    eager = click.Group(name="playbook", help=main.help,
                        context_settings=main.context_settings, params=main.params)
    for name in COMMANDS:
        eager.add_command(real_command(name), name)
    runner = CliRunner()
    ours = runner.invoke(main, ["--help"], terminal_width=width, prog_name="playbook")
    theirs = runner.invoke(eager, ["--help"], terminal_width=width, prog_name="playbook")
    assert ours.exit_code == 0, ours.output
    assert ours.output == theirs.output
    assert "render" in ours.output and "templates" in ours.output


def test_help_imports_no_command_module():
    code = ("import sys\n"
            "from playbook.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('playbook')))\n"
            "print('jinja2' in sys.modules, 'yaml' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out[-2] == "['playbook', 'playbook.cli']"
    assert out[-1] == "False False"


def test_a_lazy_command_runs():
    result = CliRunner().invoke(main, ["schema", "brand"])
    assert result.exit_code == 0, result.output
    assert '"properties"' in result.output


def test_the_entry_points_help_text_is_clicks():
    from playbook.entry import known_help

    stored = known_help()
    runner = CliRunner()
    # 80 columns or more (or no terminal: 80 assumed), click writes 78 wide
    clicks = runner.invoke(main, ["--help"], terminal_width=78, prog_name="playbook")
    assert clicks.exit_code == 0 and clicks.output == stored


def _entry(argv: list[str], **env: str) -> subprocess.CompletedProcess:
    """The console script's `main` run as the installed `playbook` script runs it."""
    code = ("import sys\n"
            f"sys.argv = {argv!r}\n"
            "from playbook.entry import main\n"
            "try:\n    code = main()\nexcept SystemExit as exc:\n    code = exc.code\n"
            "print('click' in sys.modules, code, file=sys.stderr)\n")
    environment = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**environment, **env})


def test_help_is_printed_without_click_only_where_clicks_would_be_the_same():
    from playbook.entry import known_help

    stored = known_help()

    for flag in ("--help", "-h"):
        fast = _entry(["/some/bin/playbook", flag])
        assert (fast.stdout, fast.stderr) == (stored, "False 0\n")
    wide = _entry(["/some/bin/playbook", "--help"], COLUMNS="200")
    assert (wide.stdout, wide.stderr) == (stored, "False 0\n")
    # a narrow terminal, another program name or more arguments: click itself
    narrow = _entry(["/some/bin/playbook", "--help"], COLUMNS="60")
    assert narrow.stderr == "True 0\n" and narrow.stdout != stored
    runner = CliRunner()
    assert narrow.stdout == runner.invoke(main, ["--help"], terminal_width=58,
                                          prog_name="playbook").output
    renamed = _entry(["/some/bin/pb", "--help"])
    assert renamed.stderr == "True 0\n" and renamed.stdout.startswith("Usage: pb [OPTIONS]")
    version = _entry(["/some/bin/playbook", "--version"])
    assert version.stderr == "True 0\n" and version.stdout.startswith("playbook ")


def test_the_collector_is_paused_during_start_up_and_back_for_the_work():
    """The console script spares the cyclic collector the start-up objects: no
    collection before the command's work starts, then collecting as usual, with the
    start-up objects frozen out of its sight."""
    profile = Path(__file__).resolve().parents[1] / "profiles" / "boulangerie-muller.yaml"
    code = ("import gc, sys\n"
            f"sys.argv = ['/some/bin/playbook', 'validate', {str(profile)!r}]\n"
            "collections = []\n"
            "gc.callbacks.append(lambda phase, info: phase == 'start' and collections.append(1))\n"
            "import playbook.commands as commands\n"
            "work = commands.validate_profiles\n"
            "def spy(*args):\n"
            "    print(len(collections), gc.isenabled(), gc.get_freeze_count() > 0,\n"
            "          file=sys.stderr)\n"
            "    return work(*args)\n"
            "commands.validate_profiles = spy\n"
            "from playbook.entry import main\n"
            "collections.clear()\n"
            "try:\n    main()\nexcept SystemExit as exc:\n    print(exc.code, file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stderr.splitlines() == ["0 True True", "0"], result.stderr
