"""run_many's plan: which definitions share one query.

- Feature adoptions equal but for their disjoint ranges (adoption per month) become one query
  grouped by range (queries/adoption.py ``build_features``): one pass over the activity.
- Active-user measures of one scope are built alike (with the WAU span ends when any of them
  needs WAU), so WAU, MAU and stickiness of one range compile to the same SQL and run once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from quarterdeck.metrics.engine.definitions import ActiveUsers, Definition, FeatureAdoption
from quarterdeck.metrics.engine.queries import active, adoption
from quarterdeck.metrics.engine.results import Result

Rows = list[tuple[Any, ...]]


@dataclass(frozen=True)
class Job:
    """One query: the definitions (by index) it answers and how to read its rows into them."""

    indices: tuple[int, ...]
    sql: str
    read: Callable[[Rows], list[Result]]


def plan(
    definitions: Sequence[Definition],
    today: Callable[[Definition], date],
    single: Callable[[Definition, date], tuple[str, Callable[[Rows], Result]]],
) -> list[Job]:
    """Jobs covering every definition once. ``single`` builds one definition's query."""
    grouped = _adoption_groups(definitions)
    in_group = {i for group in grouped for i in group}
    wau = _needs_wau(definitions)
    jobs = [_adoption_job(definitions, group, today) for group in grouped]
    for i, d in enumerate(definitions):
        if i in in_group:
            continue
        if isinstance(d, ActiveUsers) and d.measure != "active":
            sql = active.build(d, today(d), with_wau=wau.get(_scope_key(d), False))
            jobs.append(Job((i,), sql, _reader(active.read, d, today(d))))
            continue
        sql, read = single(d, today(d))
        jobs.append(Job((i,), sql, _one(read)))
    return jobs


def _one(read: Callable[[Rows], Result]) -> Callable[[Rows], list[Result]]:
    return lambda rows: [read(rows)]


def _reader(read: Callable[[Any, Any, date], Any], d: Definition, day: date) -> Any:
    return lambda rows: [read(d, rows, day)]


def _scope_key(d: ActiveUsers) -> Hashable:
    return replace(d, measure="mau")


def _needs_wau(definitions: Sequence[Definition]) -> dict[Hashable, bool]:
    found: dict[Hashable, bool] = defaultdict(bool)
    for d in definitions:
        if isinstance(d, ActiveUsers) and d.measure != "active":
            key = _scope_key(d)
            found[key] = found[key] or active.needs_wau(d.measure)
    return found


def _adoption_groups(definitions: Sequence[Definition]) -> list[tuple[int, ...]]:
    by_key: dict[Hashable, list[int]] = defaultdict(list)
    for i, d in enumerate(definitions):
        if isinstance(d, FeatureAdoption) and (key := adoption.merge_key(d)) is not None:
            by_key[key].append(i)
    groups = []
    for indices in by_key.values():
        ds = [definitions[i] for i in indices]
        if len(indices) > 1 and adoption.disjoint(ds):  # type: ignore[arg-type]
            groups.append(tuple(indices))
    return groups


def _adoption_job(
    definitions: Sequence[Definition], group: tuple[int, ...], today: Callable[[Definition], date]
) -> Job:
    ds = [definitions[i] for i in group]
    assert all(isinstance(d, FeatureAdoption) for d in ds)
    members: list[FeatureAdoption] = ds  # type: ignore[assignment]
    day = today(members[0])

    def read(rows: Rows) -> list[Result]:
        per: dict[int, Rows] = defaultdict(list)
        for row in rows:
            per[int(row[0])].append(tuple(row[1:]))
        return [adoption.read(d, per[n], day) for n, d in enumerate(members)]

    return Job(group, adoption.build_features(members, day), read)
