"""The canonical events table: what ingestion writes and what the metric engine reads.

Ingestion (Segment / PostHog / files) turns every call into one row of this shape; on the
embedded default the rows live in date-partitioned Parquet files
(``<data dir>/events/date=YYYY-MM-DD/*.parquet``, ``date`` = the UTC date of ``time``), which the
DuckDB connection exposes as a view named ``events``. In warehouse mode the same columns come from
the company's own table through a column mapping.

Identity and accounts are NOT resolved at ingestion: the engine derives them at query time from
the identify/alias and group rows of this same table, so that a link made today applies to
yesterday's events too (METRICS_SPEC §0, retroactive identity).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

# Row types. "track", "page" and "screen" are activity; "identify", "alias" and "group" are not.
ACTIVITY_TYPES: Final = ("track", "page", "screen")
IDENTITY_TYPES: Final = ("identify", "alias")
GROUP_TYPE: Final = "group"
ROW_TYPES: Final = (*ACTIVITY_TYPES, *IDENTITY_TYPES, GROUP_TYPE)


@dataclass(frozen=True)
class Column:
    name: str
    sql_type: str  # portable SQL type name (DuckDB spelling; transpiled per engine)
    nullable: bool
    meaning: str


EVENT_COLUMNS: Final = (
    Column("event_id", "VARCHAR", False, "messageId (Segment) / uuid (PostHog); unique per source"),
    Column("source_id", "VARCHAR", False, "the Source the event came in through"),
    Column("type", "VARCHAR", False, "track | page | screen | identify | alias | group"),
    Column(
        "event",
        "VARCHAR",
        True,
        "event name: track → its event; page → 'Page Viewed' unless named; screen → 'Screen "
        "Viewed'; PostHog events keep their names ($pageview, ...); NULL for identify/alias/group",
    ),
    Column(
        "user_id",
        "VARCHAR",
        True,
        "userId (Segment) / distinct_id (PostHog). identify/alias rows: the id being linked TO",
    ),
    Column(
        "anonymous_id",
        "VARCHAR",
        True,
        "anonymousId (Segment). identify rows: the anonymous id being linked; alias rows: "
        "previousId (Segment) / the alias (PostHog $create_alias); PostHog $identify: "
        "$anon_distinct_id",
    ),
    Column(
        "account_id",
        "VARCHAR",
        True,
        "the event's own account: context.groupId (Segment) / properties.$groups.company "
        "(PostHog); group rows: the groupId the person joins",
    ),
    Column("time", "TIMESTAMP", False, "event time in UTC, clock-skew corrected (METRICS_SPEC §0)"),
    Column("received_at", "TIMESTAMP", False, "when Quarterdeck received it, UTC"),
    Column("properties", "VARCHAR", True, "event properties as a JSON object (text)"),
    Column("traits", "VARCHAR", True, "identify/group traits as a JSON object (text)"),
)

EVENT_COLUMN_NAMES: Final = tuple(column.name for column in EVENT_COLUMNS)
EVENTS_TABLE: Final = "events"
