"""Metric definitions (METRICS_SPEC §1-§5) as frozen, self-validating dataclasses.

Every definition shares a scope (``_Scope``): a date range of calendar days in the workspace time
zone (both ends included), the actor (persons or accounts), global filters and an optional
breakdown. Constructing a definition with a bad value raises ``DefinitionError`` naming the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from quarterdeck.metrics.engine.matchers import (
    Breakdown,
    Condition,
    DefinitionError,
    Eligibility,
    EventMatcher,
    Product,
)

Grain = Literal["day", "week", "month"]
Actor = Literal["user", "account"]
Measure = Literal["dau", "wau", "mau", "stickiness", "wau_mau", "active"]
Denominator = Literal["active", "eligible", "all"]
RetentionMode = Literal["on", "on_or_after"]
CohortType = Literal["first_time", "recurring"]
FunnelMode = Literal["ordered", "strict", "unordered"]

MAX_DAYS: Final = 3660  # ten years of days keeps the inlined calendars small
MAX_STEPS: Final = 20


def _choice(field: str, value: object, allowed: type | object) -> None:
    options = get_args(allowed)
    if value not in options:
        raise DefinitionError(field, f"{value!r} is not one of {options}.")


@dataclass(frozen=True, kw_only=True)
class _Scope:
    start: date
    end: date
    actor: Actor = "user"
    time_zone: str = "UTC"
    filters: tuple[Condition, ...] = ()
    breakdown: Breakdown | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.start, date) or not isinstance(self.end, date):
            raise DefinitionError("start/end", "expected dates.")
        if self.end < self.start:
            raise DefinitionError("end", f"{self.end} is before start {self.start}.")
        if (self.end - self.start).days >= MAX_DAYS:
            raise DefinitionError("end", f"a range is at most {MAX_DAYS} days.")
        _choice("actor", self.actor, Actor)
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise DefinitionError(
                "time_zone", f"{self.time_zone!r} is not an IANA zone such as 'Europe/Berlin'."
            ) from exc
        if not isinstance(self.filters, tuple):
            raise DefinitionError("filters", "expected a tuple of Conditions.")


@dataclass(frozen=True, kw_only=True)
class ActiveUsers(_Scope):
    """DAU/WAU/MAU (rolling 1/7/30 days ending on each day), stickiness = DAU/MAU, WAU/MAU.

    grain="day" gives the daily values; week/month give each period's mean of the daily values
    (stickiness with grain week = stickiness_avg(week)). measure="active" counts distinct actors
    per calendar period instead. ``active_on`` narrows "active" to events matching any matcher.
    """

    measure: Measure = "dau"
    grain: Grain = "day"
    active_on: tuple[EventMatcher, ...] = ()

    def __post_init__(self) -> None:
        super().__post_init__()
        _choice("measure", self.measure, Measure)
        _choice("grain", self.grain, Grain)


@dataclass(frozen=True, kw_only=True)
class ActiveDaysHistogram(_Scope):
    """Actors bucketed by their number of distinct active days (or weeks/months) in the range."""

    grain: Grain = "day"
    active_on: tuple[EventMatcher, ...] = ()

    def __post_init__(self) -> None:
        super().__post_init__()
        _choice("grain", self.grain, Grain)


@dataclass(frozen=True, kw_only=True)
class FeatureAdoption(_Scope):
    """Actors who used ``feature`` at least ``min_uses`` times in the range / the denominator."""

    feature: EventMatcher
    denominator: Denominator = "active"
    min_uses: int = 1
    eligibility: Eligibility | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        _choice("denominator", self.denominator, Denominator)
        if isinstance(self.min_uses, bool) or not isinstance(self.min_uses, int):
            raise DefinitionError("min_uses", "expected a whole number.")
        if self.min_uses < 1:
            raise DefinitionError("min_uses", f"must be at least 1, got {self.min_uses}.")
        if self.denominator == "eligible" and self.eligibility is None:
            raise DefinitionError("eligibility", "denominator 'eligible' needs an Eligibility.")
        if self.breakdown is not None and self.denominator != "active":
            raise DefinitionError("breakdown", "only the 'active' denominator can be broken down.")


@dataclass(frozen=True, kw_only=True)
class ProductAdoption(_Scope):
    """Actors created (signed up) in the range who were active in ``product`` in the range /
    actors created in the range. ``signup`` overrides creation with a first matching event."""

    product: Product
    signup: EventMatcher | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.breakdown is not None:
            raise DefinitionError("breakdown", "product adoption has no breakdown.")


@dataclass(frozen=True, kw_only=True)
class Retention(_Scope):
    """Cohorts by period of ``start_event`` in the range; rates for periods 0..``periods``.

    ``return_event`` None means any activity. ``as_of`` (default: today in the workspace zone)
    decides which cohorts have reached period N; later cells are None.
    """

    start_event: EventMatcher
    return_event: EventMatcher | None = None
    mode: RetentionMode = "on"
    cohort_type: CohortType = "first_time"
    periods: int = 7
    grain: Grain = "day"
    as_of: date | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        _choice("mode", self.mode, RetentionMode)
        _choice("cohort_type", self.cohort_type, CohortType)
        _choice("grain", self.grain, Grain)
        if isinstance(self.periods, bool) or not isinstance(self.periods, int):
            raise DefinitionError("periods", "expected a whole number.")
        if not 1 <= self.periods <= 400:
            raise DefinitionError("periods", f"must be between 1 and 400, got {self.periods}.")


@dataclass(frozen=True, kw_only=True)
class Lifecycle(_Scope):
    """new / returning / resurrecting / dormant actors for each period of the range."""

    grain: Grain = "day"
    active_on: tuple[EventMatcher, ...] = ()

    def __post_init__(self) -> None:
        super().__post_init__()
        _choice("grain", self.grain, Grain)


@dataclass(frozen=True)
class Exclusion:
    """Drop a conversion attempt with a ``matcher`` event between steps ``from_step`` and
    ``to_step`` (1-based)."""

    matcher: EventMatcher
    from_step: int = 1
    to_step: int = 2


@dataclass(frozen=True, kw_only=True)
class Funnel(_Scope):
    """Actors entering step 1 in the range, and how many reach each step within ``window``."""

    steps: tuple[EventMatcher, ...]
    mode: FunnelMode = "ordered"
    window: timedelta = timedelta(days=14)
    exclusions: tuple[Exclusion, ...] = ()

    def __post_init__(self) -> None:
        super().__post_init__()
        _choice("mode", self.mode, FunnelMode)
        if not isinstance(self.steps, tuple) or not 2 <= len(self.steps) <= MAX_STEPS:
            count = len(self.steps) if isinstance(self.steps, tuple) else "no tuple"
            raise DefinitionError(
                "steps", f"a funnel needs 2 to {MAX_STEPS} steps (a tuple), got {count}."
            )
        if not isinstance(self.window, timedelta) or self.window <= timedelta(0):
            raise DefinitionError("window", "expected a positive timedelta.")
        for exclusion in self.exclusions:
            self._check_exclusion(exclusion)

    def _check_exclusion(self, exclusion: Exclusion) -> None:
        if self.mode == "unordered":
            raise DefinitionError("exclusions", "an unordered funnel has no 'between steps'.")
        if not 1 <= exclusion.from_step < exclusion.to_step <= len(self.steps):
            raise DefinitionError(
                "exclusions",
                f"steps {exclusion.from_step}→{exclusion.to_step} are not two steps of this "
                f"{len(self.steps)}-step funnel in order.",
            )


@dataclass(frozen=True, kw_only=True)
class DailyActors(_Scope):
    """The distinct actors active on each day of the range (per bucket), for callers that keep
    daily sets and count rolling windows themselves. ``active_on`` as in ActiveUsers."""

    active_on: tuple[EventMatcher, ...] = ()


Definition = (
    ActiveUsers
    | ActiveDaysHistogram
    | FeatureAdoption
    | ProductAdoption
    | Retention
    | Lifecycle
    | Funnel
    | DailyActors
)
