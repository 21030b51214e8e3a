"""`quarterdeck roadmap …`: prioritisation and planning at the terminal. The commands live in
cli/roadmap_scoring.py (scores, rounds, scoring models), cli/roadmap_plan.py (capacity, effort,
dependencies, the optimizer on a JSON instance, scenarios) and cli/roadmap_board.py (the
roadmap, saved views, share links, exports)."""

from __future__ import annotations

from quarterdeck.cli.base import cli


@cli.group("roadmap")
def roadmap_group() -> None:
    """Prioritisation and roadmaps: scores, capacity, the optimizer, scenarios, the roadmap."""
