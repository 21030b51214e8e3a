"""Key results bound to a metric: checking a binding, reading its values over time, and saying
what it is and where its data can be seen.

Bindings (``KeyResult.metric``) by source:

- analytics: ``{"query": <insight query data>, "series": "mau"}`` (strategy/bindings_analytics.py);
- survey: ``{"survey_id": N, "window_days": 90}``: the survey's score (NPS, CSAT or CES, by its
  kind — METRICS_SPEC §6) over the trailing window ending each sample day (weekly, and today);
- revenue: ``{"metric": "mrr", "product_id": N}`` (or ``"line_id"``, or neither: the company).
  MRR and ARR are read on days (weekly, and today); the other metrics per complete month, dated
  on the month's last day;
- manual: ``{}``: the values are the key result's check-ins (strategy/refresh.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

from quarterdeck.lib.errors import InvalidInput
from quarterdeck.strategy import bindings_analytics as analytics
from quarterdeck.strategy.models import KeyResult, Source

Points = list[tuple[dt.date, float]]
KEYS: Final[dict[str, tuple[str, ...]]] = {
    Source.ANALYTICS: ("query", "series"),
    Source.SURVEY: ("survey_id", "window_days"),
    Source.REVENUE: ("metric", "product_id", "line_id"),
    Source.MANUAL: (),
}
DEFAULT_WINDOW_DAYS: Final = 90
MAX_WINDOW_DAYS: Final = 366
DAILY_REVENUE: Final = ("mrr", "arr")


def _invalid(name: str, message: str) -> InvalidInput:
    return InvalidInput(f"{name}: {message}", fields={name: [message]})


def check_binding(source: str, metric: Mapping[str, Any]) -> dict[str, Any]:
    """The binding in normal form; InvalidInput with fields ``metric.<key>`` saying how to fix."""
    if not isinstance(source, str) or source not in KEYS:
        raise _invalid("source", f"{source!r} is not a source; use one of {', '.join(KEYS)}.")
    if not isinstance(metric, Mapping):
        raise _invalid("metric", "Expected an object of the binding's parameters.")
    allowed = KEYS[source]
    for key in sorted(set(metric) - set(allowed)):
        use = f"use {', '.join(allowed)}" if allowed else "a manual key result has no binding"
        raise _invalid(f"metric.{key}", f"Unknown for a {source} key result; {use}.")
    if source == Source.ANALYTICS:
        return analytics.check_analytics(metric)
    if source == Source.SURVEY:
        return _check_survey(metric)
    if source == Source.REVENUE:
        return _check_revenue(metric)
    return {}


def _whole(name: str, raw: Any, low: int, high: int) -> int:
    text = str(raw).strip()
    if isinstance(raw, bool) or not isinstance(raw, int | str) or not text.isdigit():
        raise _invalid(f"metric.{name}", f"{raw!r} is not a whole number.")
    if not low <= int(text) <= high:
        raise _invalid(f"metric.{name}", f"Must be between {low} and {high}, got {text}.")
    return int(text)


def _check_survey(metric: Mapping[str, Any]) -> dict[str, Any]:
    from quarterdeck.surveys.models import Survey

    if metric.get("survey_id") in (None, ""):
        raise _invalid("metric.survey_id", "Required: the id of the survey to follow.")
    survey_id = _whole("survey_id", metric["survey_id"], 1, 2**63 - 1)
    if not Survey.objects.filter(pk=survey_id).exists():
        raise _invalid("metric.survey_id", f"There is no survey with id {survey_id}.")
    window = metric.get("window_days", DEFAULT_WINDOW_DAYS)
    return {
        "survey_id": survey_id,
        "window_days": _whole("window_days", window, 1, MAX_WINDOW_DAYS),
    }


def _check_revenue(metric: Mapping[str, Any]) -> dict[str, Any]:
    from quarterdeck.portfolio.models import Product, ProductLine
    from quarterdeck.revenue.metrics import METRICS

    name = metric.get("metric")
    if not isinstance(name, str) or name not in METRICS:
        raise _invalid(
            "metric.metric", f"{name!r} is not a revenue metric; use one of {', '.join(METRICS)}."
        )
    found: dict[str, Any] = {"metric": name}
    if metric.get("product_id") not in (None, "") and metric.get("line_id") not in (None, ""):
        raise _invalid(
            "metric.line_id", "Give a product or a line, not both (neither: the company)."
        )
    for key, model in (("product_id", Product), ("line_id", ProductLine)):
        if metric.get(key) in (None, ""):
            continue
        pk = _whole(key, metric[key], 1, 2**63 - 1)
        if not model.objects.filter(pk=pk).exists():
            raise _invalid(f"metric.{key}", f"There is no {model._meta.verbose_name} with id {pk}.")
        found[key] = pk
    return found


# Evaluation ----------------------------------------------------------------------------------


def evaluate(kr: KeyResult, *, today: dt.date) -> Points:
    """The values of a bound key result from ``kr.start`` to ``min(today, kr.end)``, oldest first
    (manual key results: their check-ins, read by the refresh). Raises DomainError (or the
    warehouse's own errors) when the data cannot be read."""
    if kr.source == Source.ANALYTICS:
        return analytics.evaluate_analytics(kr.metric, start=kr.start, end=kr.end, today=today)
    if kr.source == Source.SURVEY:
        return _survey_points(kr, today)
    if kr.source == Source.REVENUE:
        return _revenue_points(kr, today)
    return []


def _survey(kr: KeyResult) -> Any:
    from quarterdeck.surveys.models import Survey

    survey = Survey.objects.filter(pk=kr.metric.get("survey_id")).first()
    if survey is None:
        raise _invalid("metric.survey_id", f"The survey {kr.metric.get('survey_id')} was deleted.")
    return survey


def _survey_points(kr: KeyResult, today: dt.date) -> Points:
    from quarterdeck.surveys.selectors import survey_summary

    survey = _survey(kr)
    last = min(today, kr.end)
    if last < kr.start:
        return []
    window = dt.timedelta(days=int(kr.metric.get("window_days", DEFAULT_WINDOW_DAYS)) - 1)
    points: Points = []
    for day in analytics.sample_days(kr.start, last):
        value = survey_summary(survey, start=day - window, end=day).value
        if value is not None:
            points.append((day, float(value)))
    return points


def _subject(metric: Mapping[str, Any]) -> Any:
    from quarterdeck.revenue.metrics import subject_of

    return subject_of(None, metric.get("product_id"), metric.get("line_id"))


def _revenue_points(kr: KeyResult, today: dt.date) -> Points:
    last = min(today, kr.end)
    if last < kr.start:
        return []
    name = str(kr.metric["metric"])
    if name in DAILY_REVENUE:
        return _revenue_days(name, _subject(kr.metric), kr.start, last)
    return _revenue_months(name, _subject(kr.metric), kr.start, last)


def _revenue_days(name: str, subject: Any, first: dt.date, last: dt.date) -> Points:
    from quarterdeck.revenue import engine
    from quarterdeck.revenue.metrics import engine_subs, rates_on, scope_of

    subs, rates, scope = engine_subs(), rates_on(last), scope_of(subject)
    points: Points = []
    for day in analytics.sample_days(first, last):
        try:
            mrr = engine.mrr_on(subs, rates, day, scope)
        except engine.MissingRate as missing:
            raise InvalidInput(str(missing), fields={"currency": [str(missing)]}) from missing
        points.append((day, round(float(mrr * (12 if name == "arr" else 1)), 6)))
    return points


def _revenue_months(name: str, subject: Any, first: dt.date, last: dt.date) -> Points:
    """Complete months only: a month's churn or NRR is not known before it ends."""
    from quarterdeck.revenue.metrics import revenue_series

    points: Points = []
    for point in revenue_series(name, subject, first, last):
        closing = point.end - dt.timedelta(days=1)
        if closing <= last and point.value is not None:
            points.append((closing, float(point.value)))
    return points


# What it is and where to see it ----------------------------------------------------------------


def describe(kr: KeyResult) -> str:
    """One line saying what the key result measures (for pages, exports and the API)."""
    try:
        if kr.source == Source.ANALYTICS:
            return _describe_analytics(kr.metric)
        if kr.source == Source.SURVEY:
            survey = _survey(kr)
            days = kr.metric.get("window_days", DEFAULT_WINDOW_DAYS)
            kind = survey.get_kind_display()
            return f"{kind} of survey “{survey.name}” — score over the trailing {days} days"
        if kr.source == Source.REVENUE:
            return _describe_revenue(kr.metric)
    except (InvalidInput, LookupError, ValueError, TypeError) as exc:
        return f"{kr.get_source_display()} — binding no longer valid ({exc})"
    return "Manual — the values typed in with check-ins"


def _describe_analytics(metric: Mapping[str, Any]) -> str:
    from quarterdeck.analytics.queries import parse_query
    from quarterdeck.portfolio.models import Product

    query = parse_query(metric["query"])
    series = str(metric["series"])
    product = Product.objects.filter(pk=query.product_id).first() if query.product_id else None
    subject = product.name if product else "all products"
    label = (
        series.upper() if series in analytics.SNAPSHOT_MEASURES[:3] else series.replace("_", " ")
    )
    what = "measure" if query.kind == "active-users" else "value"
    actor = query.options.get("actor", "user")
    return f"{label} of {subject} — analytics {query.kind}, {what} {series}, {actor} actor"


def _describe_revenue(metric: Mapping[str, Any]) -> str:
    subject = _subject(metric)
    where = subject.name if subject is not None else "the company"
    name = str(metric["metric"])
    label = name.upper() if name in DAILY_REVENUE else name.replace("_", " ")
    return f"{label} of {where} — revenue {name}"


def trace_url(kr: KeyResult) -> str | None:
    """The page that shows the data behind the key result, or None (manual, or a page that
    cannot be linked)."""
    try:
        if kr.source == Source.ANALYTICS:
            return _analytics_url(kr)
        if kr.source == Source.SURVEY:
            return reverse("surveys:detail", args=[int(kr.metric["survey_id"])])
        if kr.source == Source.REVENUE:
            pairs = {k.removesuffix("_id"): v for k, v in kr.metric.items() if k.endswith("_id")}
            query = f"?{urlencode(pairs)}" if pairs else ""
            return f"{reverse('revenue:index')}{query}"
    except (NoReverseMatch, InvalidInput, LookupError, ValueError, TypeError):
        return None
    return None


def _analytics_url(kr: KeyResult) -> str:
    from quarterdeck.analytics.queries import parse_query
    from quarterdeck.analytics.readers import builder_url

    query = parse_query(kr.metric["query"])
    if query.kind in analytics.DAILY_KINDS:
        query = analytics.daily_query(query, str(kr.metric["series"]), kr.start, kr.end)
    return builder_url(query)
