"""An insight query: a metric kind, an optional product, a date range and plain options — what
the API's POST /metrics/run, the insight builder's form, saved insights and `quarterdeck metrics
run` all send. ``parse_query`` checks its shape (no database); services.insight_run resolves the
product and features and runs it.

Data keys (JSON body, form or query string; empty values count as absent):

- ``kind``: one of metrics.insights.KINDS; ``product_id``: scope to that product's tracking;
- ``start`` / ``end`` (YYYY-MM-DD, both included), or ``last_days`` N (the N days ending today
  in ``time_zone``; kept as N, so a saved insight keeps rolling);
- options, as `quarterdeck metrics run` names them: ``events`` (names, '*' = any activity, or
  ``{"event": ..., "where": {...}}`` steps), ``where`` (KEY=VALUE conditions on those events),
  ``measure`` (one, or several comma-separated: "dau,wau,mau" gives one line per measure),
  ``grain``, ``actor``, ``mode``, ``periods``, ``window_days``, ``denominator``, ``breakdown``
  (an event property; "feature": the product's tracked features; "account"; "plan"),
  ``time_zone``, ``min_uses``, ``cohort_type``, and ``features`` (portfolio feature ids, used
  through their usage definitions instead of ``events``).

Options that do not apply to the kind are dropped; unknown names are errors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from quarterdeck.lib.errors import InvalidInput
from quarterdeck.lib.fields import parse_date
from quarterdeck.metrics.engine.definitions import MAX_DAYS, MAX_STEPS
from quarterdeck.metrics.insights import KINDS, MEASURES

Errors = dict[str, list[str]]

CHOICES: Final[dict[str, tuple[str, ...]]] = {
    "grain": ("day", "week", "month"),
    "actor": ("user", "account"),
    "denominator": ("active", "all"),
    "cohort_type": ("first_time", "recurring"),
}
MODES: Final = {"retention": ("on", "on_or_after"), "funnel": ("ordered", "strict", "unordered")}
NUMBERS: Final = {"periods": (1, 400), "window_days": (1, 366), "min_uses": (1, 1_000_000)}
SCOPE_KEYS: Final = ("kind", "product_id", "start", "end", "last_days")
# Which options each kind reads; the others are dropped.
APPLIES: Final[dict[str, frozenset[str]]] = {
    "active-users": frozenset({"measure", "grain", "events", "where", "features"}),
    "active-days": frozenset({"grain", "events", "where", "features"}),
    "lifecycle": frozenset({"grain", "events", "where", "features"}),
    "feature-adoption": frozenset({"events", "where", "features", "denominator", "min_uses"}),
    "retention": frozenset(
        {"events", "where", "features", "mode", "periods", "grain", "cohort_type"}
    ),
    "funnel": frozenset({"events", "where", "features", "mode", "window_days"}),
}
COMMON: Final = frozenset({"actor", "time_zone", "breakdown"})
OPTIONS: Final = frozenset().union(*APPLIES.values(), COMMON)
LIST_KEYS: Final = ("events", "features", "where")


@dataclass(frozen=True, kw_only=True)
class InsightQuery:
    """A checked query. ``options`` holds only the options given that apply to ``kind``, in
    normal form (numbers as int, ``where`` as a dict, ``events`` as names or step dicts)."""

    kind: str
    product_id: int | None = None
    start: dt.date
    end: dt.date
    options: Mapping[str, Any] = field(default_factory=dict)
    last_days: int | None = None

    def to_data(self) -> dict[str, Any]:
        """Plain JSON data that parse_query reads back into this query."""
        data: dict[str, Any] = {"kind": self.kind}
        if self.product_id is not None:
            data["product_id"] = self.product_id
        if self.last_days is not None:
            data["last_days"] = self.last_days
        else:
            data["start"], data["end"] = self.start.isoformat(), self.end.isoformat()
        return {**data, **self.options}

    @property
    def time_zone(self) -> str:
        return str(self.options.get("time_zone", "UTC"))


def parse_query(data: Mapping[str, Any], *, today: dt.date | None = None) -> InsightQuery:
    """A query from JSON, form or query-string data (a QueryDict's repeated keys are lists).

    Raises InvalidInput with a message per bad field. ``today`` (default: today in the query's
    time zone) anchors ``last_days``."""
    raw = _plain(data)
    errors: Errors = {}
    unknown = sorted(set(raw) - set(SCOPE_KEYS) - OPTIONS)
    for name in unknown:
        errors[name] = [f"Unknown field; use {', '.join((*SCOPE_KEYS, *sorted(OPTIONS)))}."]
    kind = _kind(raw.get("kind"), errors)
    options = _options(kind, raw, errors)
    product_id = _whole(raw.get("product_id"), "product_id", (1, 2**63 - 1), errors)
    zone = str(options.get("time_zone", "UTC"))
    start, end, last_days = _range(raw, today or _today(zone), errors)
    if errors:
        field_name, messages = next(iter(errors.items()))
        raise InvalidInput(f"Invalid insight query — {field_name}: {messages[0]}", fields=errors)
    assert kind is not None
    assert start is not None
    assert end is not None
    return InsightQuery(
        kind=kind,
        product_id=product_id,
        start=start,
        end=end,
        options=options,
        last_days=last_days,
    )


def _today(zone: str) -> dt.date:
    try:
        return dt.datetime.now(ZoneInfo(zone)).date()
    except (ZoneInfoNotFoundError, ValueError):
        return dt.datetime.now(dt.UTC).date()


def _present(value: Any) -> bool:
    return value is not None and value != "" and value != []


def _plain(data: Mapping[str, Any]) -> dict[str, Any]:
    """A dict without empty values; a QueryDict's list keys as lists, the others as one value."""
    getlist: Callable[[str], list[Any]] | None = getattr(data, "getlist", None)
    plain: dict[str, Any] = {}
    for key in data:
        if getlist is not None:
            values = [v for v in getlist(key) if _present(v)]
            value: Any = values if key in LIST_KEYS else (values[-1] if values else None)
        else:
            value = data[key]
        if _present(value):
            plain[str(key)] = value
    return plain


def _kind(raw: Any, errors: Errors) -> str | None:
    if raw is None:
        errors["kind"] = [f"Required: one of {', '.join(KINDS)}."]
        return None
    if raw not in KINDS:
        errors["kind"] = [f"{raw!r} is not a kind of insight; use one of {', '.join(KINDS)}."]
        return None
    return str(raw)


def _date(raw: Any, name: str, errors: Errors) -> dt.date | None:
    return parse_date(raw, name, errors)


def _range(
    raw: Mapping[str, Any], today: dt.date, errors: Errors
) -> tuple[dt.date | None, dt.date | None, int | None]:
    if "last_days" in raw:
        if "start" in raw or "end" in raw:
            errors["last_days"] = ["Give either last_days or start and end, not both."]
        days = _whole(raw["last_days"], "last_days", (1, MAX_DAYS), errors)
        if days is None:
            return None, None, None
        return today - dt.timedelta(days=days - 1), today, days
    given: dict[str, dt.date | None] = {}
    for name in ("start", "end"):
        if name not in raw:
            errors[name] = ["Required (YYYY-MM-DD), unless last_days is given."]
        given[name] = _date(raw[name], name, errors) if name in raw else None
    start, end = given["start"], given["end"]
    if start is not None and end is not None:
        if end < start:
            errors["end"] = [f"{end} is before start {start}."]
        elif (end - start).days >= MAX_DAYS:
            errors["end"] = [
                f"A range is at most {MAX_DAYS} days; this one has {(end - start).days + 1}."
            ]
    return start, end, None


def _whole(raw: Any, name: str, bounds: tuple[int, int], errors: Errors) -> int | None:
    if raw is None:
        return None
    low, high = bounds
    if isinstance(raw, bool) or not isinstance(raw, int | str) or not str(raw).strip().isdigit():
        errors[name] = [f"{raw!r} is not a whole number."]
        return None
    value = int(raw)
    if not low <= value <= high:
        errors[name] = [f"Must be between {low} and {high}, got {value}."]
        return None
    return value


def _options(kind: str | None, raw: Mapping[str, Any], errors: Errors) -> dict[str, Any]:
    applies = COMMON | (APPLIES[kind] if kind else OPTIONS)
    options: dict[str, Any] = {}
    for name in sorted(applies & set(raw)):
        value = _option(kind, name, raw[name], errors)
        if value is not None:
            options[name] = value
    if kind is not None and not any(name in errors for name in ("events", "features")):
        _check_steps(kind, options, errors)
    return options


def _option(kind: str | None, name: str, value: Any, errors: Errors) -> Any:
    if name in NUMBERS:
        return _whole(value, name, NUMBERS[name], errors)
    checks: dict[str, Callable[[Any, Errors], Any]] = {
        "events": _events,
        "where": _where,
        "features": _features,
        "measure": _measure,
        "time_zone": _zone,
        "breakdown": _breakdown,
    }
    if name in checks:
        return checks[name](value, errors)
    allowed = MODES.get(kind or "", ()) if name == "mode" else CHOICES[name]
    if value not in allowed:
        errors[name] = [f"{value!r} is not one of {', '.join(allowed)}."]
        return None
    return value


def _text(value: Any, limit: int = 200) -> bool:
    return isinstance(value, str) and 0 < len(value.strip()) <= limit and "\x00" not in value


def _events(value: Any, errors: Errors) -> list[Any] | None:
    items = value if isinstance(value, list | tuple) else [value]
    steps: list[Any] = []
    for number, item in enumerate(items, start=1):
        step = _step(item)
        if step is None:
            errors.setdefault("events", []).append(
                f"Step {number}: expected an event name (1-200 characters, '*' for any "
                'activity) or {"event": NAME, "where": {KEY: VALUE}}.'
            )
        steps.append(step)
    if len(steps) > MAX_STEPS:
        errors.setdefault("events", []).append(f"At most {MAX_STEPS} events.")
    return None if "events" in errors else steps


def _step(item: Any) -> Any:
    if _text(item):
        return str(item).strip()
    if not isinstance(item, Mapping) or set(item) - {"event", "where"}:
        return None
    if not _text(item.get("event")):
        return None
    where = _where(item.get("where") or {}, {})
    if where is None:
        return None
    event = str(item["event"]).strip()
    return {"event": event, "where": where} if where else event


def _where(value: Any, errors: Errors) -> dict[str, str] | None:
    """A dict, or KEY=VALUE strings (a form's or the CLI's repeated field)."""
    pairs: list[tuple[Any, Any]]
    if isinstance(value, Mapping):
        pairs = list(value.items())
    else:
        texts = value if isinstance(value, list | tuple) else [value]
        pairs = [str(t).partition("=")[::2] if "=" in str(t) else (t, None) for t in texts]
    found: dict[str, str] = {}
    for key, item in pairs:
        if not _text(key) or not isinstance(item, str) or "\x00" in item:
            errors.setdefault("where", []).append(
                f"{key!r}: expected KEY=VALUE with a property name and a text value."
            )
            continue
        found[str(key).strip()] = item
    return None if "where" in errors else found


def _features(value: Any, errors: Errors) -> list[int] | None:
    items = value if isinstance(value, list | tuple) else [value]
    ids = [_whole(item, "features", (1, 2**63 - 1), {}) for item in items]
    if any(i is None for i in ids) or not ids:
        errors["features"] = ["Expected a list of feature ids (whole numbers)."]
        return None
    return list(dict.fromkeys(i for i in ids if i is not None))


def _measure(value: Any, errors: Errors) -> str | None:
    names = value if isinstance(value, list | tuple) else str(value).split(",")
    measures = [str(n).strip() for n in names if str(n).strip()]
    bad = [m for m in measures if m not in MEASURES]
    if bad or not measures:
        errors["measure"] = [f"{bad or value!r}: use one or more of {', '.join(MEASURES)}."]
        return None
    return ",".join(dict.fromkeys(measures))


def _zone(value: Any, errors: Errors) -> str | None:
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        errors["time_zone"] = [f"{value!r} is not an IANA zone such as 'Europe/Berlin'."]
        return None
    return str(value)


def _breakdown(value: Any, errors: Errors) -> str | None:
    if not _text(value):
        errors["breakdown"] = ["Expected a property name, or feature, account or plan."]
        return None
    return str(value).strip()


def _check_steps(kind: str, options: Mapping[str, Any], errors: Errors) -> None:
    events, features = options.get("events", []), options.get("features", [])
    if events and features:
        errors["features"] = ["Give events or features, not both."]
    count = len(events or features)
    if kind == "funnel" and count < 2:
        errors["events"] = ["A funnel needs at least two steps (events or features)."]
    elif kind == "feature-adoption" and count == 0:
        errors["events"] = ["Feature adoption needs an event, or features."]
    elif kind == "feature-adoption" and len(events) > 1:
        errors["events"] = ["Feature adoption takes one event; use features for several."]
    elif kind == "retention" and count > 2:
        errors["events"] = ["Retention takes a start and a return event at most."]
    if "," in str(options.get("measure", "")) and "breakdown" in options:
        errors["breakdown"] = ["Several measures are already one line each: drop the breakdown."]
