"""Answers of a survey: checking them, storing them (upserted by external id) and the API's
batches, all or nothing.

Answers are upserted by ``external_id`` (unique per survey), so sending, importing or syncing
the same answers twice changes nothing. A batch is checked whole before anything is written: one
bad item and nothing is stored (400 naming every bad item and field).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from typing import Any, Final
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils.dateparse import parse_datetime

from quarterdeck.accounts.models import User
from quarterdeck.audit.models import Action
from quarterdeck.audit.services import audit_record
from quarterdeck.lib.errors import InvalidInput
from quarterdeck.strategy.tasks import schedule_refresh
from quarterdeck.surveys.models import Response, Source, Survey
from quarterdeck.surveys.selectors import access_survey
from quarterdeck.surveys.services import AUDIT_TYPE, clean_product

MAX_BATCH: Final = 1000

RESPONSE_FIELDS: Final = {
    "score",
    "comment",
    "answered_at",
    "respondent",
    "account",
    "product_id",
    "segment",
    "stage",
    "external_id",
}
RESPONSE_LIMITS: Final = {
    "respondent": 200,
    "account": 200,
    "segment": 100,
    "stage": 100,
    "external_id": 200,
    "comment": 20_000,
}


def aware(moment: dt.datetime) -> dt.datetime:
    """A naive time is in the workspace zone (METRICS_SPEC §0)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    return moment


def check_score(survey: Survey, raw: Any) -> int | None:
    """The score as a whole number on the survey's scale, or None; ValueError when not."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise ValueError("A whole number.")
    try:
        number = float(raw)
    except ValueError:
        raise ValueError(f"{raw!r} is not a number.") from None
    if not number.is_integer():
        raise ValueError(f"{raw!r} is not a whole number.")
    if not survey.scale_min <= number <= survey.scale_max:
        raise ValueError(
            f"{int(number)} is outside the scale {survey.scale_min}-{survey.scale_max}."
        )
    return int(number)


def _answered_at(raw: Any) -> dt.datetime:
    if isinstance(raw, dt.datetime):
        return aware(raw)
    parsed = parse_datetime(str(raw)) if raw else None
    if parsed is None:
        raise ValueError("An ISO 8601 date and time, e.g. 2024-03-05T14:30:00Z.")
    return aware(parsed)


def _text(name: str, raw: Any) -> str:
    text = "" if raw is None else str(raw).strip()
    if len(text) > RESPONSE_LIMITS[name]:
        raise ValueError(f"At most {RESPONSE_LIMITS[name]} characters.")
    if "\x00" in text:
        raise ValueError("NUL characters are not allowed.")
    return text


def _response_value(survey: Survey, name: str, raw: Any) -> Any:
    if name == "score":
        return check_score(survey, raw)
    if name == "answered_at":
        return _answered_at(raw)
    if name == "product_id":
        return clean_product(raw) if raw is not None else survey.product_id
    return _text(name, raw)


def clean_response(
    survey: Survey, item: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """(values, errors) of one answer; values lack what is wrong. ``answered_at`` is required."""
    errors = {n: ["This field does not exist here."] for n in set(item) - RESPONSE_FIELDS}
    values: dict[str, Any] = {"product_id": survey.product_id}
    if item.get("answered_at") in (None, ""):
        errors["answered_at"] = ["Required: when the answer was given."]
    for name in sorted(set(item) & RESPONSE_FIELDS):
        try:
            values[name] = _response_value(survey, name, item[name])
        except ValueError as exc:
            errors.setdefault(name, []).append(str(exc))
    return values, errors


STORED_FIELDS: Final = (
    "score",
    "comment",
    "answered_at",
    "respondent",
    "account",
    "product_id",
    "segment",
    "stage",
)


def responses_store(
    survey: Survey, items: Sequence[dict[str, Any]], source: str
) -> tuple[int, int]:
    """Upsert clean answers by external id (caller's transaction); (created, updated). An answer
    stored before with the same values is left alone (not counted), so a re-import is cheap."""
    wanted = {i["external_id"] for i in items}
    existing = {
        row["external_id"]: row
        for row in survey.responses.values("pk", "external_id", *STORED_FIELDS)
        if row["external_id"] in wanted
    }
    new = [
        Response(survey=survey, source=source, **i)
        for i in items
        if i["external_id"] not in existing
    ]
    Response.objects.bulk_create(new, batch_size=1000)
    changed = [
        Response(pk=existing[i["external_id"]]["pk"], survey=survey, source=source, **i)
        for i in items
        if i["external_id"] in existing and _differs(existing[i["external_id"]], i)
    ]
    Response.objects.bulk_update(changed, [*STORED_FIELDS, "source"], batch_size=500)
    if new or changed:  # key results bound to surveys follow new answers (after the commit)
        schedule_refresh(sources=["survey"])
    return len(new), len(changed)


def _differs(stored: Mapping[str, Any], item: Mapping[str, Any]) -> bool:
    return any(stored[name] != item.get(name) for name in STORED_FIELDS)


def _batch_errors(
    survey: Survey, items: Sequence[Mapping[str, Any]]
) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    clean: list[dict[str, Any]] = []
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    for index, item in enumerate(items):
        values, item_errors = clean_response(survey, item)
        values.setdefault("external_id", "")
        if not values["external_id"]:
            values["external_id"] = f"api:{uuid.uuid4()}"
        elif values["external_id"] in seen:
            item_errors["external_id"] = ["Repeated within this batch."]
        seen.add(values["external_id"])
        errors |= {f"responses.{index}.{name}": msgs for name, msgs in item_errors.items()}
        clean.append({k: values.get(k, _blank(k)) for k in RESPONSE_FIELDS})
    return clean, errors


def _blank(name: str) -> Any:
    return None if name == "score" else ""


def responses_add(
    *, actor: User, survey_id: int, items: Sequence[Mapping[str, Any]]
) -> tuple[int, int]:
    """Add (or, by external id, update) a batch of answers: all or nothing; (created, updated)."""
    survey = access_survey(actor, survey_id, for_write=True)
    if not items or len(items) > MAX_BATCH:
        raise InvalidInput(
            f"Send 1 to {MAX_BATCH} responses.", fields={"responses": ["1 to 1000 items."]}
        )
    clean, errors = _batch_errors(survey, items)
    if errors:
        raise InvalidInput(
            f"{len({k.split('.')[1] for k in errors})} of {len(items)} responses are invalid; "
            "nothing was stored.",
            fields=errors,
        )
    with transaction.atomic():
        created, updated = responses_store(survey, clean, Source.API)
        answers_audit(actor, survey, created, updated, Source.API)
    return created, updated


def answers_audit(
    actor: User | None, survey: Survey, created: int, updated: int, source: str
) -> None:
    """One audit entry per batch (not per answer): who added how many answers, from where."""
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=survey,
        before={"answers": None},
        after={"answers": {"created": created, "updated": updated, "source": source}},
        object_type=AUDIT_TYPE,
    )
