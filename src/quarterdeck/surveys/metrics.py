"""Survey metrics (METRICS_SPEC §6), Django-free: scores in, numbers out.

The interface later modules (key results, scorecards, the home page) use:

- ``summarize(kind, scale, scores) -> Summary``: the headline and its parts for any list of
  scores; ``Summary.value`` is the headline (NPS -100...100, CSAT share 0...1, CES mean).
- ``nps``, ``csat``, ``ces_easy_share``, ``mean``: the single formulas.
- ``score_group(kind, scale, score)``: promoter / passive / detractor for NPS, and the
  positive / neutral / negative bands CSAT and CES use (for colours and verbatim filters).

Answers without a score are the caller's to drop: every function takes scored answers only.

Scales. NPS is always 0-10. CSAT's "top-2 box" is the two highest points of the survey's
scale (4-5 on 1-5, 9-10 on 1-10). CES "easy" is the top three points of a 1-7 scale; on
another scale it is the top round(3/7 x points) points, at least one (4-5 on 1-5, 7-10 on
1-10), so the share keeps roughly the same meaning. The negative bands mirror the positive
ones from the bottom of the scale (CSAT 1-2 on 1-5; CES 1-3 on 1-7).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

Group = Literal["promoter", "passive", "detractor", "positive", "neutral", "negative"]
NPS_SCALE: Final = (0, 10)


@dataclass(frozen=True)
class Scale:
    low: int
    high: int

    @property
    def points(self) -> int:
        return self.high - self.low + 1

    def contains(self, score: int) -> bool:
        return self.low <= score <= self.high


def mean(scores: Sequence[int]) -> float | None:
    return sum(scores) / len(scores) if scores else None


def nps(scores: Sequence[int]) -> float | None:
    """% promoters (9-10) - % detractors (0-6), -100...100; None without answers."""
    if not scores:
        return None
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    return 100 * (promoters - detractors) / len(scores)


def top_points(kind: str, scale: Scale) -> int:
    """How many of the highest points count as positive (CSAT top-2, CES easy)."""
    if kind == "csat":
        return min(2, scale.points)
    return max(1, min(scale.points, round(3 * scale.points / 7)))


def csat(scores: Sequence[int], scale: Scale) -> float | None:
    """Share (0...1) of answers in the top-2 box of the scale."""
    return _share_top(scores, scale.high - top_points("csat", scale) + 1)


def ces_easy_share(scores: Sequence[int], scale: Scale) -> float | None:
    """Share (0...1) of answers in the "easy" points (5-7 on the 1-7 scale)."""
    return _share_top(scores, scale.high - top_points("ces", scale) + 1)


def _share_top(scores: Sequence[int], threshold: int) -> float | None:
    return sum(1 for s in scores if s >= threshold) / len(scores) if scores else None


def score_group(kind: str, scale: Scale, score: int) -> Group:
    if kind == "nps":
        return "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"
    top = top_points(kind, scale)
    if score > scale.high - top:
        return "positive"
    return "negative" if score < scale.low + top else "neutral"


@dataclass(frozen=True)
class Summary:
    """A survey's numbers over some answers. ``value`` is the headline: NPS, the CSAT share or
    the CES mean (None without answers); ``share_positive`` is the CSAT top-2 share, the CES
    easy share or the promoters' share."""

    kind: str
    count: int
    value: float | None
    mean: float | None
    share_positive: float | None
    positive: int
    neutral: int
    negative: int


def summarize(kind: str, scale: Scale, scores: Sequence[int]) -> Summary:
    groups = [score_group(kind, scale, s) for s in scores]
    positive = sum(1 for g in groups if g in ("promoter", "positive"))
    negative = sum(1 for g in groups if g in ("detractor", "negative"))
    share = positive / len(scores) if scores else None
    headline = {"nps": nps(scores), "csat": share, "ces": mean(scores)}[kind]
    return Summary(
        kind=kind,
        count=len(scores),
        value=headline,
        mean=mean(scores),
        share_positive=share,
        positive=positive,
        neutral=len(scores) - positive - negative,
        negative=negative,
    )


def distribution(scale: Scale, scores: Sequence[int]) -> list[tuple[int, int]]:
    """(score, count) for every point of the scale, zeros included."""
    counts = dict.fromkeys(range(scale.low, scale.high + 1), 0)
    for s in scores:
        if s in counts:
            counts[s] += 1
    return sorted(counts.items())
