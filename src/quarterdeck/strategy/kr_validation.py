"""Validation of key result input and key result check-ins, with errors collected per field.
Values missing from ``data`` keep the key result's current value (or the default on create:
the outcome's dates, the direction baseline → target implies)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from quarterdeck.lib.errors import InvalidInput
from quarterdeck.portfolio.validation import only_fields, raise_if
from quarterdeck.strategy.models import Direction, KeyResult, Outcome, Source
from quarterdeck.strategy.validation import Errors, parse_date, parse_number, text, weight

KR_FIELDS = {
    "title",
    "source",
    "metric",
    "unit",
    "baseline",
    "target",
    "direction",
    "start",
    "end",
    "weight",
    "position",
}


def _kr_current(kr: KeyResult | None, outcome: Outcome) -> dict[str, Any]:
    if kr is None:
        return {"title": "", "source": None, "metric": {}, "unit": "", "baseline": None,
                "target": None, "direction": None, "start": outcome.start, "end": outcome.end,
                "weight": 1.0, "position": 0}  # fmt: skip
    return {name: getattr(kr, name) for name in KR_FIELDS}


def _direction(values: Mapping[str, Any], data: Mapping[str, Any], errors: Errors) -> str | None:
    """Given: it must agree with baseline → target. Left out: it follows from them."""
    baseline = parse_number(values["baseline"], "baseline", errors)
    target = parse_number(values["target"], "target", errors)
    if baseline is None or target is None:
        return None
    if baseline == target:
        errors["target"] = ["The target must differ from the baseline."]
        return None
    implied = Direction.INCREASE if target > baseline else Direction.DECREASE
    given = data.get("direction")
    if given is None:
        return implied
    if given not in Direction.values:
        errors["direction"] = [f"Unknown direction {given!r}; use increase or decrease."]
    elif given != implied:
        errors["direction"] = [
            f"From {baseline:g} to {target:g} is a {implied.value}, not a {given}."
        ]
    return str(given)


def _kr_dates(outcome: Outcome, values: Mapping[str, Any], errors: Errors) -> dict[str, Any]:
    start = parse_date(values["start"], "start", errors) or outcome.start
    end = parse_date(values["end"], "end", errors) or outcome.end
    for name, day in (("start", start), ("end", end)):
        if name not in errors and not outcome.start <= day <= outcome.end:
            errors[name] = [f"Inside the outcome's period, {outcome.start} to {outcome.end}."]
    if "end" not in errors and start > end:
        errors["end"] = ["The end date comes before the start date."]
    return {"start": start, "end": end}


def _metric(source: Any, values: Mapping[str, Any], errors: Errors) -> dict[str, Any]:
    from quarterdeck.strategy.bindings import check_binding

    if source not in Source.values:
        errors["source"] = [f"Unknown source {source!r}; use {', '.join(Source.values)}."]
        return {}
    metric = values["metric"] if values["metric"] is not None else {}
    if not isinstance(metric, Mapping):
        errors["metric"] = ["Expected an object with the metric's parameters."]
        return {}
    try:
        return check_binding(str(source), metric)
    except InvalidInput as exc:
        errors |= exc.fields or {"metric": [exc.message]}
        return {}


def _position(raw: Any, errors: Errors) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
        return raw
    if isinstance(raw, str) and raw.isdigit():
        return int(raw)
    errors["position"] = ["A whole number, 0 or more."]
    return 0


def clean_key_result(
    kr: KeyResult | None, outcome: Outcome, data: Mapping[str, Any]
) -> dict[str, Any]:
    """The key result's field values; InvalidInput naming every field in error."""
    only_fields(KR_FIELDS, data)
    values = {**_kr_current(kr, outcome), **data}
    errors: Errors = {}
    clean: dict[str, Any] = {
        "title": text(values["title"], "title", errors, limit=300, required=True),
        "unit": text(values["unit"], "unit", errors, limit=30),
        "source": values["source"],
        "weight": weight(values["weight"], errors),
        "position": _position(values["position"], errors),
        "direction": _direction(values, data, errors),
        "baseline": values["baseline"],
        "target": values["target"],
        **_kr_dates(outcome, values, errors),
    }
    clean["metric"] = _metric(values["source"], values, errors)
    raise_if(errors)
    clean["baseline"], clean["target"] = float(clean["baseline"]), float(clean["target"])
    return clean


def clean_kr_check_in(kr: KeyResult, data: Mapping[str, Any], today: dt.date) -> dict[str, Any]:
    """A value for a day inside the key result's dates, not in the future (manual: required)."""
    only_fields({"day", "value", "note"}, data)
    errors: Errors = {}
    day = parse_date(data.get("day"), "day", errors) or today
    if "day" not in errors and day > today:
        errors["day"] = ["A check-in cannot be for a day in the future."]
    elif "day" not in errors and not kr.start <= day <= kr.end:
        errors["day"] = [f"Inside the key result's dates, {kr.start} to {kr.end}."]
    raw = data.get("value")
    value = None if raw is None or raw == "" else parse_number(raw, "value", errors)
    if value is None and "value" not in errors and kr.source == Source.MANUAL:
        errors["value"] = ["A manual key result needs the value measured on that day."]
    note = text(data.get("note"), "note", errors, limit=20_000)
    raise_if(errors)
    return {"day": day, "value": value, "note": note}
