"""Writes of the surveys module: surveys, audited and version-checked (answers: responses.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from django.db import transaction
from django.db.models import F

from quarterdeck.accounts.models import User
from quarterdeck.audit.models import Action
from quarterdeck.audit.services import audit_record, snapshot
from quarterdeck.lib.errors import InvalidInput, NotAllowed, VersionConflict
from quarterdeck.portfolio.models import Product
from quarterdeck.surveys.models import DEFAULT_SCALES, Kind, Survey
from quarterdeck.surveys.selectors import access_survey, may_manage_survey

AUDIT_TYPE: Final = "survey"
SURVEY_FIELDS: Final = {
    "name",
    "kind",
    "scale_min",
    "scale_max",
    "question",
    "product_id",
    "event_name",
    "event_survey_id",
    "score_property",
    "comment_property",
}
TEXT_LIMITS: Final = {
    "question": 500,
    "event_name": 200,
    "event_survey_id": 200,
    "score_property": 200,
    "comment_property": 200,
}
MAX_BATCH: Final = 1000
Errors = dict[str, list[str]]


# Surveys ----------------------------------------------------------------------------------


def _clean_name(survey: Survey | None, raw: Any) -> str:
    name = str(raw or "").strip()
    if not name or len(name) > 100:
        raise ValueError("A name of 1 to 100 characters is required.")
    others = Survey.objects.filter(name__iexact=name)
    if survey is not None:
        others = others.exclude(pk=survey.pk)
    if others.exists():
        raise ValueError("Another survey already has this name.")
    return name


def _clean_kind(survey: Survey | None, raw: Any) -> str:
    if raw not in Kind.values:
        raise ValueError(f"One of {', '.join(Kind.values)}.")
    if survey is not None and raw != survey.kind:
        raise ValueError("The kind of a survey cannot change; create another survey.")
    return str(raw)


def clean_product(raw: Any) -> int | None:
    if raw is None:
        return None
    if not isinstance(raw, int) or isinstance(raw, bool):
        raise ValueError("A product id (a number) or null.")
    if not Product.objects.filter(pk=raw).exists():
        raise ValueError(f"There is no product with id {raw}.")
    return raw


def _clean_text(name: str, raw: Any) -> str:
    text = "" if raw is None else str(raw).strip()
    if len(text) > TEXT_LIMITS[name]:
        raise ValueError(f"At most {TEXT_LIMITS[name]} characters.")
    return text


def _clean_bound(raw: Any) -> int:
    if not isinstance(raw, int) or isinstance(raw, bool) or not -1000 <= raw <= 1000:
        raise ValueError("A whole number between -1000 and 1000.")
    return raw


def _clean_value(survey: Survey | None, name: str, raw: Any) -> Any:
    if name == "name":
        return _clean_name(survey, raw)
    if name == "kind":
        return _clean_kind(survey, raw)
    if name == "product_id":
        return clean_product(raw)
    if name in ("scale_min", "scale_max"):
        return _clean_bound(raw)
    return _clean_text(name, raw)


def _check_scale(survey: Survey, fields: dict[str, list[str]]) -> None:
    if survey.kind == Kind.NPS and (survey.scale_min, survey.scale_max) != DEFAULT_SCALES[Kind.NPS]:
        fields.setdefault("scale_max", []).append("NPS is always asked on 0-10.")
    elif survey.scale_max - survey.scale_min < 2:
        fields.setdefault("scale_max", []).append("The scale needs at least three points.")
    elif survey.pk is not None:
        outside = survey.responses.filter(score__isnull=False).exclude(
            score__gte=survey.scale_min, score__lte=survey.scale_max
        )
        if outside.exists():
            fields.setdefault("scale_max", []).append("Some answers lie outside this scale.")


def _clean_all(survey: Survey | None, data: Mapping[str, Any]) -> tuple[dict[str, Any], Errors]:
    fields = {n: ["This field does not exist here."] for n in set(data) - SURVEY_FIELDS}
    clean: dict[str, Any] = {}
    for name in sorted(set(data) & SURVEY_FIELDS):
        if name in ("scale_min", "scale_max") and data[name] is None:
            continue  # the kind's default (new survey) or the current bound
        try:
            clean[name] = _clean_value(survey, name, data[name])
        except ValueError as exc:
            fields[name] = [str(exc)]
    if survey is None and "kind" not in data:
        fields["kind"] = [f"Required: one of {', '.join(Kind.values)}."]
    if survey is None and "name" not in data:
        fields["name"] = ["Required."]
    return clean, fields


def _apply(survey: Survey | None, data: Mapping[str, Any]) -> Survey:
    """The survey with ``data`` applied, or InvalidInput naming every bad field."""
    clean, fields = _clean_all(survey, data)
    kind = survey.kind if survey is not None else clean.get("kind")
    if kind is None:
        raise _invalid("survey", fields)
    target = survey or Survey(kind=kind)
    if survey is None:
        target.scale_min, target.scale_max = DEFAULT_SCALES[kind]
    for name, value in clean.items():
        setattr(target, name, value)
    _check_scale(target, fields)
    if fields:
        raise _invalid("survey", fields)
    return target


def _invalid(what: str, fields: dict[str, list[str]]) -> InvalidInput:
    summary = "; ".join(f"{name}: {msgs[0]}" for name, msgs in sorted(fields.items()))
    return InvalidInput(f"Invalid {what} — {summary}", fields=fields)


def _check_product_rights(actor: User, survey: Survey) -> None:
    if not may_manage_survey(actor, survey.product):
        raise NotAllowed(
            "Only leaders and admins manage surveys without a product; for a product's survey, "
            "whoever may change the product."
        )


def survey_create(*, actor: User, data: Mapping[str, Any]) -> Survey:
    survey = _apply(None, data)
    _check_product_rights(actor, survey)
    with transaction.atomic():
        survey.save()
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=survey,
            after=snapshot(survey),
            object_type=AUDIT_TYPE,
        )
    return survey


def _locked(actor: User, survey_id: int, expected_version: int) -> Survey:
    access_survey(actor, survey_id, for_write=True)
    # Lock the survey row only: PostgreSQL refuses FOR UPDATE on the nullable side of the join.
    survey = (
        Survey.objects.select_for_update(of=("self",))
        .select_related("product__line")
        .get(pk=survey_id)
    )
    if survey.version != expected_version:
        raise VersionConflict(
            f"The survey changed since you read it (now version {survey.version}); reload it.",
            current_version=survey.version,
        )
    return survey


def survey_update(
    *, actor: User, survey_id: int, data: Mapping[str, Any], expected_version: int
) -> Survey:
    with transaction.atomic():
        survey = _locked(actor, survey_id, expected_version)
        before = snapshot(survey)
        survey = _apply(survey, data)
        _check_product_rights(actor, survey)  # moving it to a product they may not change
        survey.version = F("version") + 1
        survey.save()
        survey.refresh_from_db()
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=survey,
            before=before,
            after=snapshot(survey),
            object_type=AUDIT_TYPE,
        )
    return survey


def survey_delete(*, actor: User, survey_id: int, expected_version: int) -> None:
    """Delete the survey and its answers."""
    with transaction.atomic():
        survey = _locked(actor, survey_id, expected_version)
        audit_record(
            actor=actor,
            action=Action.DELETE,
            obj=survey,
            before=snapshot(survey),
            object_type=AUDIT_TYPE,
        )
        survey.delete()


def surveys_sync_start(*, actor: User) -> str:
    """Queue a sync of survey answers from events (leaders and admins); the task's id."""
    from quarterdeck.accounts import rules
    from quarterdeck.surveys.tasks import sync_survey_events  # tasks import the events module

    if not rules.changes_everything(actor):
        raise NotAllowed("Only leaders and admins start a sync of survey answers from events.")
    return str(sync_survey_events.enqueue().id)


def survey_create_system(*, data: Mapping[str, Any], product_name: str | None) -> Survey:
    """The operator's create (CLI): no user, the product by name; audited as "system"."""
    from quarterdeck.metrics.selectors import product_ids_named

    values = dict(data)
    if product_name:
        values["product_id"] = product_ids_named([product_name])[0]
    survey = _apply(None, values)
    with transaction.atomic():
        survey.save()
        audit_record(
            actor=None,
            action=Action.CREATE,
            obj=survey,
            after=snapshot(survey),
            object_type=AUDIT_TYPE,
        )
    return survey
