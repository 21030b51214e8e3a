"""Writes of the metrics app: event sources (audited, version-checked), ingestion warnings, and
the event pipeline's entry points (receive, compact, import) for the edges to call."""

from __future__ import annotations

import datetime as dt
import secrets
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from quarterdeck.accounts.models import User
from quarterdeck.audit.models import Action
from quarterdeck.audit.services import audit_record, snapshot
from quarterdeck.lib.errors import InvalidInput, NotFound, VersionConflict
from quarterdeck.lib.progress import NoProgress, Progress
from quarterdeck.metrics import selectors
from quarterdeck.metrics.ingest.importing import (
    ImportResult,
    ImportSpec,
    check,
    import_context,
    write,
)
from quarterdeck.metrics.ingest.keys import touch_stamp
from quarterdeck.metrics.models import DEFAULT_GROUP_TYPE, IngestionWarning, Source
from quarterdeck.metrics.storage.compact import CompactResult, compact
from quarterdeck.metrics.storage.spool import spool_for
from quarterdeck.portfolio.models import Product

KEY_PREFIX = "qdw_"  # a marker, so a leaked key is recognisable in logs and scanners
SOURCE_FIELDS = {"name", "product_ids", "account_group_type"}
AUDIT_TYPE = "event_source"


def new_write_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(24)


def _clean_name(source: Source | None, raw: Any) -> tuple[str, list[str]]:
    name = str(raw or "").strip()
    if not name:
        return name, ["A name is required."]
    if len(name) > 100:
        return name, [f"At most 100 characters (this one has {len(name)})."]
    others = Source.objects.filter(name__iexact=name)
    if source is not None:
        others = others.exclude(pk=source.pk)
    return name, ["Another source already has this name."] if others.exists() else []


def _clean_products(raw: Any) -> tuple[list[int], list[str]]:
    if not isinstance(raw, list | tuple) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in raw
    ):
        return [], ["Expected a list of product ids."]
    ids = sorted(set(raw))
    found = set(Product.objects.filter(pk__in=ids).values_list("pk", flat=True))
    missing = [str(i) for i in ids if i not in found]
    return ids, [f"There is no product with id {', '.join(missing)}."] if missing else []


def _clean_group_type(raw: Any) -> tuple[str, list[str]]:
    value = str(raw if raw is not None else DEFAULT_GROUP_TYPE).strip()
    if not value or len(value) > 100:
        return value, ["A PostHog group type of 1 to 100 characters, e.g. 'company'."]
    return value, []


def _clean(source: Source | None, data: Mapping[str, Any]) -> dict[str, Any]:
    errors = {name: ["This field does not exist here."] for name in set(data) - SOURCE_FIELDS}
    clean: dict[str, Any] = {}
    cleaners = {
        "name": lambda raw: _clean_name(source, raw),
        "product_ids": _clean_products,
        "account_group_type": _clean_group_type,
    }
    for field, cleaner in cleaners.items():
        if field in data:
            clean[field], problems = cleaner(data[field])
            if problems:
                errors[field] = problems
    if errors:
        field, messages = next(iter(errors.items()))
        raise InvalidInput(f"{field}: {messages[0]}", fields=errors)
    return clean


def _audit_snapshot(source: Source) -> dict[str, Any]:
    # The key itself never goes to the audit log; its prefix tells rotations apart.
    return {**snapshot(source, exclude=["write_key"]), "write_key": source.key_hint}


def _sources_changed() -> None:
    """Make ingestion processes drop their cached write keys: now, and again once committed
    (a request in between may have cached the row as it was before the commit)."""
    touch_stamp()
    transaction.on_commit(touch_stamp)


def source_create(*, actor: User | None, data: Mapping[str, Any]) -> Source:
    """A new source with a fresh write key. ``actor=None`` is the operator at the command line."""
    if actor is not None:
        selectors.check_manage(actor)
    clean = _clean(None, {"name": "", **data})
    product_ids = clean.pop("product_ids", [])
    with transaction.atomic():
        source = Source.objects.create(write_key=new_write_key(), **clean)
        source.products.set(product_ids)
        _sources_changed()
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=source,
            after=_audit_snapshot(source),
            object_type=AUDIT_TYPE,
        )
    return source


def _locked(actor: User | None, source_id: int, expected_version: int | None) -> Source:
    if actor is not None:
        selectors.access_source(actor, source_id, for_write=True)
    source = Source.objects.select_for_update().filter(pk=source_id).first()
    if source is None:
        raise NotFound(f"There is no event source with id {source_id}.")
    if expected_version is not None and source.version != expected_version:
        raise VersionConflict(
            f"Source “{source.name}” was changed by someone else; reload it and try again.",
            current_version=source.version,
        )
    return source


def _save_change(actor: User | None, source: Source, before: dict[str, Any]) -> Source:
    after = _audit_snapshot(source)
    if after != before:
        source.version += 1
        source.save()
        _sources_changed()
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=source,
            before=before,
            after=after,
            object_type=AUDIT_TYPE,
        )
    return source


def source_update(
    *,
    actor: User | None,
    source_id: int,
    data: Mapping[str, Any],
    expected_version: int | None,
) -> Source:
    with transaction.atomic():
        source = _locked(actor, source_id, expected_version)
        clean = _clean(source, data)
        before = _audit_snapshot(source)
        if "product_ids" in clean:
            source.products.set(clean.pop("product_ids"))
        for name, value in clean.items():
            setattr(source, name, value)
        return _save_change(actor, source, before)


def source_revoke(*, actor: User | None, source_id: int) -> Source:
    """Stop the source's write key at once: every later request with it is refused (401)."""
    with transaction.atomic():
        source = _locked(actor, source_id, None)
        before = _audit_snapshot(source)
        if source.revoked_at is None:
            source.revoked_at = timezone.now()
        return _save_change(actor, source, before)


def source_rotate_key(*, actor: User | None, source_id: int) -> Source:
    """Give the source a new write key (and reactivate it); the old key stops at once."""
    with transaction.atomic():
        source = _locked(actor, source_id, None)
        before = _audit_snapshot(source)
        source.write_key = new_write_key()
        source.revoked_at = None
        return _save_change(actor, source, before)


# Ingestion warnings ----------------------------------------------------------------------------

WARNING_WINDOW = dt.timedelta(days=1)
KEPT_WARNINGS = 500


def now() -> dt.datetime:
    return timezone.now()


def _clip(text: str, limit: int) -> str:
    text = text.replace("\x00", "")  # PostgreSQL text cannot hold NUL
    return text if len(text) <= limit else text[: limit - 1] + "…"


def warnings_record(source_id: int, items: list[tuple[str, str, str]]) -> None:
    """Record (kind, message, sample) problems of a source; the same problem within a day
    raises the count of one warning instead of adding rows."""
    counts = Counter((kind, _clip(message, 500)) for kind, message, _ in items)
    samples = {(kind, _clip(message, 500)): sample for kind, message, sample in items}
    at = now()
    for (kind, message), count in counts.items():
        sample = _clip(samples[(kind, message)], 2000)
        updated = IngestionWarning.objects.filter(
            source_id=source_id, kind=kind, message=message, at__gte=at - WARNING_WINDOW
        ).update(count=F("count") + count, at=at, sample=sample)
        if not updated:
            IngestionWarning.objects.create(
                source_id=source_id,
                kind=kind,
                message=message,
                sample=sample,
                count=count,
                at=at,
                first_at=at,
            )
    _prune_warnings(source_id)


def _prune_warnings(source_id: int) -> None:
    kept = IngestionWarning.objects.filter(source_id=source_id).values_list("pk", flat=True)
    old = list(kept[KEPT_WARNINGS:])
    if old:
        IngestionWarning.objects.filter(pk__in=old).delete()


# Events ---------------------------------------------------------------------------------------


def events_path() -> Path:
    """The events folder: date partitions of Parquet files (what the engine reads), the spool."""
    return Path(settings.EVENTS_DIR)


events_root = events_path  # the name the demo loader uses


def events_append(lines: bytes) -> None:
    """Durably append spool lines from this process (fsynced when this returns)."""
    from quarterdeck.metrics.tasks import schedule_compaction

    spool_for(events_path(), on_new_file=schedule_compaction).append(lines)


def events_compact(*, wait: bool = True) -> CompactResult | None:
    """Move every received event into the Parquet files (None: another compaction is running
    and ``wait`` is false)."""
    return compact(events_path(), wait=wait)


def events_flush() -> CompactResult:
    """Make every event received so far visible to queries, now (tests, imports, the CLI)."""
    result = compact(events_path(), wait=True)
    assert result is not None
    return result


def events_import(
    *,
    actor: User | None,
    source: Source,
    spec: ImportSpec,
    skip_invalid: bool,
    progress: Progress | None = None,
) -> ImportResult:
    """Check a file of events, then (if clean, or skip_invalid) write it and compact, so the
    imported events are visible when this returns. ``actor=None``: the operator."""
    if actor is not None:
        selectors.access_source(actor, source.pk, for_write=True)
    progress = progress or NoProgress()
    ctx = import_context(source.pk, source.account_group_type, settings.INGEST_MAX_PAST_DAYS)
    result = check(spec, ctx, progress)
    if result.invalid and not skip_invalid:
        return result
    write(spec, ctx, result, events_append, progress)
    compacted = events_flush()
    result.stored, result.duplicates = compacted.stored, compacted.duplicates
    return result
