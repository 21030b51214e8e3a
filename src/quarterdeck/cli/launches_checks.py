"""`quarterdeck launches …` commands (launches_checks)."""

from __future__ import annotations

from quarterdeck.cli.launches import launches_group  # noqa: F401
