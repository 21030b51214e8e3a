"""`quarterdeck roadmap …` commands (roadmap_scoring)."""

from __future__ import annotations

from quarterdeck.cli.roadmap import roadmap_group  # noqa: F401
