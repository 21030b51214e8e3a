"""Converting a request's events one by one: each becomes a spool line or a refusal with its
index, so a sender learns the fate of every event it sent."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from quarterdeck.metrics.ingest.common import Reject


@dataclass(frozen=True)
class Rejection:
    index: int
    event_id: str | None
    reason: str
    sample: str = ""


@dataclass
class Converted:
    lines: list[bytes] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.lines) + len(self.rejected)


SAMPLE_CHARS = 2000


def sample_of(item: Any) -> str:
    text = json.dumps(item, default=str)  # ASCII: safe to store whatever the sender's text
    return text if len(text) <= SAMPLE_CHARS else text[: SAMPLE_CHARS - 1] + "…"


def convert_all(
    items: Sequence[Any],
    to_line: Callable[[Any], bytes],
    id_of: Callable[[Any], str | None],
) -> Converted:
    result = Converted()
    for index, item in enumerate(items):
        try:
            result.lines.append(to_line(item))
        except Reject as refusal:
            result.rejected.append(Rejection(index, id_of(item), refusal.reason, sample_of(item)))
    return result
