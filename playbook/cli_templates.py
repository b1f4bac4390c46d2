"""`playbook templates`: eject and check templates (placeholder until that work lands)."""

from __future__ import annotations

import click


@click.group()
def templates():
    """Copy the built-in templates out for editing, and check them."""
