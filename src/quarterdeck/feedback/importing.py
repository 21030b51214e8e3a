"""CSV import of feedback through a column mapping (CSV column → item field).

The conventions of the survey import (quarterdeck.surveys.importing), whose report, row errors
and date formats this reuses: every row is checked before anything is written; a problem is
reported as file / row / column / reason (row 1 is the header); one bad row and nothing is
written (``ImportRejected``, a 400) unless ``skip_invalid``, which writes the good rows and
reports the others. Only ``text`` must be mapped. A product is named as in the portfolio (case
does not matter); an unknown one is a row error that lists the known names. Re-importing
updates: a row's identity is its ``external_id`` (within its source), else a fingerprint of the
row's content, so the same file imported twice never doubles the inbox. Imported items are
processed (embedded, deduplicated, themed) by the worker after the import commits.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from django.db import transaction
from django.utils import timezone

from quarterdeck.accounts.models import User
from quarterdeck.audit.models import Action
from quarterdeck.audit.services import audit_record
from quarterdeck.feedback import selectors
from quarterdeck.feedback.models import FeedbackItem, Source
from quarterdeck.feedback.services import (
    MAX_TEXT,
    clean_email,
    clean_tags,
    clean_text,
    schedule_processing,
)
from quarterdeck.lib.errors import InvalidInput, NotAllowed
from quarterdeck.portfolio.models import Product
from quarterdeck.surveys.dates import DATE_FORMATS, DateFormat, detect_format, parse_date
from quarterdeck.surveys.importing import ImportRejected, ImportReport, RowError, parse_mapping


@dataclass
class ImportResult(ImportReport):
    """The survey import's report, and the ids of the items written (to process)."""

    item_ids: list[int] = field(default_factory=list)


FIELDS: Final = (
    "text", "product", "account", "account_name", "submitter_name", "submitter_email",
    "received_at", "tags", "segment", "source", "external_id",
)  # fmt: skip
STORED: Final = ("text", "account", "account_name", "submitter_name", "submitter_email",
                 "received_at", "tags", "segment", "product_id", "line_id")  # fmt: skip
csv.field_size_limit(max(csv.field_size_limit(), MAX_TEXT * 4))  # enormous texts stay whole

__all__ = ["FIELDS", "ImportRejected", "ImportResult", "feedback_import_csv", "parse_mapping"]


# The file -------------------------------------------------------------------------------------


def _encoding_hint(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "it looks like UTF-16 (Excel's 'Unicode text')"
    try:
        content.decode("cp1252")
    except UnicodeDecodeError:
        return "its encoding is unknown"
    return "it looks like Windows-1252 / Latin-1 (Excel's plain 'CSV')"


def read_csv(content: bytes, file: str) -> tuple[list[str], list[dict[str, str]]]:
    """(header, rows) of a UTF-8 CSV; one InvalidInput naming the first undecodable byte."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        byte = content[exc.start : exc.start + 1].hex().upper()
        message = (
            f"{file} is not UTF-8 text: byte 0x{byte} at offset {exc.start} (line {line}) is not "
            f"valid UTF-8; {_encoding_hint(content)}. "
            "Save the file as 'CSV UTF-8' and import again."
        )
        raise InvalidInput(message, fields={"file": [message]}) from None
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [h.strip() for h in reader.fieldnames or []]
        rows = [{(k or "").strip(): v or "" for k, v in r.items()} for r in reader]
    except csv.Error as exc:
        raise InvalidInput(
            f"{file}: not a readable CSV ({exc}).", fields={"file": [str(exc)]}
        ) from None
    if not header:
        raise InvalidInput(f"{file}: the file is empty.", fields={"file": ["Empty."]})
    return header, rows


def check_mapping(mapping: Mapping[str, str], header: list[str], file: str) -> dict[str, str]:
    """field → CSV column; InvalidInput naming every problem of the mapping."""
    errors: dict[str, list[str]] = {}
    for column, target in mapping.items():
        if target not in FIELDS:
            errors[column] = [f"Unknown field {target!r}; one of {', '.join(FIELDS)}."]
        elif column not in header:
            errors[column] = [f"No such column in {file} (it has: {', '.join(header)})."]
    targets = Counter(mapping.values())
    if targets["text"] == 0:
        errors.setdefault("mapping", []).append("Map a column to 'text'.")
    for target, count in targets.items():
        if count > 1:
            errors.setdefault("mapping", []).append(f"Several columns map to {target!r}.")
    if errors:
        summary = "; ".join(f"{k}: {v[0]}" for k, v in errors.items())
        raise InvalidInput(f"Invalid column mapping — {summary}", fields=errors)
    return {target: column for column, target in mapping.items()}


# Rows -----------------------------------------------------------------------------------------


@dataclass
class _Context:
    file: str
    columns: dict[str, str]  # field → CSV column
    date_format: DateFormat
    products: dict[str, Product]
    seen: Counter[str] = field(default_factory=Counter)
    rows_of: dict[tuple[Any, str], int] = field(default_factory=dict)  # first row of each id

    def known_products(self) -> str:
        names = sorted({p.name for p in self.products.values()})
        return ", ".join(names) if names else "none yet"


def _product(ctx: _Context, raw: str) -> Product | None:
    name = raw.strip()
    if not name:
        return None
    product = ctx.products.get(name.lower())
    if product is None:
        raise ValueError(f"Unknown product {name!r}; the products are: {ctx.known_products()}.")
    return product


def _source(raw: str) -> str:
    value = raw.strip().lower() or Source.CSV
    if value not in Source.values:
        raise ValueError(f"Unknown source {raw.strip()!r}; one of {', '.join(Source.values)}.")
    return value


def _short(raw: str) -> str:
    text = raw.strip()
    if len(text) > 200 or "\x00" in text:
        raise ValueError("At most 200 characters, and no NUL characters.")
    return text


def _value(ctx: _Context, name: str, raw: str) -> Any:
    readers: dict[str, Any] = {
        "text": clean_text,
        "product": lambda r: _product(ctx, r),
        "submitter_email": clean_email,
        "received_at": lambda r: parse_date(r, ctx.date_format) if r.strip() else None,
        "tags": clean_tags,
        "source": _source,
    }
    return readers.get(name, _short)(raw)


def _fingerprint(ctx: _Context, record: dict[str, str]) -> str:
    content = "\x1f".join(record.get(c, "") for c in sorted(ctx.columns.values()))
    digest = hashlib.sha256(content.encode()).hexdigest()[:24]
    ctx.seen[digest] += 1
    return f"csv:{digest}:{ctx.seen[digest]}"


def _row(
    ctx: _Context, number: int, record: dict[str, str]
) -> tuple[dict[str, Any], list[RowError]]:
    values: dict[str, Any] = {"source": Source.CSV}
    errors: list[RowError] = []
    for name, column in ctx.columns.items():
        try:
            values[name] = _value(ctx, name, record.get(column) or "")
        except ValueError as exc:
            errors.append(RowError(ctx.file, number, column, str(exc)))
    if "product" in values:
        product = values.pop("product")
        values["product_id"] = product.pk if product else None
        values["line_id"] = product.line_id if product else None
    if values.get("received_at") is None:
        values.pop("received_at", None)  # a new item arrives now; a known one keeps its date
    values["external_id"] = values.get("external_id") or _fingerprint(ctx, record)
    key = (values.get("source"), values["external_id"])
    if key in ctx.rows_of and not errors:
        reason = f"The id {key[1]!r} is also on row {ctx.rows_of[key]}: one row per item."
        errors.append(RowError(ctx.file, number, ctx.columns.get("external_id", "-"), reason))
    ctx.rows_of.setdefault(key, number)
    return values, errors


def check_file(
    content: bytes, *, file: str, mapping: Mapping[str, str], date_format: str = "auto"
) -> tuple[list[dict[str, Any]], ImportResult]:
    """Every row checked, nothing written: (clean rows, report listing the bad ones)."""
    header, records = read_csv(content, file)
    columns = check_mapping(mapping, header, file)
    chosen = _format(date_format, columns.get("received_at"), records)
    products = {p.name.lower(): p for p in Product.objects.all()}
    ctx = _Context(file, columns, chosen, products)
    report = ImportResult(file=file, rows=len(records), date_format=chosen)
    clean = []
    for index, record in enumerate(records):
        values, errors = _row(ctx, index + 2, record)
        report.skipped += errors
        if not errors:
            clean.append(values)
    return clean, report


def _format(date_format: str, column: str | None, records: list[dict[str, str]]) -> DateFormat:
    if date_format not in DATE_FORMATS:
        message = f"Unknown format {date_format!r}; one of {', '.join(DATE_FORMATS)}."
        raise InvalidInput(f"date_format: {message}", fields={"date_format": [message]})
    if date_format != "auto":
        return date_format  # type: ignore[return-value]  # one of DATE_FORMATS
    if column is None:
        return "iso"
    return detect_format([r.get(column) or "" for r in records])


# Writing --------------------------------------------------------------------------------------


def _store(actor: User | None, rows: list[dict[str, Any]]) -> tuple[int, int, list[int]]:
    """(created, updated, ids to process): a known (source, external_id) is updated."""
    keys = {(r["source"], r["external_id"]) for r in rows}
    known = {
        (i.source, i.external_id): i
        for i in FeedbackItem.objects.filter(external_id__in={k for _, k in keys})
        if (i.source, i.external_id) in keys
    }
    now = timezone.now()
    created: list[FeedbackItem] = []
    changed: list[FeedbackItem] = []
    for row in rows:
        item = known.get((row["source"], row["external_id"]))
        if item is None:
            created.append(FeedbackItem(created_by=actor, **{"received_at": now, **row}))
            continue
        given = [name for name in STORED if name in row]
        if any(getattr(item, name) != row[name] for name in given):
            for name in given:
                setattr(item, name, row[name])
            item.version += 1
            item.updated_at = timezone.now()
            changed.append(item)
    FeedbackItem.objects.bulk_create(created, batch_size=500)
    FeedbackItem.objects.bulk_update(changed, [*STORED, "version", "updated_at"], batch_size=500)
    return len(created), len(changed), [i.pk for i in [*created, *changed] if i.pk is not None]


def feedback_import_csv(
    *,
    actor: User | None,
    file: bytes,
    mapping: Mapping[str, str],
    date_format: str = "auto",
    skip_invalid: bool = False,
    name: str = "upload.csv",
    schedule: bool = True,
) -> ImportResult:
    """Import feedback from a CSV (see the module docstring); ``actor`` None: the operator.
    ``schedule`` false: the caller processes ``report.item_ids`` itself (the CLI, with a
    progress bar). Raises ImportRejected when rows are bad and ``skip_invalid`` is off."""
    if actor is not None and not selectors.may_triage(actor):
        raise NotAllowed("Members and up import feedback files.")
    clean, report = check_file(file, file=name, mapping=mapping, date_format=date_format)
    if report.skipped and not skip_invalid:
        raise ImportRejected(report)
    with transaction.atomic():
        report.created, report.updated, ids = _store(actor, clean)
        audit_record(
            actor=actor, action=Action.CREATE, obj=FeedbackItem(pk=0, text=f"CSV import {name}"),
            after={"file": name, "created": report.created, "updated": report.updated},
            object_type="feedback_item",
        )  # fmt: skip
        if schedule:
            schedule_processing(ids)
    report.item_ids = ids
    return report
