"""The `quarterdeck` command: run the server and the worker, set up accounts, move data.

Every command is thin: it parses options, calls one service (or a few operator helpers) and
prints. Django is set up inside each command, so a bad QUARTERDECK_* variable is reported as
one red line (exit code 2), and `quarterdeck --help` works without any configuration.
"""

from __future__ import annotations

from quarterdeck.cli import (  # noqa: F401 - they register commands
    accounts,
    data,
    feedback,
    feedback_eval,
    feedback_insight,
    kpis,
    launches,
    launches_checks,
    launches_gates,
    launches_plans,
    metrics,
    metrics_run,
    ops,
    revenue,
    roadmap,
    roadmap_board,
    roadmap_optimize,
    roadmap_plan,
    roadmap_scoring,
    scorecards,
    server,
    strategy,
    strategy_vision,
    surveys,
    warehouse,
)
from quarterdeck.cli.base import cli


def main() -> None:
    cli(prog_name="quarterdeck")


__all__ = ["cli", "main"]
