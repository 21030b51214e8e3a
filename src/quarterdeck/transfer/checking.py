"""Check and normalise the cells of one row, column by column (no database lookups here)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils import timezone

from quarterdeck.people.models import Function, Level
from quarterdeck.portfolio.models import FeatureKind, ItemType, Stage
from quarterdeck.transfer.schema import COLUMNS, REQUIRED, Issue, Row


class Bad(Exception):
    """One cell is wrong; the message says why and what would be right."""


def text(value: Any, *, limit: int = 200, strip: bool = True) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Bad(f"expected text, found {value!r}")
    clean: str = value.strip() if strip else value
    if len(clean) > limit:
        raise Bad(f"at most {limit} characters (this one has {len(clean)})")
    return clean


def long_text(value: Any) -> str:
    return text(value, limit=100_000, strip=False)


def ref(value: Any) -> str | None:
    return text(value, limit=2000) or None


def choice(options: type[models.TextChoices], default: str | None) -> Callable[[Any], str]:
    def clean(value: Any) -> str:
        word = text(value).lower()
        if not word and default is not None:
            return default
        if word not in options.values:
            label = (
                options.__name__.lower()
                .replace("featurekind", "kind")
                .replace("itemtype", "item type")
            )
            raise Bad(f"unknown {label} {word!r}; use one of {', '.join(options.values)}")
        return word

    return clean


def email(value: Any) -> str | None:
    address = text(value, limit=254).lower()
    if not address:
        return None
    try:
        validate_email(address)
    except ValidationError as exc:
        raise Bad(f"{address!r} is not an e-mail address") from exc
    return address


def text_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise Bad("expected a list of names")
    return [item.strip() for item in value if item.strip()]


def links(value: Any) -> list[dict[str, str]]:
    if value is None or value == "":
        return []
    if not isinstance(value, list):
        raise Bad("expected a list of links")
    clean = []
    for index, link in enumerate(value, start=1):
        url = link.get("url") if isinstance(link, dict) else None
        if not isinstance(url, str):
            raise Bad(f"link {index}: expected a 'url'")
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise Bad(f"link {index}: {url!r} is not an http(s) address")
        clean.append({"label": str(link.get("label") or url), "url": url})
    return clean


def moment(value: Any) -> dt.datetime | None:
    raw = text(value, limit=64)
    if not raw:
        return None
    try:
        at = dt.datetime.fromisoformat(raw)
    except ValueError as exc:
        raise Bad(
            f"{raw!r} is not a date and time; use ISO 8601, e.g. 2025-03-14T09:30:00+00:00"
        ) from exc
    # A time without offset is read in the configured time zone, as a person would mean it.
    return timezone.make_aware(at) if timezone.is_naive(at) else at


CLEANERS: dict[str, Callable[[Any], Any]] = {
    "name": text,
    "description": long_text,
    "reason": long_text,
    "email": email,
    "title": text,
    "location": text,
    "function": choice(Function, Function.PRODUCT),
    "level": choice(Level, ""),
    "manager": ref,
    "owner": ref,
    "parent": ref,
    "line": ref,
    "product": ref,
    "item": ref,
    "teams": text_list,
    "target_segments": text_list,
    "links": links,
    "stage": choice(Stage, Stage.IDEA),
    "kind": choice(FeatureKind, FeatureKind.FEATURE),
    "item_type": choice(ItemType, None),
    "from_stage": choice(Stage, ""),
    "to_stage": choice(Stage, None),
    "at": moment,
}


def clean_row(row: Row) -> tuple[dict[str, Any], list[Issue]]:
    """The row's values, checked and normalised, and an issue for every bad cell."""
    clean: dict[str, Any] = {}
    issues = (
        [row.issue(None, str(row.values["__invalid__"]))] if "__invalid__" in row.values else []
    )
    if set(row.values) == {"__invalid__"}:
        return clean, issues
    known = COLUMNS[row.entity]
    for column in sorted(set(row.values) - {*known, "__invalid__"}):
        issues.append(row.issue(column, f"unknown field; expected {', '.join(known)}"))
    for column in known:
        value = row.values.get(column)
        try:
            clean[column] = CLEANERS[column](value)
        except Bad as exc:
            issues.append(row.issue(column, str(exc)))
            continue
        if column in REQUIRED[row.entity] and clean[column] in {None, ""}:
            issues.append(row.issue(column, "required; this cell is empty"))
    return clean, issues
