"""`quarterdeck launches …` commands (launches_plans)."""

from __future__ import annotations

from quarterdeck.cli.launches import launches_group  # noqa: F401
