"""GET /export and POST /import: the transfer services over HTTP, leaders and admins only."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from quarterdeck.lib.api_edge import api_user, errors
from quarterdeck.transfer.schema import Issue
from quarterdeck.transfer.services import ImportResult, transfer_export, transfer_import

router = Router(tags=["import / export"])


class IssueOut(Schema):
    file: str
    row: int | None
    column: str | None
    message: str


class ImportOut(Schema):
    written: bool
    created: dict[str, int]
    unchanged: dict[str, int]
    errors: list[IssueOut]
    skipped: list[IssueOut]


def _issues(issues: list[Issue]) -> list[IssueOut]:
    return [IssueOut(file=i.file, row=i.row, column=i.column, message=i.message) for i in issues]


def _out(result: ImportResult) -> ImportOut:
    return ImportOut(
        written=result.written,
        created=result.created,
        unchanged=result.unchanged,
        errors=_issues(result.errors),
        skipped=_issues(result.skipped),
    )


@router.get(
    "/export",
    response=errors(403),
    openapi_extra={
        "responses": {
            200: {
                "description": "The export, as a download.",
                "content": {
                    "application/json": {"schema": {"type": "object"}},
                    "application/zip": {"schema": {"type": "string", "format": "binary"}},
                },
            }
        }
    },
    summary="Export the portfolio and the people",
    description="`format=json` (one document) or `format=csv` (a zip of one CSV file per table).",
)
def export(request: HttpRequest, format: Literal["json", "csv"] = "json") -> HttpResponse:
    exported = transfer_export(actor=api_user(request), fmt=format)
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response


@router.post(
    "/import",
    response={200: ImportOut, 400: ImportOut, **errors(403)},
    summary="Import an export (JSON, zip of CSV files, or one CSV file)",
    description=(
        "Every row is checked first. With errors and `skip_invalid` false nothing is written "
        "(400, with every error); with `skip_invalid` true the valid rows are written and the "
        "bad ones, and the rows depending on them, are listed under `skipped`."
    ),
)
def import_(
    request: HttpRequest,
    file: File[UploadedFile],
    skip_invalid: Form[bool] = False,
) -> Status[ImportOut]:
    result = transfer_import(
        actor=api_user(request),
        filename=file.name or "upload",
        content=file.read(),
        skip_invalid=skip_invalid,
    )
    return Status(200 if result.written else 400, _out(result))
