"""The JSON format: one document with a list of objects per table, lists and links as JSON."""

from __future__ import annotations

import json
from typing import Any

from quarterdeck.transfer.schema import ENTITIES, FileProblem, Issue, Row, Tables

FORMAT = "quarterdeck"
VERSION = 1


def dump(tables: dict[str, list[dict[str, Any]]]) -> bytes:
    document: dict[str, Any] = {"format": FORMAT, "version": VERSION}
    document.update({entity: tables.get(entity, []) for entity in ENTITIES})
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()


def load(name: str, text: str) -> Tables:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileProblem(
            [
                Issue(
                    name,
                    exc.lineno,
                    None,
                    f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                )
            ]
        ) from exc
    if not isinstance(document, dict):
        raise FileProblem(
            [Issue(name, None, None, "expected a JSON object with one list per table")]
        )
    _check_header(name, document)
    return {entity: _rows(entity, document[entity]) for entity in ENTITIES if entity in document}


def _check_header(name: str, document: dict[str, Any]) -> None:
    issues = []
    if document.get("format", FORMAT) != FORMAT:
        issues.append(
            Issue(name, None, "format", f"expected {FORMAT!r}, found {document['format']!r}")
        )
    if document.get("version", VERSION) != VERSION:
        issues.append(
            Issue(name, None, "version", f"this Quarterdeck reads version {VERSION} only")
        )
    unknown = sorted(set(document) - {"format", "version", *ENTITIES})
    if unknown:
        issues.append(
            Issue(
                name,
                None,
                None,
                f"unknown section(s) {', '.join(unknown)}; expected {', '.join(ENTITIES)}",
            )
        )
    for entity in ENTITIES:
        if not isinstance(document.get(entity, []), list):
            issues.append(Issue(entity, None, None, "expected a list of objects"))
    if issues:
        raise FileProblem(issues)


def _rows(entity: str, items: list[Any]) -> list[Row]:
    rows = []
    for number, item in enumerate(items, start=1):
        row = Row(entity, entity, number)
        if isinstance(item, dict):
            row.values = {str(key): value for key, value in item.items()}
        else:
            row.values = {
                "__invalid__": f"expected an object with the row's fields, found {item!r}"
            }
        rows.append(row)
    return rows
