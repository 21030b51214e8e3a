"""Launch templates: validation of their phases and tasks, the built-in templates, and the
services that create, change and delete them (leaders and admins; audited as
``launch_template``).

A template's ``tasks`` is a list of {"key", "phase", "title", "function", "offset_days",
"milestone", "depends_on"}; ``offset_days`` counts from launch day (negative before it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from django.db import IntegrityError, transaction
from django.utils import timezone

from quarterdeck.accounts.models import User
from quarterdeck.audit.models import Action
from quarterdeck.audit.services import audit_record, snapshot
from quarterdeck.launches import selectors
from quarterdeck.launches.builtin_templates import BUILTINS
from quarterdeck.launches.models import LaunchTemplate, TaskFunction
from quarterdeck.lib.errors import InvalidInput, NotAllowed, check_version

AUDIT_TYPE: Final = "launch_template"
FIELDS: Final = frozenset({"name", "description", "phases", "tasks"})
MAX_OFFSET: Final = 3650
MAX_TASKS: Final = 300


# Validation -----------------------------------------------------------------------------------


def _text(value: Any, where: str, limit: int = 300) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: expected a non-empty text")
    if len(value) > limit or "\x00" in value:
        raise ValueError(f"{where}: at most {limit} characters, no NUL")
    return value.strip()


def clean_phases(value: Any) -> list[str]:
    if not isinstance(value, list) or not value:
        raise ValueError("phases: expected a non-empty list of phase names")
    phases = [_text(name, f"phases[{i}]", 100) for i, name in enumerate(value)]
    twins = sorted({p for p in phases if phases.count(p) > 1})
    if twins:
        raise ValueError(f"phases: “{twins[0]}” appears twice")
    return phases


def _offset(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > MAX_OFFSET:
        raise ValueError(f"{where}.offset_days: expected a whole number of days within ±3650")
    return value


def _task(raw: Any, i: int, phases: list[str]) -> dict[str, Any]:
    where = f"tasks[{i}]"
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: expected an object")
    unknown = sorted(set(raw) - {"key", "phase", "title", "function", "offset_days",
                                 "milestone", "depends_on"})  # fmt: skip
    if unknown:
        raise ValueError(f"{where}: unknown field “{unknown[0]}”")
    phase = _text(raw.get("phase"), f"{where}.phase", 100)
    if phase not in phases:
        raise ValueError(f"{where}.phase: “{phase}” is not one of the phases")
    function = raw.get("function")
    if function not in TaskFunction.values:
        raise ValueError(f"{where}.function: one of {', '.join(TaskFunction.values)}")
    depends = raw.get("depends_on", [])
    if not isinstance(depends, list) or not all(isinstance(k, str) for k in depends):
        raise ValueError(f"{where}.depends_on: expected a list of task keys")
    milestone = raw.get("milestone", False)
    if not isinstance(milestone, bool):
        raise ValueError(f"{where}.milestone: expected true or false")
    return {
        "key": _text(raw.get("key"), f"{where}.key", 60),
        "phase": phase,
        "title": _text(raw.get("title"), f"{where}.title"),
        "function": function,
        "offset_days": _offset(raw.get("offset_days", 0), where),
        "milestone": milestone,
        "depends_on": list(dict.fromkeys(depends)),
    }


def find_cycle(edges: Mapping[str, list[str]]) -> list[str] | None:
    """A dependency cycle as a path of keys (first == last), or None. Iterative DFS."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for root in edges:
        if state.get(root):
            continue
        path, stack = [root], [iter(edges.get(root, []))]
        state[root] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            elif not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(edges.get(nxt, [])))
    return None


def _check_links(tasks: list[dict[str, Any]]) -> None:
    keys = [t["key"] for t in tasks]
    for i, task in enumerate(tasks):
        if keys.count(task["key"]) > 1:
            raise ValueError(f"tasks[{i}].key: “{task['key']}” is used twice")
        for key in task["depends_on"]:
            if key not in keys:
                raise ValueError(f"tasks[{i}].depends_on: unknown task key “{key}”")
    cycle = find_cycle({t["key"]: t["depends_on"] for t in tasks})
    if cycle:
        raise ValueError(f"tasks: dependencies form a cycle: {' → '.join(cycle)}")


def clean_tasks(value: Any, phases: list[str]) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise ValueError("tasks: expected a list of tasks")
    if len(value) > MAX_TASKS:
        raise ValueError(f"tasks: at most {MAX_TASKS} tasks")
    tasks = [_task(raw, i, phases) for i, raw in enumerate(value)]
    _check_links(tasks)
    return tasks


def clean_template(data: Mapping[str, Any], current: LaunchTemplate | None) -> dict[str, Any]:
    """Validated fields; InvalidInput naming the field and the JSON path of the problem."""
    unknown = sorted(set(data) - FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown field {unknown[0]!r}.", fields={unknown[0]: ["Unknown."]})
    merged = {
        "name": current.name if current else "",
        "description": current.description if current else "",
        "phases": current.phases if current else [],
        "tasks": current.tasks if current else [],
        **data,
    }
    out: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, clean in (
        ("name", lambda v: _text(v, "name", 200)),
        ("description", lambda v: str(v or "").strip()),
        ("phases", clean_phases),
    ):
        try:
            out[name] = clean(merged[name])
        except ValueError as exc:
            errors[name] = [str(exc)]
    if "phases" in out:
        try:
            out["tasks"] = clean_tasks(merged["tasks"], out["phases"])
        except ValueError as exc:
            errors["tasks"] = [str(exc)]
    if errors:
        first = next(iter(errors.values()))[0]
        raise InvalidInput(f"The template is not valid: {first}.", fields=errors)
    return out


# Services -------------------------------------------------------------------------------------


def _check_actor(actor: User | None) -> None:
    if actor is not None and not selectors.may_change_templates(actor):
        raise NotAllowed("Only leaders and admins change launch templates.")


def _save(template: LaunchTemplate) -> None:
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError:
        message = f"There is already a template named “{template.name}”."
        raise InvalidInput(message, fields={"name": [message]}) from None


def template_create(*, actor: User | None, data: Mapping[str, Any]) -> LaunchTemplate:
    _check_actor(actor)
    template = LaunchTemplate(**clean_template(data, None))
    with transaction.atomic():
        _save(template)
        audit_record(actor=actor, action=Action.CREATE, obj=template, after=snapshot(template),
                     object_type=AUDIT_TYPE)  # fmt: skip
    return template


def _check_version(template: LaunchTemplate, expected_version: int | None) -> None:
    check_version(template.version, expected_version, f"The template “{template.name}”")


def template_update(
    *,
    actor: User | None,
    template_id: int,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> LaunchTemplate:
    _check_actor(actor)
    with transaction.atomic():
        template = LaunchTemplate.objects.select_for_update().get(pk=template_id)
        _check_version(template, expected_version)
        clean = clean_template(data, template)
        before = snapshot(template)
        for name, value in clean.items():
            setattr(template, name, value)
        if snapshot(template) == before:
            return template
        template.version += 1
        template.updated_at = timezone.now()
        _save(template)
        audit_record(actor=actor, action=Action.UPDATE, obj=template, before=before,
                     after=snapshot(template), object_type=AUDIT_TYPE)  # fmt: skip
    return template


def template_delete(
    *, actor: User | None, template_id: int, expected_version: int | None = None
) -> None:
    """Plans made from the template keep their tasks (they were copied)."""
    _check_actor(actor)
    with transaction.atomic():
        template = LaunchTemplate.objects.select_for_update().get(pk=template_id)
        _check_version(template, expected_version)
        before, pk = snapshot(template), template.pk
        template.delete()
        template.pk = pk
        audit_record(actor=actor, action=Action.DELETE, obj=template, before=before,
                     object_type=AUDIT_TYPE)  # fmt: skip


def ensure_builtin_templates() -> int:
    """Create the built-in templates that are missing (by name); returns how many. Idempotent."""
    have = set(LaunchTemplate.objects.values_list("name", flat=True))
    created = 0
    for spec in BUILTINS:
        if spec["name"] not in have:
            template_create(actor=None, data=spec)
            created += 1
    return created
