"""Validation of roadmap input: the board's filters (from a query string, a form or a saved
view's JSON) and saved views, with errors collected per field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from quarterdeck.lib.errors import InvalidInput
from quarterdeck.portfolio.models import Stage
from quarterdeck.roadmap.models import Lane, Layout

Errors = dict[str, list[str]]
GRAINS = ("month", "quarter")
VIEW_FIELDS = {"name", "description", "layout", "filters", "shared"}


@dataclass(frozen=True)
class BoardFilters:
    """What the board and the timeline show. Empty means everything."""

    line_id: int | None = None
    product_id: int | None = None
    owner_id: int | None = None
    stages: tuple[str, ...] = ()
    lanes: tuple[str, ...] = ()
    grain: str = "quarter"
    start: dt.date | None = None
    end: dt.date | None = None

    def to_json(self) -> dict[str, Any]:
        """The saved-view form: only what differs from the default, dates as ISO text."""
        data = asdict(self)
        out: dict[str, Any] = {}
        for key, value in data.items():
            if value in (None, (), "") or (key == "grain" and value == "quarter"):
                continue
            if isinstance(value, dt.date):
                value = value.isoformat()
            out[key] = list(value) if isinstance(value, tuple) else value
        return out

    def query(self) -> str:
        """The filters as a query string (for links to exports and the timeline)."""
        from urllib.parse import urlencode

        pairs = []
        for key, value in self.to_json().items():
            pairs.append((key, ",".join(value) if isinstance(value, list) else str(value)))
        return urlencode(pairs)


def _int(data: Mapping[str, Any], key: str, errors: Errors) -> int | None:
    raw = data.get(key)
    if raw in (None, ""):
        return None
    if isinstance(raw, bool):
        errors[key] = ["Expected an id (a whole number)."]
        return None
    try:
        value = int(str(raw).strip())
    except ValueError:
        errors[key] = [f"Expected an id (a whole number), got {raw!r}."]
        return None
    if value < 1:
        errors[key] = ["Expected an id ≥ 1."]
        return None
    return value


def _choices(
    data: Mapping[str, Any], key: str, allowed: list[str], errors: Errors
) -> tuple[str, ...]:
    raw = data.get(key)
    if raw in (None, ""):
        return ()
    items = raw.split(",") if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
        errors[key] = ["Expected a list of names."]
        return ()
    values = tuple(dict.fromkeys(i.strip() for i in items if i.strip()))
    unknown = [v for v in values if v not in allowed]
    if unknown:
        errors[key] = [f"Unknown {', '.join(map(repr, unknown))}; use {', '.join(allowed)}."]
    return values


def _date(data: Mapping[str, Any], key: str, errors: Errors) -> dt.date | None:
    raw = data.get(key)
    if raw in (None, ""):
        return None
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw).strip())
    except ValueError:
        errors[key] = [f"Expected a date YYYY-MM-DD, got {raw!r}."]
        return None


def clean_filters(data: Mapping[str, Any], *, prefix: str = "") -> BoardFilters:
    """Filters from a query string, form or JSON; InvalidInput naming each bad field."""
    errors: Errors = {}
    grain = str(data.get("grain") or "quarter")
    if grain not in GRAINS:
        errors["grain"] = [f"Unknown grain {grain!r}; use month or quarter."]
    filters = BoardFilters(
        line_id=_int(data, "line_id", errors),
        product_id=_int(data, "product_id", errors),
        owner_id=_int(data, "owner_id", errors),
        stages=_choices(data, "stages", list(Stage.values), errors),
        lanes=_choices(data, "lanes", list(Lane.values), errors),
        grain=grain,
        start=_date(data, "start", errors),
        end=_date(data, "end", errors),
    )
    if filters.start and filters.end and filters.end < filters.start:
        errors["end"] = ["The end is before the start."]
    if errors:
        fields = {f"{prefix}{key}": value for key, value in errors.items()}
        detail = "; ".join(f"{key}: {' '.join(value)}" for key, value in fields.items())
        raise InvalidInput(f"The roadmap filters are not valid ({detail})", fields=fields)
    return filters


def _text(data: Mapping[str, Any], key: str, errors: Errors, *, limit: int) -> str:
    value = data.get(key)
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[key] = ["Expected a text."]
        return ""
    if len(value.strip()) > limit:
        errors[key] = [f"At most {limit} characters (this one has {len(value.strip())})."]
    return value.strip()


def clean_view(data: Mapping[str, Any], *, partial: bool) -> dict[str, Any]:
    """The fields of a saved view present in ``data`` (all of name required unless partial)."""
    unknown = sorted(set(data) - VIEW_FIELDS)
    if unknown:
        raise InvalidInput(
            f"Unknown field(s): {', '.join(unknown)}.",
            fields={key: ["Not a field of a roadmap view."] for key in unknown},
        )
    errors: Errors = {}
    clean: dict[str, Any] = {}
    if "name" in data or not partial:
        clean["name"] = _text(data, "name", errors, limit=200)
        if not clean["name"] and "name" not in errors:
            errors["name"] = ["A name is required."]
    if "description" in data:
        clean["description"] = _text(data, "description", errors, limit=5000)
    if "layout" in data or not partial:
        clean["layout"] = data.get("layout") or Layout.BOARD
        if clean["layout"] not in Layout.values:
            errors["layout"] = [f"Unknown layout {clean['layout']!r}; use board or timeline."]
    if "shared" in data:
        if not isinstance(data["shared"], bool):
            errors["shared"] = ["Expected true or false."]
        clean["shared"] = data["shared"] is True
    if "filters" in data or not partial:
        clean["filters"] = _view_filters(data.get("filters") or {}, errors)
    if errors:
        raise InvalidInput("The roadmap view is not valid.", fields=errors)
    return clean


def _view_filters(raw: Any, errors: Errors) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        errors["filters"] = ["Expected an object of filters."]
        return {}
    try:
        return clean_filters(raw, prefix="filters.").to_json()
    except InvalidInput as error:
        errors.update(error.fields)
        return {}
