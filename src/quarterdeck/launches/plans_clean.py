"""Cleaning the fields of launch plans and tasks: each bad value becomes an InvalidInput naming
the field, so the API answers 400 and the forms show the message next to the field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, Final

from quarterdeck.launches.models import LaunchStatus, TaskFunction, TaskStatus
from quarterdeck.lib.errors import InvalidInput
from quarterdeck.people.models import Person

PLAN_FIELDS: Final = frozenset({"name", "launch_on", "owner_id", "notes", "phases", "status"})
CREATE_ONLY: Final = frozenset({"feature_id", "product_id", "template_id", "template"})
TASK_FIELDS: Final = frozenset(
    {"phase", "title", "function", "owner_id", "due_on", "status", "milestone", "notes"}
)
MIN_DAY: Final = dt.date(1990, 1, 1)
MAX_DAY: Final = dt.date(2200, 12, 31)


def fields_error(field: str, message: str) -> InvalidInput:
    return InvalidInput(f"{field}: {message}", fields={field: [message]})


def clean_date(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise fields_error(field, f"“{value}” is not a date (YYYY-MM-DD).") from None
    if not isinstance(value, dt.date):
        raise fields_error(field, "Expected a date (YYYY-MM-DD).")
    if not MIN_DAY <= value <= MAX_DAY:
        raise fields_error(field, "Expected a date between 1990 and 2200.")
    return value


def _optional_date(value: Any, field: str) -> dt.date | None:
    return None if value in (None, "") else clean_date(value, field)


def _text(limit: int, required: bool) -> Callable[[Any, str], str]:
    def clean(value: Any, field: str) -> str:
        text = str(value if value is not None else "").strip()
        if required and not text:
            raise fields_error(field, "Required.")
        if len(text) > limit:
            raise fields_error(field, f"At most {limit} characters.")
        if "\x00" in text:
            raise fields_error(field, "Holds a NUL character, which cannot be stored.")
        return text

    return clean


def _choice(allowed: list[str]) -> Callable[[Any, str], str]:
    def clean(value: Any, field: str) -> str:
        if value not in allowed:
            raise fields_error(field, f"One of: {', '.join(allowed)}.")
        return str(value)

    return clean


def _person(value: Any, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise fields_error(field, "Expected a person's id.") from None
    if not Person.objects.filter(pk=pk).exists():
        raise fields_error(field, f"There is no person with id {pk}.")
    return pk


def _bool(value: Any, field: str) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "on", "1", 1):
        return True
    if value in ("false", "off", "0", 0, "", None):
        return False
    raise fields_error(field, "Expected true or false.")


def _phases(value: Any, field: str) -> list[str]:
    from quarterdeck.launches.launch_templates import clean_phases

    try:
        return clean_phases(value)
    except ValueError as exc:
        raise fields_error(field, str(exc)) from None


PLAN_CLEANERS: Final[dict[str, Callable[[Any, str], Any]]] = {
    "name": _text(200, required=False),
    "launch_on": clean_date,
    "owner_id": _person,
    "notes": _text(20_000, required=False),
    "phases": _phases,
    "status": _choice(list(LaunchStatus.values)),
}
TASK_CLEANERS: Final[dict[str, Callable[[Any, str], Any]]] = {
    "phase": _text(100, required=True),
    "title": _text(300, required=True),
    "function": _choice(list(TaskFunction.values)),
    "owner_id": _person,
    "due_on": _optional_date,
    "status": _choice(list(TaskStatus.values)),
    "milestone": _bool,
    "notes": _text(20_000, required=False),
}


def _clean(
    data: Mapping[str, Any], cleaners: Mapping[str, Callable[[Any, str], Any]], skip: frozenset[str]
) -> dict[str, Any]:
    unknown = sorted(set(data) - set(cleaners) - skip)
    if unknown:
        raise fields_error(unknown[0], "Unknown field.")
    out: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, value in data.items():
        if name in skip:
            continue
        try:
            out[name] = cleaners[name](value, name)
        except InvalidInput as exc:
            errors.update(exc.fields)
    if errors:
        name, messages = next(iter(errors.items()))
        raise InvalidInput(f"{name}: {messages[0]}", fields=errors)
    return out


def clean_plan_fields(data: Mapping[str, Any], *, creating: bool) -> dict[str, Any]:
    clean = _clean(data, PLAN_CLEANERS, CREATE_ONLY if creating else frozenset())
    if creating and "launch_on" not in clean:
        raise fields_error("launch_on", "Say the launch day (YYYY-MM-DD).")
    if creating and clean.get("status", LaunchStatus.PLANNED) != LaunchStatus.PLANNED:
        raise fields_error("status", "A new plan is planned; mark it launched afterwards.")
    return clean


def clean_task_fields(data: Mapping[str, Any], *, creating: bool) -> dict[str, Any]:
    clean = _clean(data, TASK_CLEANERS, frozenset({"depends_on"}))
    if creating:
        for name in ("title", "function"):
            if name not in clean:
                raise fields_error(name, "Required.")
    return clean
