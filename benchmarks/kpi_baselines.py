"""The KPI pack's baselines: hand-written DuckDB SQL, and pandas, over the same Parquet.

Both do METRICS_SPEC §0 as an analyst would: anonymous ids linked to the user of their first
identify/alias call (by time), applied to events before and after it; activity = track, page
and screen rows. The store holds each event once (compaction), so neither dedups. The UTC day is
the ``date`` partition column, which an analyst who knows the layout would use.
"""

# ruff: noqa: S608 - the SQL is built from numbers and fixed names only, never from input

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb

NON_ACTIVITY = "('$identify', '$create_alias', '$groupidentify', '$set')"
FEATURE = "Dashboard Shared"
WEEKS = 12

IDENTITY = f"""
WITH links AS (
  SELECT anonymous_id, arg_min(user_id, (time, received_at, user_id)) AS user_id
  FROM events
  WHERE type IN ('identify', 'alias') AND anonymous_id IS NOT NULL AND user_id IS NOT NULL
    AND anonymous_id <> user_id
  GROUP BY anonymous_id
),
activity AS (
  SELECT e.date AS day, e.source_id, e.event,
    COALESCE(links.user_id, e.user_id, e.anonymous_id) AS person
  FROM events AS e LEFT JOIN links ON links.anonymous_id = COALESCE(e.user_id, e.anonymous_id)
  WHERE e.type IN ('track', 'page', 'screen') AND COALESCE(e.event, '') NOT IN {NON_ACTIVITY}
)
"""

DAU = (
    IDENTITY
    + """
SELECT day, source_id, COUNT(DISTINCT person) FROM activity
WHERE day BETWEEN $first AND $last GROUP BY ALL
"""
)

# First-ever activity week = the cohort; one row per (cohort, weeks later) with returners.
RETENTION = (
    IDENTITY
    + f"""
, weeks AS (SELECT DISTINCT person, CAST(date_trunc('week', day) AS DATE) AS week FROM activity),
cohorts AS (SELECT person, MIN(week) AS cohort FROM weeks GROUP BY person)
SELECT cohort, -1 AS n, COUNT(*) FROM cohorts WHERE cohort BETWEEN
  CAST(date_trunc('week', $first) AS DATE) AND $last GROUP BY ALL
UNION ALL
SELECT cohort, (week - cohort) // 7 AS n, COUNT(*) FROM cohorts JOIN weeks USING (person)
WHERE cohort BETWEEN CAST(date_trunc('week', $first) AS DATE) AND $last
  AND week - cohort <= {WEEKS * 7} GROUP BY ALL
"""
)

ADOPTION = (
    IDENTITY
    + f"""
SELECT date_trunc('month', day) AS month,
  COUNT(DISTINCT person) FILTER (WHERE event = '{FEATURE}'), COUNT(DISTINCT person)
FROM activity WHERE day BETWEEN $first AND $last GROUP BY ALL
"""
)

# MAU(d) = persons active in [d-29, d]. Each active day covers the 30 days from it, up to the
# person's next active day: disjoint spans, so MAU is a running sum of +1/-1 at their ends.
STICKINESS = (
    IDENTITY
    + """
, days AS (SELECT DISTINCT person, day FROM activity WHERE day BETWEEN $first - 29 AND $last),
spans AS (SELECT day, LEAST(day + 30, LEAD(day, 1, day + 30) OVER (PARTITION BY person
  ORDER BY day)) AS until FROM days),
edges AS (SELECT day, 1 AS dau, 1 AS delta FROM spans UNION ALL SELECT until, 0, -1 FROM spans),
daily AS (SELECT day, SUM(dau) AS dau, SUM(SUM(delta)) OVER (ORDER BY day) AS mau FROM edges
  GROUP BY day)
SELECT calendar.day, CASE WHEN daily.day = calendar.day THEN dau ELSE 0 END, COALESCE(mau, 0)
FROM (SELECT CAST(d AS DATE) AS day FROM range($first, $last + 1, INTERVAL 1 DAY) AS t(d))
  AS calendar ASOF LEFT JOIN daily ON calendar.day >= daily.day
"""
)


def _connect(data: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'UTC'")
    connection.execute("SET enable_progress_bar = false")
    pattern = str(data / "date=*" / "*.parquet")
    connection.execute(
        f"CREATE VIEW events AS SELECT * FROM read_parquet('{pattern}', hive_partitioning = true)"
    )
    return connection


def _as_date(value: Any) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value  # type: ignore[no-any-return]


def duckdb_pack(data: Path, first: date, last: date) -> dict[str, dict[Any, Any]]:
    db = _connect(data)
    span = {"first": first, "last": last}
    names = {
        s: s.removeprefix("src-").title()
        for s in ("src-atlas", "src-beacon", "src-compass", "src-dial")
    }
    dau = {(d, names[s]): n for d, s, n in db.execute(DAU, span).fetchall()}
    retention = {(_as_date(c), int(n)): k for c, n, k in db.execute(RETENTION, span).fetchall()}
    adoption = {_as_date(m): (a, n) for m, a, n in db.execute(ADOPTION, span).fetchall()}
    stickiness = {
        d: (dau_ / mau if mau else 0.0) for d, dau_, mau in db.execute(STICKINESS, span).fetchall()
    }
    adoption = {max(m, first): v for m, v in adoption.items()}
    return {"dau": dau, "retention": retention, "adoption": adoption, "stickiness": stickiness}


def pandas_pack(data: Path, first: date, last: date) -> dict[str, dict[Any, Any]]:
    """The same pack in pandas, as a notebook would do it."""
    import pandas as pd  # type: ignore[import-untyped]

    columns = ["type", "event", "user_id", "anonymous_id", "time", "received_at", "source_id"]
    files = sorted(str(path) for path in data.glob("date=*/*.parquet"))
    events = pd.read_parquet(files, columns=columns)
    events["day"] = events["time"].dt.tz_convert("UTC").dt.date
    ids = events[events["type"].isin(["identify", "alias"])].dropna(
        subset=["anonymous_id", "user_id"]
    )
    ids = ids[ids["anonymous_id"] != ids["user_id"]]
    links = (
        ids.sort_values(["time", "received_at", "user_id"])
        .drop_duplicates("anonymous_id")
        .set_index("anonymous_id")["user_id"]
    )
    act = events[
        events["type"].isin(["track", "page", "screen"])
        & ~events["event"].fillna("").isin(["$identify", "$create_alias", "$groupidentify", "$set"])
    ]
    own = act["user_id"].fillna(act["anonymous_id"])
    act = pd.DataFrame(
        {"day": act["day"], "source_id": act["source_id"], "event": act["event"],
         "person": own.map(links).fillna(own)}
    )  # fmt: skip
    names = {s: s.removeprefix("src-").title() for s in act["source_id"].unique()}
    in_range = act[(act["day"] >= first) & (act["day"] <= last)]
    dau = in_range.groupby(["day", "source_id"])["person"].nunique()
    out_dau = {(d, names[s]): int(n) for (d, s), n in dau.items()}
    return {
        "dau": out_dau,
        "retention": _pandas_retention(act, first, last),
        "adoption": _pandas_adoption(in_range, first),
        "stickiness": _pandas_stickiness(act, first, last),
    }


def _pandas_retention(act: Any, first: date, last: date) -> dict[Any, Any]:
    import pandas as pd

    days = pd.to_datetime(act["day"])
    weeks = pd.DataFrame(
        {
            "person": act["person"],
            "week": (days - pd.to_timedelta(days.dt.weekday, unit="D")).dt.date,
        }
    )
    weeks = weeks.drop_duplicates()
    cohorts = weeks.groupby("person")["week"].min().rename("cohort")
    low = first - timedelta(days=first.weekday())
    cohorts = cohorts[(cohorts >= low) & (cohorts <= last)]
    joined = weeks.join(cohorts, on="person", how="inner")
    joined["n"] = (pd.to_datetime(joined["week"]) - pd.to_datetime(joined["cohort"])).dt.days // 7
    joined = joined[joined["n"] <= WEEKS]
    cells = {(c, -1): int(k) for c, k in cohorts.value_counts().items()}
    cells.update(
        {(c, int(n)): int(k) for (c, n), k in joined.groupby(["cohort", "n"]).size().items()}
    )
    return cells


def _pandas_adoption(in_range: Any, first: date) -> dict[Any, Any]:
    import pandas as pd

    month = pd.to_datetime(in_range["day"]).dt.to_period("M").dt.start_time.dt.date
    frame = in_range.assign(month=month)
    active = frame.groupby("month")["person"].nunique()
    used = frame[frame["event"] == FEATURE].groupby("month")["person"].nunique()
    return {max(m, first): (int(used.get(m, 0)), int(n)) for m, n in active.items()}


def _pandas_stickiness(act: Any, first: date, last: date) -> dict[Any, Any]:
    pairs = act[["person", "day"]].drop_duplicates()
    result = {}
    by_day = pairs.groupby("day")["person"].apply(set).to_dict()
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        month: set[str] = set()
        for back in range(30):
            month |= by_day.get(day - timedelta(days=back), set())
        dau = len(by_day.get(day, set()))
        result[day] = dau / len(month) if month else 0.0
    return result
