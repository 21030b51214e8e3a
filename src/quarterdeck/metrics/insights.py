"""Insights: a metric kind plus plain options (as analytics.queries checks them) → engine
definitions, and their results → one result. Django-free: the caller resolves a product and
portfolio features into a ``Scope`` first (analytics.services does).

Most kinds are one definition. Two are several, run together and combined here:
active users with several measures ("dau,wau,mau": one Series, the measure as its breakdown),
and feature adoption of portfolio features (one Adoption, one ratio per feature, labelled).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from quarterdeck.metrics.engine.definitions import (
    ActiveDaysHistogram,
    ActiveUsers,
    Definition,
    FeatureAdoption,
    Funnel,
    Lifecycle,
    Retention,
)
from quarterdeck.metrics.engine.matchers import Breakdown, Condition, DefinitionError, EventMatcher
from quarterdeck.metrics.engine.results import Adoption, Point, Ratio, Result, Series

KINDS: Final = (
    "active-users",
    "active-days",
    "feature-adoption",
    "retention",
    "lifecycle",
    "funnel",
)
MEASURES: Final = ("dau", "wau", "mau", "stickiness", "wau_mau", "active")
ANY: Final = "*"
COMBINED_MEASURE: Final = "value"  # the value column of a Series of several measures


@dataclass(frozen=True)
class Scope:
    """What the caller resolved: the product's filters (its sources and conditions), the usage
    matchers of the query's ``features`` (in order, labelled with the feature names) and the
    product's tracked features (for breakdown "feature")."""

    filters: tuple[Condition, ...] = ()
    features: tuple[EventMatcher, ...] = ()
    tracked: tuple[EventMatcher, ...] = ()


def matcher(step: str | Mapping[str, Any], where: Mapping[str, str] | None = None) -> EventMatcher:
    """An event name ('*' for any activity) or a ``{"event", "where"}`` step, with property
    conditions key = value (the step's own and ``where``)."""
    if isinstance(step, str):
        event, own = step, {}
    else:
        event, own = str(step["event"]), dict(step.get("where") or {})
    pairs = {**(where or {}), **own}
    conditions = tuple(Condition(key, "eq", value) for key, value in pairs.items())
    # A step's own conditions tell it apart from other steps of the same event (in a funnel).
    label = f"{event} ({', '.join(f'{k} = {v}' for k, v in own.items())})" if own else None
    return EventMatcher(event=None if event == ANY else event, where=conditions, label=label)


def definitions(
    kind: str,
    *,
    start: dt.date,
    end: dt.date,
    options: Mapping[str, Any],
    scope: Scope | None = None,
) -> list[Definition]:
    """The engine definitions of an insight; bad options raise DefinitionError (or ValueError
    for an unknown kind)."""
    scope = scope or Scope()
    if kind not in BUILDERS:
        raise ValueError(f"Unknown metric {kind!r}; use one of {', '.join(KINDS)}.")
    common: dict[str, Any] = {
        "start": start,
        "end": end,
        "actor": options.get("actor", "user"),
        "time_zone": options.get("time_zone", "UTC"),
        "filters": scope.filters,
        "breakdown": _breakdown(options.get("breakdown"), scope),
    }
    return BUILDERS[kind](common, options, scope)


def _breakdown(name: str | None, scope: Scope) -> Breakdown | None:
    if not name:
        return None
    if name == "feature":
        if not scope.tracked:
            raise DefinitionError(
                "breakdown", "breaking down by feature needs a product with tracked features."
            )
        return Breakdown.by_features(*scope.tracked)
    if name == "account":
        return Breakdown.by_account()
    if name == "plan":
        return Breakdown.by_plan()
    return Breakdown.by_property(name)


def _steps(options: Mapping[str, Any], scope: Scope) -> list[EventMatcher]:
    if options.get("features"):
        return list(scope.features)
    return [matcher(step, options.get("where")) for step in options.get("events") or []]


Common = dict[str, Any]


def _active_users(common: Common, options: Mapping[str, Any], scope: Scope) -> list[Definition]:
    active_on = tuple(_steps(options, scope))
    measures = str(options.get("measure", "dau")).split(",")
    grain = options.get("grain", "day")
    return [
        ActiveUsers(**common, measure=m, grain=grain, active_on=active_on)  # type: ignore[arg-type]
        for m in measures
    ]


def _active_days(common: Common, options: Mapping[str, Any], scope: Scope) -> list[Definition]:
    active_on = tuple(_steps(options, scope))
    return [ActiveDaysHistogram(**common, grain=options.get("grain", "day"), active_on=active_on)]


def _lifecycle(common: Common, options: Mapping[str, Any], scope: Scope) -> list[Definition]:
    active_on = tuple(_steps(options, scope))
    return [Lifecycle(**common, grain=options.get("grain", "day"), active_on=active_on)]


def _adoption(common: Common, options: Mapping[str, Any], scope: Scope) -> list[Definition]:
    steps = _steps(options, scope)
    if not steps:
        raise DefinitionError("events", "feature adoption needs an event or features.")
    if options.get("features") and common["breakdown"] is not None:
        raise DefinitionError(
            "breakdown", "adoption of portfolio features is one bar per feature already."
        )
    extra = {
        "denominator": options.get("denominator", "active"),
        "min_uses": int(options.get("min_uses", 1)),
    }
    return [FeatureAdoption(**common, feature=step, **extra) for step in steps]


def _retention(common: Common, options: Mapping[str, Any], scope: Scope) -> list[Definition]:
    steps = _steps(options, scope) or [matcher(ANY)]
    return [
        Retention(
            **common,
            start_event=steps[0],
            return_event=steps[1] if len(steps) > 1 else None,
            mode=options.get("mode", "on"),
            cohort_type=options.get("cohort_type", "first_time"),
            periods=int(options.get("periods", 7)),
            grain=options.get("grain", "day"),
        )
    ]


def _funnel(common: Common, options: Mapping[str, Any], scope: Scope) -> list[Definition]:
    steps = _steps(options, scope)
    if len(steps) < 2:
        raise DefinitionError("events", "a funnel needs at least two steps.")
    return [
        Funnel(
            **common,
            steps=tuple(steps),
            mode=options.get("mode", "ordered"),
            window=dt.timedelta(days=int(options.get("window_days", 14))),
        )
    ]


Builder = Callable[[Common, Mapping[str, Any], Scope], list[Definition]]
BUILDERS: Final[dict[str, Builder]] = {
    "active-users": _active_users,
    "active-days": _active_days,
    "feature-adoption": _adoption,
    "retention": _retention,
    "lifecycle": _lifecycle,
    "funnel": _funnel,
}


def combine(
    definitions: Sequence[Definition], results: Sequence[Result], *, by_feature: bool = False
) -> Result:
    """One result for the definitions of one insight (see the module docstring).
    ``by_feature``: the definitions are adoptions of portfolio features, one ratio each."""
    first = definitions[0]
    if by_feature and isinstance(first, FeatureAdoption):
        return _adoption_by_feature(definitions, results)
    if len(results) == 1:
        return results[0]
    assert isinstance(first, ActiveUsers)
    points = []
    for definition, result in zip(definitions, results, strict=True):
        assert isinstance(definition, ActiveUsers)
        assert isinstance(result, Series)
        points += [Point(p.period, p.value, definition.measure) for p in result.points]
    return Series(COMBINED_MEASURE, first.grain, tuple(points))


def _adoption_by_feature(definitions: Sequence[Definition], results: Sequence[Result]) -> Adoption:
    ratios = []
    for definition, result in zip(definitions, results, strict=True):
        assert isinstance(definition, FeatureAdoption)
        assert isinstance(result, Adoption)
        total = result.get()
        ratios.append(Ratio(total.numerator, total.denominator, definition.feature.name))
    return Adoption(tuple(ratios))
