"""Reads of the surveys module: the one door per survey, and results grouped for every edge.

Who may do what (PRODUCT.md roles):
- results (scores, counts, charts) are scorecard material: every signed-in role reads them;
- responses with their verbatims, respondents and accounts are customer data: members and up
  (admin, leader, manager, member) read them, like product analytics — contributors and viewers
  see the numbers, not what individual customers wrote;
- a survey is managed (changed, deleted, answers added or imported) by leaders and admins, and by
  whoever may change its product (the product's owner and their managers); a survey without a
  product only by leaders and admins.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet

from quarterdeck.accounts import rules
from quarterdeck.accounts.models import User
from quarterdeck.lib.errors import InvalidInput, NotAllowed, NotFound
from quarterdeck.portfolio.models import Product
from quarterdeck.portfolio.selectors import may_change_item
from quarterdeck.surveys.metrics import Scale, Summary, score_group, summarize
from quarterdeck.surveys.models import Response, Survey

By = Literal["product", "segment", "stage", "period"]
Grain = Literal["day", "week", "month", "quarter"]
BY_CHOICES: Final = ("product", "segment", "stage", "period")
GRAIN_CHOICES: Final = ("day", "week", "month", "quarter")
GROUPS: Final = ("promoter", "passive", "detractor", "positive", "neutral", "negative")


def may_read_results(user: User) -> bool:
    return user.is_authenticated and user.is_active


def may_read_verbatims(user: User) -> bool:
    return rules.may_write_portfolio(user)


def may_manage_survey(user: User, product: Product | None) -> bool:
    if rules.changes_everything(user):
        return True
    return product is not None and may_change_item(user, product)


def scale_of(survey: Survey) -> Scale:
    return Scale(survey.scale_min, survey.scale_max)


def access_survey(user: User, survey_id: int, *, for_write: bool = False) -> Survey:
    """The one door to a survey: 403 when the user may not read (or change) it, 404 if absent."""
    if not may_read_results(user):
        raise NotAllowed("Sign in to see surveys.")
    survey = Survey.objects.select_related("product__line").filter(pk=survey_id).first()
    if survey is None:
        raise NotFound(f"There is no survey with id {survey_id}.")
    if for_write and not may_manage_survey(user, survey.product):
        raise NotAllowed(f"You may not change the survey “{survey.name}”.")
    return survey


def list_surveys(user: User) -> QuerySet[Survey]:
    if not may_read_results(user):
        raise NotAllowed("Sign in to see surveys.")
    return Survey.objects.select_related("product").order_by("name")


def survey_named(name: str) -> Survey:
    """For the operator (CLI): a survey by its name."""
    survey = Survey.objects.select_related("product").filter(name__iexact=name.strip()).first()
    if survey is None:
        raise NotFound(f"There is no survey named {name!r}.")
    return survey


def list_responses(user: User, survey_id: int, *, group: str | None = None) -> list[Response]:
    """A survey's responses, newest first, optionally of one score group (e.g. 'detractor')."""
    survey = access_survey(user, survey_id)
    if not may_read_verbatims(user):
        raise NotAllowed("Survey answers and verbatims are customer data: members and up.")
    if group is not None and group not in GROUPS:
        raise InvalidInput(f"group: one of {', '.join(GROUPS)}.", fields={"group": ["Unknown."]})
    found = list(survey.responses.select_related("product").order_by("-answered_at", "-pk"))
    if group is None:
        return found
    scale = scale_of(survey)
    return [
        r
        for r in found
        if r.score is not None and score_group(survey.kind, scale, r.score) == group
    ]


# Results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultRow:
    """One group of a breakdown: its key (a product name, segment, stage or period label)."""

    key: str
    summary: Summary


@dataclass(frozen=True)
class _Answer:
    score: int
    answered_at: dt.datetime
    product: str
    segment: str
    stage: str


def period_of(moment: dt.datetime, grain: Grain, zone: str) -> str:
    """The calendar period (workspace zone, weeks from Monday, METRICS_SPEC §0) of a moment:
    '2024-03-05', '2024-03-04' (the week's Monday), '2024-03', '2024-Q1'."""
    day = moment.astimezone(ZoneInfo(zone)).date()
    if grain == "day":
        return day.isoformat()
    if grain == "week":
        return (day - dt.timedelta(days=day.weekday())).isoformat()
    if grain == "month":
        return f"{day:%Y-%m}"
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _answers(survey: Survey, start: dt.date | None, end: dt.date | None) -> list[_Answer]:
    rows = survey.responses.filter(score__isnull=False)
    zone = ZoneInfo(settings.TIME_ZONE)
    if start is not None:
        rows = rows.filter(answered_at__gte=dt.datetime.combine(start, dt.time(), zone))
    if end is not None:
        after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), zone)
        rows = rows.filter(answered_at__lt=after)
    values = rows.values_list("score", "answered_at", "product__name", "segment", "stage")
    return [_Answer(s or 0, at, p or "", seg, st) for s, at, p, seg, st in values]  # scored only


def _key(answer: _Answer, by: By, grain: Grain) -> str:
    if by == "period":
        return period_of(answer.answered_at, grain, settings.TIME_ZONE)
    return getattr(answer, by) or "(none)"


def survey_summary(
    survey: Survey, *, start: dt.date | None = None, end: dt.date | None = None
) -> Summary:
    """The survey's numbers over its scored answers between two days (inclusive, workspace
    zone). No permission check: for callers that already went through access_survey, and for
    system work (key results, scorecards)."""
    scores = [a.score for a in _answers(survey, start, end)]
    return summarize(survey.kind, scale_of(survey), scores)


def survey_breakdown(
    survey: Survey,
    by: By,
    *,
    grain: Grain = "month",
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> list[ResultRow]:
    """Scored answers grouped by product, segment, journey stage or period; periods in time
    order, other groups by answer count (most first). No permission check (see above)."""
    groups: dict[str, list[int]] = defaultdict(list)
    for answer in _answers(survey, start, end):
        groups[_key(answer, by, grain)].append(answer.score)
    scale = scale_of(survey)
    rows = [ResultRow(k, summarize(survey.kind, scale, v)) for k, v in groups.items()]
    if by == "period":
        return sorted(rows, key=lambda r: r.key)
    return sorted(rows, key=lambda r: (-r.summary.count, r.key))


def survey_results(
    user: User,
    survey_id: int,
    by: str,
    *,
    grain: str = "month",
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> tuple[Survey, Summary, list[ResultRow]]:
    """(survey, overall summary, breakdown) for the API, CLI and pages."""
    survey = access_survey(user, survey_id)
    by_, grain_ = check_breakdown(by, grain)
    if start is not None and end is not None and start > end:
        raise InvalidInput("start: after end.", fields={"start": ["Must not be after end."]})
    overall = survey_summary(survey, start=start, end=end)
    return survey, overall, survey_breakdown(survey, by_, grain=grain_, start=start, end=end)


def check_breakdown(by: str, grain: str) -> tuple[By, Grain]:
    fields: dict[str, list[str]] = {}
    if by not in BY_CHOICES:
        fields["by"] = [f"One of {', '.join(BY_CHOICES)} (got {by!r})."]
    if grain not in GRAIN_CHOICES:
        fields["grain"] = [f"One of {', '.join(GRAIN_CHOICES)} (got {grain!r})."]
    if fields:
        raise InvalidInput("Invalid breakdown: " + " ".join(fields_text(fields)), fields=fields)
    return by, grain  # type: ignore[return-value]  # checked against the choices above


def fields_text(fields: dict[str, list[str]]) -> Iterable[str]:
    return (f"{name}: {'; '.join(msgs)}" for name, msgs in fields.items())


def scores_of(survey: Survey) -> list[int]:
    """Every scored answer of the survey (for its distribution)."""
    scored = survey.responses.filter(score__isnull=False).values_list("score", flat=True)
    return [s for s in scored if s is not None]
