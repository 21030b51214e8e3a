"""Writes to the feedback inbox: add, edit and delete items, and turn survey verbatims into items.

Each write runs in a transaction, goes through the access_* doors, checks the caller's version
and is audited (object type ``feedback_item``). An item added one at a time (quick-add form,
API, CLI, portal) is processed at once — embedded, checked for duplicates, themed, given link
suggestions — so the person sees the result; bulk arrivals (CSV, surveys) are processed by the
worker (``tasks.process_feedback``) after the transaction commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from quarterdeck.accounts.models import User
from quarterdeck.audit.models import Action
from quarterdeck.audit.services import audit_record, snapshot
from quarterdeck.feedback import selectors
from quarterdeck.feedback.models import FeedbackItem, Source, Status
from quarterdeck.lib.errors import InvalidInput, NotAllowed, NotFound, VersionConflict
from quarterdeck.portfolio.models import Product, ProductLine

AUDIT_TYPE: Final = "feedback_item"
MAX_TEXT: Final = 1_000_000  # kept whole; the model reads the first 256 word pieces
TEXT_FIELDS: Final = ("external_id", "submitter_name", "account", "account_name", "segment")
FIELDS: Final = frozenset(
    {"text", "product_id", "line_id", "source", "submitter_email", "received_at", "tags"}
    | set(TEXT_FIELDS)
)
TRIAGE_FIELDS: Final = frozenset({"status", "public"})
MAX_TAGS: Final = 30
RELATIONS: Final = {"product_id": "product", "line_id": "line"}  # ids in, objects stored


# Cleaning -------------------------------------------------------------------------------------


def clean_text(value: Any) -> str:
    """The feedback text, stripped; ValueError when empty or not storable."""
    text = str(value or "").strip()
    if not text:
        raise ValueError("The feedback text is empty: write what the customer said.")
    if "\x00" in text:
        raise ValueError("The text holds a NUL character, which cannot be stored.")
    if len(text) > MAX_TEXT:
        raise ValueError(f"At most {MAX_TEXT:,} characters.")
    return text


def clean_tags(value: Any) -> list[str]:
    raw = value.replace(";", ",").split(",") if isinstance(value, str) else list(value or [])
    tags: list[str] = []
    for tag in raw:
        if not isinstance(tag, str):
            raise ValueError("Tags are words, e.g. ['billing', 'mobile'].")
        tag = tag.strip()
        if len(tag) > 50:
            raise ValueError(f"The tag {tag[:20]!r}… is longer than 50 characters.")
        if tag and tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ValueError(f"At most {MAX_TAGS} tags.")
    return tags


def clean_email(value: Any) -> str:
    email = str(value or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValueError(f"{email!r} is not an e-mail address.") from None
    return email


def _short(value: Any, limit: int = 200) -> str:
    text = str(value or "").strip()
    if len(text) > limit or "\x00" in text:
        raise ValueError(f"At most {limit} characters, and no NUL characters.")
    return text


def _received(value: Any) -> dt.datetime:
    if value is None or value == "":
        return timezone.now()
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if not isinstance(value, dt.datetime):
        raise ValueError("A date and time, e.g. 2025-03-01T10:00:00Z.")
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _product(value: Any) -> Product | None:
    if value is None:
        return None
    product = Product.objects.select_related("line").filter(pk=value).first()
    if product is None:
        known = ", ".join(Product.objects.order_by("name").values_list("name", flat=True)[:20])
        raise ValueError(f"There is no product with id {value} (products: {known}).")
    return product


def _line(value: Any) -> ProductLine | None:
    if value is None:
        return None
    line = ProductLine.objects.filter(pk=value).first()
    if line is None:
        raise ValueError(f"There is no product line with id {value}.")
    return line


def _cleaner(name: str) -> Any:
    special = {
        "text": clean_text,
        "tags": clean_tags,
        "submitter_email": clean_email,
        "received_at": _received,
        "product_id": _product,
        "line_id": _line,
        "source": lambda v: _choice(v, Source.values, "source"),
        "status": lambda v: _choice(v, Status.values, "status"),
        "public": bool,
    }
    return special.get(name, _short)


def _choice(value: Any, allowed: Iterable[str], label: str) -> str:
    allowed = list(allowed)
    if value not in allowed:
        raise ValueError(f"Unknown {label} {value!r}; one of {', '.join(allowed)}.")
    return str(value)


def clean_data(data: Mapping[str, Any], allowed: Iterable[str]) -> dict[str, Any]:
    """Field values as the model stores them; InvalidInput naming every bad field."""
    unknown = sorted(set(data) - set(allowed))
    errors: dict[str, list[str]] = {name: ["Not a field of a feedback item."] for name in unknown}
    clean: dict[str, Any] = {}
    for name, value in data.items():
        if name in unknown:
            continue
        try:
            clean[RELATIONS.get(name, name)] = _cleaner(name)(value)
        except (ValueError, TypeError) as exc:
            errors[name] = [str(exc)]
    if errors:
        summary = "; ".join(f"{k}: {v[0]}" for k, v in errors.items())
        raise InvalidInput(f"Invalid feedback — {summary}", fields=errors)
    if clean.get("product") is not None and clean.get("line") is None:
        clean["line"] = clean["product"].line
    return clean


# Items ----------------------------------------------------------------------------------------


def _check_external_id(item: FeedbackItem) -> None:
    if not item.external_id:
        return
    same = FeedbackItem.objects.filter(source=item.source, external_id=item.external_id)
    twin = same.exclude(pk=item.pk).values_list("pk", flat=True).first()
    if twin is not None:
        message = f"Already used by feedback item {twin} of the same source."
        raise InvalidInput(f"external_id: {message}", fields={"external_id": [message]})


def feedback_create(
    *,
    actor: User | None,
    data: Mapping[str, Any],
    process: bool = True,
    created_by: User | None = None,
) -> FeedbackItem:
    """Add one item (``actor`` None: the operator, or the portal for ``created_by``).
    ``process``: embed, check, theme and suggest links for it now."""
    if actor is not None and not selectors.may_add_feedback(actor):
        raise NotAllowed("Viewers read feedback; ask a colleague to add it.")
    allowed = FIELDS | (TRIAGE_FIELDS if actor is None or selectors.may_triage(actor) else set())
    clean = clean_data({"text": "", "source": Source.API, **data}, allowed)
    item = FeedbackItem(created_by=actor or created_by, **clean)
    with transaction.atomic():
        _check_external_id(item)
        item.save()
        audit_record(actor=actor, action=Action.CREATE, obj=item, after=_snap(item),
                     object_type=AUDIT_TYPE)  # fmt: skip
    if process:
        from quarterdeck.feedback.pipeline import process_one

        process_one(item)
    return item


def _snap(item: FeedbackItem) -> dict[str, Any]:
    return snapshot(item, exclude=("embedding", "text_hash", "processed_at"))


def _check_version(item: FeedbackItem, expected_version: int | None) -> None:
    if expected_version is not None and item.version != expected_version:
        raise VersionConflict(
            f"Feedback item {item.pk} was changed by someone else (now version {item.version}, "
            f"you edited version {expected_version}). Reload it and apply your change again.",
            current_version=item.version,
        )


def feedback_update(
    *,
    actor: User | None,
    item: FeedbackItem,
    data: Mapping[str, Any],
    expected_version: int | None,
) -> FeedbackItem:
    """Change an item's fields; a changed text is processed again at once."""
    triage = actor is None or selectors.may_triage(actor)
    if actor is not None:
        item = selectors.access_feedback(actor, item.pk, for_write=True)
    if not triage and TRIAGE_FIELDS & set(data):
        raise NotAllowed("Only members and up triage feedback (status, public).")
    clean = clean_data(data, FIELDS | (TRIAGE_FIELDS if triage else set()))
    with transaction.atomic():
        item = FeedbackItem.objects.select_for_update().get(pk=item.pk)
        _check_version(item, expected_version)
        before = _snap(item)
        for name, value in clean.items():
            setattr(item, name, value)
        if _snap(item) == before:
            return item
        item.version += 1
        item.updated_at = timezone.now()
        _check_external_id(item)
        item.save()
        audit_record(actor=actor, action=Action.UPDATE, obj=item, before=before,
                     after=_snap(item), object_type=AUDIT_TYPE)  # fmt: skip
    if "text" in clean and before["text"] != item.text:
        from quarterdeck.feedback.pipeline import process_one

        process_one(item)
    return item


def feedback_delete(
    *, actor: User | None, item: FeedbackItem, expected_version: int | None
) -> None:
    if actor is not None:
        item = selectors.access_feedback(actor, item.pk, for_write=True)
    with transaction.atomic():
        _check_version(item, expected_version)
        before, pk = _snap(item), item.pk
        item.delete()
        item.pk = pk
        audit_record(actor=actor, action=Action.DELETE, obj=item, before=before,
                     object_type=AUDIT_TYPE)  # fmt: skip


# Survey verbatims -----------------------------------------------------------------------------


def feedback_from_surveys(
    *,
    actor: User | None,
    survey_id: int | None = None,
    since: dt.datetime | None = None,
    schedule: bool = True,
) -> int:
    """One item per survey answer with a comment (source survey, the survey's product, the
    answer's account, segment and time). Idempotent: an answer already in the inbox is left
    alone; ``since``: answers from then on only. Returns how many items were added; the worker
    processes them after the commit (``schedule`` false: the caller does, e.g. the CLI)."""
    from quarterdeck.surveys.models import Response, Survey

    if actor is not None and not selectors.may_triage(actor):
        raise NotAllowed("Members and up bring survey verbatims into the inbox.")
    answers = Response.objects.filter(feedback_item__isnull=True).exclude(comment="")
    if survey_id is not None:
        if not Survey.objects.filter(pk=survey_id).exists():
            raise NotFound(f"There is no survey with id {survey_id}.")
        answers = answers.filter(survey_id=survey_id)
    if since is not None:
        answers = answers.filter(answered_at__gte=since)
    items = [_verbatim(actor, a) for a in answers.select_related("survey", "survey__product")]
    items = [i for i in items if i.text]
    with transaction.atomic():
        FeedbackItem.objects.bulk_create(items, batch_size=500)
        audit_record(
            actor=actor, action=Action.CREATE, obj=FeedbackItem(pk=0, text="survey verbatims"),
            after={"survey_verbatims": len(items), "survey_id": survey_id},
            object_type=AUDIT_TYPE,
        )  # fmt: skip
        if schedule:
            schedule_processing([i.pk for i in items if i.pk is not None])
    return len(items)


def _verbatim(actor: User | None, answer: Any) -> FeedbackItem:
    product = answer.survey.product or answer.product
    return FeedbackItem(
        text=answer.comment.strip().replace("\x00", ""),
        source=Source.SURVEY,
        external_id=f"survey-response:{answer.pk}",
        submitter_name=answer.respondent[:200],
        account=answer.account,
        segment=answer.segment,
        product=product,
        line_id=product.line_id if product is not None else None,
        received_at=answer.answered_at,
        survey_response=answer,
        created_by=actor,
    )


def schedule_processing(item_ids: list[int]) -> None:
    """Ask the worker to process the items once the surrounding transaction commits."""
    if not item_ids:
        return
    from quarterdeck.feedback.tasks import process_feedback

    transaction.on_commit(lambda: process_feedback.enqueue(item_ids))
