"""The built-in scoring frameworks (RICE, ICE, WSJF, value / effort, Kano) as ScoringModel rows,
and the checks every model's criteria and inputs go through.

Criteria: [{"key", "label", "kind": "number"|"choice", "min", "max", "choices", "labels",
"help"}]; ``labels`` names the choices ({"1": "Like it", ...}). Inputs are numbers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from quarterdeck.lib.errors import InvalidInput
from quarterdeck.roadmap.models import Framework, ScoringModel

KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
FIB = [1, 2, 3, 5, 8, 13, 20]
KANO_ANSWERS = {"1": "Like it", "2": "Expect it", "3": "Neutral", "4": "Can live with it",
                "5": "Dislike it"}  # fmt: skip


def number(key: str, label: str, help_: str, low: float | None = 0, high: float | None = None
           ) -> dict[str, Any]:  # fmt: skip
    return {"key": key, "label": label, "kind": "number", "min": low, "max": high, "help": help_}


def choice(key: str, label: str, help_: str, choices: Sequence[float],
           labels: dict[str, str] | None = None) -> dict[str, Any]:  # fmt: skip
    found = {"key": key, "label": label, "kind": "choice", "choices": list(choices), "help": help_}
    return {**found, "labels": labels} if labels else found


def _scale(key: str, label: str, help_: str) -> dict[str, Any]:
    return number(key, label, f"{help_} (1-10)", 1, 10)


BUILT_IN: list[dict[str, Any]] = [
    {
        "name": "RICE", "framework": Framework.RICE,
        "description": "Reach x impact x confidence / effort (Intercom).",
        "criteria": [
            number("reach", "Reach", "People or events per quarter"),
            choice("impact", "Impact", "3 massive, 2 high, 1 medium, 0.5 low, 0.25 minimal",
                   [0.25, 0.5, 1, 2, 3]),
            choice("confidence", "Confidence %", "100 high, 80 medium, 50 low", [50, 80, 100]),
            number("effort", "Effort", "Person-months", 0.1),
        ],
        "formula": "reach * impact * (confidence / 100) / effort",
        "value_key": "reach * impact * confidence / 100", "effort_key": "effort",
        "size_key": "reach",
    },
    {
        "name": "ICE", "framework": Framework.ICE,
        "description": "Impact x confidence x ease, each 1-10.",
        "criteria": [_scale("impact", "Impact", "How much it moves the goal"),
                     _scale("confidence", "Confidence", "How sure we are"),
                     _scale("ease", "Ease", "How easy it is (10: trivial)")],
        "formula": "impact * confidence * ease",
        "value_key": "impact * confidence", "effort_key": "11 - ease", "size_key": "demand",
    },
    {
        "name": "WSJF", "framework": Framework.WSJF,
        "description": "Cost of delay / job size (SAFe), on a Fibonacci scale.",
        "criteria": [
            choice("business_value", "Business value", "Relative (Fibonacci)", FIB),
            choice("time_criticality", "Time criticality", "Relative (Fibonacci)", FIB),
            choice("risk_reduction", "Risk reduction / opportunity enablement",
                   "Relative (Fibonacci)", FIB),
            choice("job_size", "Job size", "Relative (Fibonacci)", FIB),
        ],
        "formula": "(business_value + time_criticality + risk_reduction) / job_size",
        "value_key": "business_value + time_criticality + risk_reduction",
        "effort_key": "job_size", "size_key": "demand",
    },
    {
        "name": "Value / effort", "framework": Framework.VALUE_EFFORT,
        "description": "Value / effort, each 1-10.",
        "criteria": [_scale("value", "Value", "Value to customers and the business"),
                     _scale("effort", "Effort", "Cost to build")],
        "formula": "value / effort",
        "value_key": "value", "effort_key": "effort", "size_key": "demand",
    },
    {
        "name": "Kano", "framework": Framework.KANO,
        "description": "Kano category (from the functional and dysfunctional answers) x importance "
        "/ effort; must-be 3, performance 2, attractive 1, indifferent 0, reverse -1.",
        "criteria": [
            choice("functional", "If it has it…", "How do customers feel when it is there?",
                   [1, 2, 3, 4, 5], labels=KANO_ANSWERS),
            choice("dysfunctional", "If it lacks it…", "How do they feel when it is not?",
                   [1, 2, 3, 4, 5], labels=KANO_ANSWERS),
            number("importance", "Importance", "Self-stated importance (1-5)", 1, 5),
            number("effort", "Effort", "Person-months", 0.1),
        ],
        "formula": "kano(functional, dysfunctional) * importance / effort",
        "value_key": "kano(functional, dysfunctional) * importance", "effort_key": "effort",
        "size_key": "demand",
    },
]  # fmt: skip


def ensure_built_in() -> int:
    """Create the built-in models that are missing (by name); returns how many were added."""
    added = 0
    for spec in BUILT_IN:
        _, created = ScoringModel.objects.get_or_create(name=spec["name"], defaults=spec)
        added += created
    return added


# Checks -----------------------------------------------------------------------------------------


def _criterion_problem(item: Any, seen: set[str]) -> str | None:
    if not isinstance(item, dict) or not isinstance(item.get("key"), str):
        return "each criterion is an object with a key"
    key = item["key"]
    if not KEY.match(key) or key in seen:
        return f"key '{key}' must be unique, lower-case letters, digits and _ (start with a letter)"
    if item.get("kind", "number") not in ("number", "choice"):
        return f"'{key}': kind is number or choice"
    if item.get("kind") == "choice":
        choices = item.get("choices")
        if not isinstance(choices, list) or not choices or not all(_is_number(c) for c in choices):
            return f"'{key}': a choice criterion needs a list of numbers in choices"
    for bound in ("min", "max"):
        if item.get(bound) is not None and not _is_number(item[bound]):
            return f"'{key}': {bound} must be a number"
    return None


def clean_criteria(raw: Any) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or len(raw) > 30:
        raise InvalidInput(
            "criteria: a list of at most 30 criteria.",
            fields={"criteria": ["Not a list of up to 30."]},
        )
    seen: set[str] = set()
    cleaned: list[dict[str, Any]] = []
    for index, item in enumerate(raw):
        problem = _criterion_problem(item, seen)
        if problem:
            raise InvalidInput(f"criteria[{index}]: {problem}.", fields={"criteria": [problem]})
        seen.add(item["key"])
        cleaned.append({"label": item["key"], "kind": "number", "help": "", **item})
    return cleaned


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def input_problem(criterion: Mapping[str, Any], value: Any) -> str | None:
    """Why ``value`` is not a valid input for the criterion, or None."""
    if not _is_number(value):
        return "a number"
    if criterion.get("kind") == "choice" and value not in criterion.get("choices", []):
        return "one of " + ", ".join(f"{c:g}" for c in criterion["choices"])
    low, high = criterion.get("min"), criterion.get("max")
    if low is not None and value < low:
        return f"at least {low:g}"
    if high is not None and value > high:
        return f"at most {high:g}"
    return None


def clean_inputs(model: ScoringModel, raw: Mapping[str, Any]) -> dict[str, float]:
    """Inputs checked against the model's criteria (None drops an input); 400 naming each
    wrong one."""
    by_key = {c["key"]: c for c in model.criteria}
    problems: dict[str, list[str]] = {}
    cleaned: dict[str, float] = {}
    for key, value in raw.items():
        if key not in by_key:
            problems[key] = [f"not a criterion of {model.name} ({', '.join(by_key)})"]
        elif value is not None and (problem := input_problem(by_key[key], value)):
            problems[key] = [f"expected {problem}, got {value!r}"]
        elif value is not None:
            cleaned[key] = float(value)
    if problems:
        listed = "; ".join(f"{k}: {v[0]}" for k, v in problems.items())
        raise InvalidInput(f"Some inputs are wrong — {listed}.", fields=problems)
    return cleaned
