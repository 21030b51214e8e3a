"""`quarterdeck launches …`: lifecycle gates, sunset plans, launch plans and post-launch checks
at the terminal. The commands live in cli/launches_gates.py, cli/launches_plans.py and
cli/launches_checks.py."""

from __future__ import annotations

from quarterdeck.cli.base import cli


@cli.group("launches")
def launches_group() -> None:
    """Delivery: stage gates, sunset plans, launch plans and post-launch checks."""
