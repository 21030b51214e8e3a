"""Survey answers from tracked events: PostHog `survey sent`, or a Segment track event.

``surveys_sync_events`` reads, for every survey with an event mapping, the track events named
``event_name`` (and, when ``event_survey_id`` is set, whose ``$survey_id`` property matches)
from the embedded event store — the Parquet files ingestion writes, queried with DuckDB — and
upserts one answer per event id. Ingestion always writes to the embedded store, also in
warehouse mode, so this reads every answer Quarterdeck received; events that exist only in a
company's warehouse are not read.

From each event: the score from ``score_property`` (a number or a numeric string, on the
survey's scale), the comment from ``comment_property``, the respondent (user id, else anonymous
id), the account (the event's own account), ``segment`` and ``journey_stage`` properties when
present. An event whose score is missing or off the scale still keeps its comment when it has
one (a verbatim without a score); one with neither is counted as ``invalid`` and skipped.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from quarterdeck.metrics.engine import DuckDBEngine
from quarterdeck.metrics.services import events_path
from quarterdeck.surveys.models import Source, Survey
from quarterdeck.surveys.responses import answers_audit, check_score, responses_store

log = logging.getLogger(__name__)

QUERY = """
SELECT event_id, user_id, anonymous_id, account_id, time, properties
FROM events
WHERE type = 'track' AND event = $event
ORDER BY time, event_id
"""


@dataclass
class SurveySync:
    survey: str
    events: int = 0
    created: int = 0
    updated: int = 0
    invalid: int = 0


@dataclass
class SyncResult:
    surveys: list[SurveySync] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {s.survey: {**s.__dict__} for s in self.surveys}


def _events(engine: DuckDBEngine, name: str) -> list[tuple[Any, ...]]:
    engine.connection.execute("SET TimeZone = 'UTC'")
    return engine.connection.execute(QUERY, {"event": name}).fetchall()


def _properties(raw: str | None) -> dict[str, Any]:
    try:
        value = json.loads(raw or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _score(survey: Survey, raw: Any) -> int | None:
    try:
        return check_score(survey, raw)
    except ValueError:
        return None


def _answer(survey: Survey, row: tuple[Any, ...]) -> dict[str, Any] | None:
    event_id, user_id, anonymous_id, account_id, time, raw = row
    props = _properties(raw)
    if survey.event_survey_id and str(props.get("$survey_id", "")) != survey.event_survey_id:
        return None
    score = _score(survey, props.get(survey.score_property)) if survey.score_property else None
    comment = str(props.get(survey.comment_property) or "") if survey.comment_property else ""
    if score is None and not comment.strip():
        return {}
    moment = time if time.tzinfo else time.replace(tzinfo=dt.UTC)
    return {
        "score": score,
        "comment": comment.strip()[:20_000],
        "answered_at": moment,
        "respondent": str(user_id or anonymous_id or "")[:200],
        "account": str(account_id or "")[:200],
        "product_id": survey.product_id,
        "segment": str(props.get("segment") or "")[:100],
        "stage": str(props.get("journey_stage") or "")[:100],
        "external_id": f"event:{event_id}"[:200],
    }


def _sync_one(engine: DuckDBEngine, survey: Survey) -> SurveySync:
    run = SurveySync(survey.name)
    answers = []
    for row in _events(engine, survey.event_name):
        answer = _answer(survey, row)
        if answer is None:
            continue  # another survey's event
        run.events += 1
        if answer:
            answers.append(answer)
        else:
            run.invalid += 1
    with transaction.atomic():
        run.created, run.updated = responses_store(survey, answers, Source.EVENT)
        if run.created:
            answers_audit(None, survey, run.created, run.updated, Source.EVENT)
    return run


def surveys_sync_events(*, survey_ids: list[int] | None = None) -> SyncResult:
    """Upsert the answers of every survey with an event mapping (or of ``survey_ids``)."""
    surveys = Survey.objects.exclude(event_name="").order_by("pk")
    if survey_ids is not None:
        surveys = surveys.filter(pk__in=survey_ids)
    result = SyncResult()
    chosen = list(surveys)
    if not chosen:
        return result
    engine = DuckDBEngine.from_parquet(events_path())
    for survey in chosen:
        result.surveys.append(_sync_one(engine, survey))
    return result
