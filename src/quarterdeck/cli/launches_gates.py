"""`quarterdeck launches …` commands (launches_gates)."""

from __future__ import annotations

from quarterdeck.cli.launches import launches_group  # noqa: F401
