"""CSV import of survey answers, through a column mapping (CSV column → answer field).

The conventions of quarterdeck.transfer: every row is checked before anything is written; a
problem is reported as file / row / column / reason (row 1 is the header, so the first answer
is row 2); by default one bad row and nothing is written (``ImportRejected``, a 400); with
``skip_invalid`` the good rows are written, in one transaction, and the bad ones reported.

Dates: ``dayfirst`` (31/12/2024 14:30), ``monthfirst`` (12/31/2024), ``iso`` (2024-12-31T14:30,
with an offset or not), or ``auto``: ISO is always understood; for slashed dates the file must
prove its order (a first number above 12 means day-first, a second above 12 month-first), else
the import refuses to guess and asks for a format. Times without a zone are in the workspace
zone. Re-importing a file changes nothing: each row has an external id — the mapped
``external_id`` column, else a fingerprint of the row's content (and its occurrence number,
so two identical rows stay two answers).
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

from quarterdeck.accounts.models import User
from quarterdeck.lib.errors import InvalidInput
from quarterdeck.lib.progress import NoProgress, Progress
from quarterdeck.portfolio.models import Product
from quarterdeck.surveys.dates import DATE_FORMATS, DateFormat, detect_format, parse_date
from quarterdeck.surveys.models import Source, Survey
from quarterdeck.surveys.responses import answers_audit, check_score, responses_store
from quarterdeck.surveys.selectors import access_survey

FIELDS: Final = (
    "score",
    "answered_at",
    "comment",
    "respondent",
    "account",
    "segment",
    "stage",
    "product",
    "external_id",
)
REQUIRED: Final = ("score", "answered_at")
LIMITS: Final = {"comment": 20_000, "product": 200, "external_id": 200}
MAX_REPORTED_IN_ERROR: Final = 100


@dataclass(frozen=True)
class RowError:
    file: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}, row {self.row}, column {self.column}: {self.reason}"


@dataclass
class ImportReport:
    file: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    date_format: str = ""
    skipped: list[RowError] = field(default_factory=list)

    @property
    def skipped_rows(self) -> int:
        return len({e.row for e in self.skipped})

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "skipped_rows": self.skipped_rows,
            "date_format": self.date_format,
            "errors": [e.__dict__ for e in self.skipped],
        }


class ImportRejected(InvalidInput):
    """Bad rows and no ``skip_invalid``: nothing written; ``report.skipped`` lists every row."""

    def __init__(self, report: ImportReport) -> None:
        errors = report.skipped
        shown = errors[:MAX_REPORTED_IN_ERROR]
        fields: dict[str, list[str]] = {}
        for e in shown:
            fields.setdefault(f"row {e.row}, column {e.column}", []).append(e.reason)
        more = f" (the first {len(shown)} are listed)" if len(errors) > len(shown) else ""
        super().__init__(
            f"{report.file}: {report.skipped_rows} of {report.rows} rows are invalid{more}; "
            "nothing was imported. Fix them, or import with skip-invalid to import the rest.",
            fields=fields,
        )
        self.report = report


# The mapping --------------------------------------------------------------------------------


def check_mapping(mapping: Mapping[str, str], header: list[str], file: str) -> None:
    fields: dict[str, list[str]] = {}
    for column, target in mapping.items():
        if target not in FIELDS:
            fields[column] = [f"Unknown field {target!r}; one of {', '.join(FIELDS)}."]
        elif column not in header:
            fields[column] = [f"No such column in {file} (it has: {', '.join(header)})."]
    targets = Counter(mapping.values())
    for target in REQUIRED:
        if targets[target] == 0:
            fields.setdefault("mapping", []).append(f"Map a column to {target!r}.")
    for target, count in targets.items():
        if count > 1:
            fields.setdefault("mapping", []).append(f"Several columns map to {target!r}.")
    if fields:
        summary = "; ".join(f"{k}: {v[0]}" for k, v in fields.items())
        raise InvalidInput(f"Invalid column mapping — {summary}", fields=fields)


def parse_mapping(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """'CSV column=field' pairs (CLI and form) as a mapping."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        column, sep, target = pair.rpartition("=")
        if not sep or not column.strip():
            raise InvalidInput(
                f"Mapping {pair!r}: write it as COLUMN=field, e.g. NPS_SCORE=score.",
                fields={"mapping": [f"{pair!r} is not COLUMN=field."]},
            )
        mapping[column.strip()] = target.strip()
    return mapping


# Rows -----------------------------------------------------------------------------------------


@dataclass
class _Context:
    survey: Survey
    file: str
    mapping: dict[str, str]  # field → CSV column
    date_format: DateFormat
    products: dict[str, int]
    seen: Counter[str] = field(default_factory=Counter)


def _fingerprint(ctx: _Context, record: dict[str, str]) -> str:
    content = "\x1f".join(record.get(c, "") for c in sorted(ctx.mapping.values()))
    digest = hashlib.sha256(content.encode()).hexdigest()[:24]
    ctx.seen[digest] += 1
    return f"csv:{digest}:{ctx.seen[digest]}"


def _value(ctx: _Context, name: str, raw: str) -> Any:
    if name == "score":
        score = check_score(ctx.survey, raw.strip())
        if score is None:
            raise ValueError("No score: the answer is empty.")
        return score
    if name == "answered_at":
        return parse_date(raw, ctx.date_format)
    text = raw.strip()
    if len(text) > LIMITS.get(name, 200) or "\x00" in text:
        raise ValueError(f"At most {LIMITS.get(name, 200)} characters, and no NUL characters.")
    if name == "product":
        if text and text.lower() not in ctx.products:
            raise ValueError(f"There is no product named {text!r}.")
        return ctx.products.get(text.lower(), ctx.survey.product_id)
    return text


def _row(
    ctx: _Context, number: int, record: dict[str, str]
) -> tuple[dict[str, Any], list[RowError]]:
    values: dict[str, Any] = {"product_id": ctx.survey.product_id}
    errors: list[RowError] = []
    for name, column in ctx.mapping.items():
        try:
            value = _value(ctx, name, record.get(column) or "")
        except ValueError as exc:
            errors.append(RowError(ctx.file, number, column, str(exc)))
            continue
        values["product_id" if name == "product" else name] = value
    if not values.get("external_id"):
        values["external_id"] = _fingerprint(ctx, record)
    return values, errors


def _complete(values: dict[str, Any]) -> dict[str, Any]:
    blank = {"comment": "", "respondent": "", "account": "", "segment": "", "stage": ""}
    return {**blank, **values}


# The import --------------------------------------------------------------------------------


def _read(content: bytes, file: str) -> tuple[list[str], list[dict[str, str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"{file}: not UTF-8 text (byte {exc.start}); save the CSV as UTF-8.",
            fields={"file": ["Not UTF-8."]},
        ) from None
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = list(reader.fieldnames or [])
        records = [dict(r) for r in reader]
    except csv.Error as exc:
        raise InvalidInput(
            f"{file}: not a readable CSV ({exc}).", fields={"file": [str(exc)]}
        ) from None
    if not header:
        raise InvalidInput(f"{file}: the file is empty.", fields={"file": ["Empty."]})
    return header, records


def _format(date_format: str, column: str, records: list[dict[str, str]]) -> DateFormat:
    if date_format not in DATE_FORMATS:
        raise InvalidInput(
            f"date_format: one of {', '.join(DATE_FORMATS)}.",
            fields={"date_format": [f"Unknown format {date_format!r}."]},
        )
    if date_format != "auto":
        return date_format  # type: ignore[return-value]  # one of DATE_FORMATS
    return detect_format([r.get(column) or "" for r in records])


def check_file(
    survey: Survey,
    content: bytes,
    *,
    file: str,
    mapping: Mapping[str, str],
    date_format: str = "auto",
    progress: Progress | None = None,
) -> tuple[list[dict[str, Any]], ImportReport]:
    """Every row checked, nothing written: (clean answers, report with the bad rows)."""
    header, records = _read(content, file)
    check_mapping(mapping, header, file)
    by_field = {target: column for column, target in mapping.items()}
    chosen = _format(date_format, by_field["answered_at"], records)
    products = {n.lower(): pk for pk, n in Product.objects.values_list("pk", "name")}
    ctx = _Context(survey, file, by_field, chosen, products)
    report = ImportReport(file=file, rows=len(records), date_format=chosen)
    progress = progress or NoProgress()
    progress.start("Checking", len(records))
    clean = []
    for index, record in enumerate(records):
        values, errors = _row(ctx, index + 2, record)
        report.skipped += errors
        if not errors:
            clean.append(_complete(values))
        progress.advance()
    return clean, report


def survey_import(
    *,
    actor: User | None,
    survey_id: int,
    content: bytes,
    file: str,
    mapping: Mapping[str, str],
    date_format: str = "auto",
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import answers from a CSV (see the module docstring). ``actor`` None: the operator (CLI).
    Raises ImportRejected when rows are bad and ``skip_invalid`` is off."""
    survey = access_survey(actor, survey_id, for_write=True) if actor else _system(survey_id)
    clean, report = check_file(
        survey, content, file=file, mapping=mapping, date_format=date_format, progress=progress
    )
    if report.skipped and not skip_invalid:
        raise ImportRejected(report)
    with transaction.atomic():
        report.created, report.updated = responses_store(survey, clean, Source.IMPORT)
        answers_audit(actor, survey, report.created, report.updated, Source.IMPORT)
    return report


def _system(survey_id: int) -> Survey:
    from quarterdeck.lib.errors import NotFound

    survey = Survey.objects.select_related("product").filter(pk=survey_id).first()
    if survey is None:
        raise NotFound(f"There is no survey with id {survey_id}.")
    return survey
