"""`playbook batch`: render a whole portfolio (placeholder until the batch work lands)."""

from __future__ import annotations

import click


@click.command()
def batch():
    """Render playbooks for many profiles at once (not implemented yet)."""
    raise click.UsageError("batch is not implemented yet")
