"""The three scorecard families read from stored numbers only (never the event engine), as
daily series per product: adoption from the KPI snapshots (MAU), satisfaction from survey
answers (the survey kind's score over a trailing 90-day window), revenue from the stored
subscriptions through the revenue engine (MRR in the reporting currency).

Each reader returns what the scorecard needs for one subject (a product, or a line pooling its
products): a ``Reading`` sampled weekly over the last twelve weeks up to an anchor day.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Final
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Max, Sum

from quarterdeck.kpis.models import KpiSnapshot, Metric
from quarterdeck.revenue import engine
from quarterdeck.revenue.metrics import rates_on
from quarterdeck.revenue.models import CurrencyRate, Subscription, SubscriptionItem
from quarterdeck.revenue.selectors import reporting_currency
from quarterdeck.surveys.metrics import Scale, summarize
from quarterdeck.surveys.models import Kind, Response, Survey

WEEKS: Final = 12
CHANGE_DAYS: Final = 28  # "the period change": now against four weeks ago
WINDOW_DAYS: Final = 90  # satisfaction: answers of the 90 days up to the day
KIND_ORDER: Final = (Kind.NPS, Kind.CSAT, Kind.CES)

Series = dict[dt.date, float]


def spark_days(anchor: dt.date) -> list[dt.date]:
    """Twelve weekly days ending at ``anchor``; the fifth from the end is four weeks before."""
    return [anchor - dt.timedelta(days=7 * k) for k in range(WEEKS - 1, -1, -1)]


@dataclass(frozen=True)
class Reading:
    value: float | None
    before: float | None  # CHANGE_DAYS before the anchor
    spark: list[tuple[dt.date, float]]
    day: dt.date | None  # the anchor: the day the value is of


NO_READING: Final = Reading(None, None, [], None)


def reading_of(series: Series, anchor: dt.date | None) -> Reading:
    if anchor is None:
        return NO_READING
    spark = [(day, series[day]) for day in spark_days(anchor) if day in series]
    before = series.get(anchor - dt.timedelta(days=CHANGE_DAYS))
    return Reading(series.get(anchor), before, spark, anchor)


def summed(many: Iterable[Series]) -> Series:
    """Day by day sum of several series (a day counts the subjects that have it)."""
    total: Series = defaultdict(float)
    for series in many:
        for day, value in series.items():
            total[day] += value
    return dict(total)


# Adoption ------------------------------------------------------------------------------------


def mau_series(product_ids: Iterable[int], today: dt.date) -> dict[int, Series]:
    """Per product, its stored MAU snapshots of the last 16 weeks up to yesterday (one query):
    today is left out like on the KPI pages, a partial day would read as a drop."""
    since = today - dt.timedelta(days=7 * WEEKS + CHANGE_DAYS)
    rows = KpiSnapshot.objects.filter(
        product_id__in=list(product_ids),
        feature__isnull=True,
        metric=Metric.MAU,
        day__gte=since,
        day__lt=today,
    ).values_list("product_id", "day", "value")
    found: dict[int, Series] = defaultdict(dict)
    for product_id, day, value in rows:
        found[product_id][day] = value
    return found


def latest_day(series: Series) -> dt.date | None:
    return max(series) if series else None


# Satisfaction --------------------------------------------------------------------------------


@dataclass
class Answers:
    """The scored answers of one or more surveys of one kind, by day (workspace zone)."""

    kind: str
    scale: Scale
    surveys: list[Survey] = field(default_factory=list)
    days: list[dt.date] = field(default_factory=list)  # sorted
    scores: list[int] = field(default_factory=list)  # in the order of ``days``

    def window(self, end: dt.date) -> list[int]:
        first = end - dt.timedelta(days=WINDOW_DAYS - 1)
        low = bisect.bisect_left(self.days, first)
        high = bisect.bisect_right(self.days, end)
        return self.scores[low:high]

    def series(self, days: Sequence[dt.date]) -> Series:
        found: Series = {}
        for day in days:
            value = summarize(self.kind, self.scale, self.window(day)).value
            if value is not None:
                found[day] = value
        return found


def chosen_kind(surveys: Sequence[Survey]) -> str | None:
    """NPS if there is one, else CSAT, else CES: one kind per subject, never mixed."""
    kinds = {survey.kind for survey in surveys}
    return next((kind for kind in KIND_ORDER if kind in kinds), None)


def pooled_answers(surveys: Sequence[Survey], today: dt.date) -> Answers | None:
    """The answers of the subject's surveys of its chosen kind, pooled (one respondent, one
    answer: the pooled score is the answer-weighted score of the surveys)."""
    kind = chosen_kind(surveys)
    if kind is None:
        return None
    same = [s for s in surveys if s.kind == kind]
    answers = Answers(kind, Scale(same[0].scale_min, same[0].scale_max), same)
    since = today - dt.timedelta(days=7 * WEEKS + CHANGE_DAYS + WINDOW_DAYS)
    zone = ZoneInfo(settings.TIME_ZONE)
    rows = Response.objects.filter(
        survey__in=same,
        score__isnull=False,
        answered_at__gte=dt.datetime.combine(since, dt.time(), zone),
    ).values_list("answered_at", "score")
    scored = ((at.astimezone(zone).date(), score) for at, score in rows if score is not None)
    for day, score in sorted(scored):
        answers.days.append(day)
        answers.scores.append(score)
    return answers


def satisfaction_reading(answers: Answers | None, today: dt.date) -> Reading:
    if answers is None:
        return NO_READING
    days = [*spark_days(today), today - dt.timedelta(days=CHANGE_DAYS)]
    return reading_of(answers.series(days), today)


# Revenue -------------------------------------------------------------------------------------


def stored_subs() -> list[engine.Sub]:
    """Every stored subscription as the engine sees it (what revenue.metrics.engine_subs
    reads), in two flat queries: model instances cost the home page half a second."""
    items: dict[int, list[engine.Item]] = defaultdict(list)
    rows = SubscriptionItem.objects.values_list(
        "subscription_id", "product_id", "amount", "quantity"
    )
    for sub_id, product_id, amount, quantity in rows:
        items[sub_id].append(engine.Item(product_id, amount, quantity))
    fields = (
        "pk", "external_id", "customer__external_id", "currency", "interval", "started_at",
        "status", "interval_count", "canceled_at", "ended_at", "trial_end",
    )  # fmt: skip
    found = []
    for row in Subscription.objects.values_list(*fields):
        pk, ext, customer, currency, interval, start, status, count, canceled, ended, trial = row
        sub = engine.Sub(ext, customer, currency, interval, start, tuple(items[pk]), status, count)
        found.append(replace(sub, canceled_at=canceled, ended_at=ended, trial_end=trial))
    return found


def _revenue_fingerprint() -> tuple[object, ...]:
    """Changes whenever a subscription, item or rate does (one query per table)."""
    stamp = (Count("pk"), Max("updated_at"), Sum("version"))
    return (
        *Subscription.objects.aggregate(*stamp).values(),
        *SubscriptionItem.objects.aggregate(Count("pk"), Max("pk")).values(),
        *CurrencyRate.objects.aggregate(*stamp).values(),
    )


# The last answer, per process: the home page asks for the same figures on every load.
_memo: dict[tuple[object, ...], dict[int, Series]] = {}


def mrr_series(product_ids: Iterable[int], today: dt.date) -> dict[int, Series]:
    """Per product, MRR on each spark day in the reporting currency: the engine over the stored
    subscriptions, read once (and not again until they change). Raises engine.MissingRate when
    a currency has no rate."""
    ids = tuple(sorted(product_ids))
    key = (today, ids, reporting_currency(), *_revenue_fingerprint())
    if key not in _memo:
        found = _mrr_series(ids, today)
        _memo.clear()
        _memo[key] = found
    return {pk: dict(series) for pk, series in _memo[key].items()}


def _mrr_series(product_ids: Iterable[int], today: dt.date) -> dict[int, Series]:
    subs = stored_subs()
    rates = rates_on(today)
    days = spark_days(today)
    spans = [engine.Period(day, day + dt.timedelta(days=1)) for day in days]
    found: dict[int, Series] = {}
    for product_id in product_ids:
        results = engine.compute(subs, rates, spans, engine.Scope(frozenset({product_id})))
        found[product_id] = {r.period.last_day: float(r.mrr) for r in results}
    return found
