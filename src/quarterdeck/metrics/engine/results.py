"""Typed results. Each has ``to_rows()``: flat dicts for CSV/JSON export.

``breakdown`` is None when the definition has no breakdown; otherwise the bucket's value, with
"(none)" for events outside every bucket. Ratios with a zero denominator are 0.0.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

Row = dict[str, object]


def ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


@dataclass(frozen=True)
class Point:
    period: date
    value: float
    breakdown: str | None = None


@dataclass(frozen=True)
class Series:
    measure: str
    grain: str
    points: tuple[Point, ...]

    def values(self, breakdown: str | None = None) -> list[float]:
        return [p.value for p in self.points if p.breakdown == breakdown]

    def to_rows(self) -> list[Row]:
        return [
            {"period": p.period.isoformat(), "breakdown": p.breakdown, self.measure: p.value}
            for p in self.points
        ]


@dataclass(frozen=True)
class Bin:
    active_periods: int
    actors: int
    breakdown: str | None = None


@dataclass(frozen=True)
class Histogram:
    grain: str
    bins: tuple[Bin, ...]

    def as_dict(self, breakdown: str | None = None) -> dict[int, int]:
        return {b.active_periods: b.actors for b in self.bins if b.breakdown == breakdown}

    def total(self, breakdown: str | None = None) -> int:
        return sum(self.as_dict(breakdown).values())

    def to_rows(self) -> list[Row]:
        return [
            {"active_periods": b.active_periods, "breakdown": b.breakdown, "actors": b.actors}
            for b in self.bins
        ]


@dataclass(frozen=True)
class Ratio:
    numerator: int
    denominator: int
    breakdown: str | None = None

    @property
    def value(self) -> float:
        return ratio(self.numerator, self.denominator)


@dataclass(frozen=True)
class Adoption:
    ratios: tuple[Ratio, ...]

    def get(self, breakdown: str | None = None) -> Ratio:
        found = [r for r in self.ratios if r.breakdown == breakdown]
        return found[0] if found else Ratio(0, 0, breakdown)

    @property
    def value(self) -> float:
        return self.get().value

    def to_rows(self) -> list[Row]:
        return [
            {
                "breakdown": r.breakdown,
                "numerator": r.numerator,
                "denominator": r.denominator,
                "adoption": r.value,
            }
            for r in self.ratios
        ]


@dataclass(frozen=True)
class Cohort:
    """One cohort; ``retained[n]``/``rates[n]`` for period n = 0..periods, None if not reached."""

    period: date
    size: int
    retained: tuple[int | None, ...]
    breakdown: str | None = None

    @property
    def rates(self) -> tuple[float | None, ...]:
        return tuple(None if r is None else ratio(r, self.size) for r in self.retained)


@dataclass(frozen=True)
class MeanRow:
    """Size-weighted mean of the cohorts' rates per period, over cohorts that reached it."""

    rates: tuple[float | None, ...]
    breakdown: str | None = None


@dataclass(frozen=True)
class RetentionTable:
    periods: int
    cohorts: tuple[Cohort, ...]
    means: tuple[MeanRow, ...]

    def cohort(self, period: date, breakdown: str | None = None) -> Cohort | None:
        found = [c for c in self.cohorts if c.period == period and c.breakdown == breakdown]
        return found[0] if found else None

    def mean(self, breakdown: str | None = None) -> tuple[float | None, ...]:
        found = [m for m in self.means if m.breakdown == breakdown]
        return found[0].rates if found else (None,) * (self.periods + 1)

    def to_rows(self) -> list[Row]:
        rows: list[Row] = []
        for c in self.cohorts:
            rates = {f"period_{n}": rate for n, rate in enumerate(c.rates)}
            rows.append(
                {"cohort": c.period.isoformat(), "breakdown": c.breakdown, "size": c.size, **rates}
            )
        for m in self.means:
            rates = {f"period_{n}": rate for n, rate in enumerate(m.rates)}
            rows.append({"cohort": "mean", "breakdown": m.breakdown, "size": None, **rates})
        return rows


@dataclass(frozen=True)
class LifecycleRow:
    period: date
    new: int
    returning: int
    resurrecting: int
    dormant: int  # negative, as charted
    breakdown: str | None = None


@dataclass(frozen=True)
class LifecycleTable:
    grain: str
    rows: tuple[LifecycleRow, ...]

    def to_rows(self) -> list[Row]:
        return [
            {
                "period": r.period.isoformat(),
                "breakdown": r.breakdown,
                "new": r.new,
                "returning": r.returning,
                "resurrecting": r.resurrecting,
                "dormant": r.dormant,
            }
            for r in self.rows
        ]


@dataclass(frozen=True)
class StepCount:
    step: int  # 1-based
    name: str
    count: int
    breakdown: str | None = None


@dataclass(frozen=True)
class FunnelResult:
    steps: tuple[StepCount, ...]

    def counts(self, breakdown: str | None = None) -> list[int]:
        return [s.count for s in self.steps if s.breakdown == breakdown]

    def to_rows(self) -> list[Row]:
        rows: list[Row] = []
        for s in self.steps:
            first = self.counts(s.breakdown)[0]
            rows.append(
                {
                    "step": s.step,
                    "name": s.name,
                    "breakdown": s.breakdown,
                    "count": s.count,
                    "conversion": ratio(s.count, first),
                }
            )
        return rows


@dataclass(frozen=True)
class ActorDay:
    day: date
    actor: str
    breakdown: str | None = None


@dataclass(frozen=True)
class ActorDays:
    """The distinct actors of each day (and bucket), sorted by day, bucket and actor."""

    rows: tuple[ActorDay, ...]

    def actors(self, day: date, breakdown: str | None = None) -> set[str]:
        return {a.actor for a in self.rows if a.day == day and a.breakdown == breakdown}

    def to_rows(self) -> list[Row]:
        return [
            {"day": a.day.isoformat(), "breakdown": a.breakdown, "actor": a.actor}
            for a in self.rows
        ]


Result = Series | Histogram | Adoption | RetentionTable | LifecycleTable | FunnelResult | ActorDays
