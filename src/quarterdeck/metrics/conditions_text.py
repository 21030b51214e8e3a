"""Property conditions as people type them in a form, one per line:

    plan = pro                  equals (text)
    plan != free                differs (or is missing)
    path ~ /routes/             contains
    plan in pro, enterprise     one of (comma-separated)
    plan not in free, trial     none of
    stops > 10                  greater (also >=, <, <=), numbers only
    coupon is set               present (also: is not set)
    traits.plan = pro           a trait of the identify / group rows instead of a property

``parse_text`` gives the JSON shape the services store (``{"key", "op", "value", "on"}``) and
errors naming the line; ``format_text`` is its inverse, for editing what is stored.
"""

from __future__ import annotations

import re
from typing import Any, Final

from quarterdeck.lib.errors import InvalidInput

# Longest operators first, so "!=" is not read as "=" and "not in" not as "in".
_LINE: Final = re.compile(
    r"^(?P<key>[^\s=!<>~]+)\s*"
    r"(?P<op>is\s+not\s+set|is\s+set|not\s+in\b|in\b|!=|>=|<=|=|>|<|~)\s*(?P<value>.*)$",
    re.IGNORECASE,
)
_OPS: Final = {
    "=": "eq",
    "!=": "neq",
    "~": "contains",
    ">": "gt",
    ">=": "gte",
    "<": "lt",
    "<=": "lte",
    "in": "in",
    "not in": "not_in",
    "is set": "is_set",
    "is not set": "is_not_set",
}
_SYMBOLS: Final = {op: symbol for symbol, op in _OPS.items()}
HELP: Final = "One per line, e.g. “plan = pro”, “stops > 10”, “plan in pro, enterprise”."


def _error(number: int, line: str, reason: str) -> InvalidInput:
    message = f"Line {number} (“{line}”): {reason}"
    return InvalidInput(message, fields={"conditions": [message]})


def _parse_value(op: str, raw: str, number: int, line: str) -> Any:
    if op in ("is_set", "is_not_set"):
        if raw:
            raise _error(number, line, f"“{_SYMBOLS[op]}” takes no value.")
        return None
    if not raw:
        raise _error(number, line, "a value is missing after the operator. " + HELP)
    if op in ("in", "not_in"):
        return [part.strip() for part in raw.split(",") if part.strip()]
    if op in ("gt", "gte", "lt", "lte"):
        try:
            return float(raw) if "." in raw or "e" in raw.lower() else int(raw)
        except ValueError:
            raise _error(number, line, f"{raw!r} is not a number.") from None
    return raw


def parse_line(line: str, number: int) -> dict[str, Any]:
    match = _LINE.match(line)
    if match is None:
        raise _error(number, line, "expected a property, an operator and a value. " + HELP)
    key, symbol = match["key"], " ".join(match["op"].lower().split())
    op = _OPS[symbol]
    condition: dict[str, Any] = {"key": key, "op": op}
    if key.startswith("traits."):
        condition["key"], condition["on"] = key.removeprefix("traits."), "traits"
    value = _parse_value(op, match["value"].strip(), number, line)
    if value is not None:
        condition["value"] = value
    return condition


def parse_text(text: str) -> list[dict[str, Any]]:
    """Conditions typed one per line (blank lines and lines starting with # are skipped)."""
    conditions = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line and not line.startswith("#"):
            conditions.append(parse_line(line, number))
    return conditions


def format_condition(condition: dict[str, Any]) -> str:
    key = condition["key"]
    if condition.get("on") == "traits":
        key = f"traits.{key}"
    elif condition.get("on") == "column":
        key = f"column.{key}"  # not typed in forms, but shown readably
    op = condition.get("op", "eq")
    value = condition.get("value")
    if isinstance(value, list):
        value = ", ".join(str(item) for item in value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{key} {_SYMBOLS[op]}" + ("" if value is None else f" {value}")


def format_text(conditions: list[dict[str, Any]]) -> str:
    return "\n".join(format_condition(condition) for condition in conditions)
