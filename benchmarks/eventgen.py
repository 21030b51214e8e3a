"""Deterministic synthetic events for the analytics benchmarks, written as the embedded store
writes them: ``<dir>/date=YYYY-MM-DD/part-*.parquet`` (canonical columns, times as UTC
timestamps, zstd), which ``DuckDBEngine.from_parquet(<dir>)`` reads.

The model, all in DuckDB SQL (every random draw is a hash of the seed and the row's coordinates,
so the same parameters give the same rows, in any order and on any day generated alone):

- users sign up at a steady rate (``users_per_day``), live for a random number of days (many
  short lives, some long), are active on a share of those days and do a power-law number of
  events on an active day (Pareto, a few users do most of the events);
- 60 % arrive anonymously: their events before their ``identify`` call carry only an anonymous
  id, so identity resolution (METRICS_SPEC §0) changes the counts; 1 % of anonymous ids are
  identified again later as another user (a shared computer: the first link wins);
- 85 % of users join an account with a ``group`` row, 5 % move to another account later; 30 %
  of their events also carry the account themselves;
- four products (``source_id``s), 20 features (track events with properties), page views, a
  few mobile screens, and 3 % of rows from anonymous visitors who never sign up.

Each ``(source_id, event_id)`` appears once, as in the embedded store (compaction keeps the first
received copy of a re-delivered event), so the engine's query-time dedup has nothing to remove.

``ensure_events(directory, events)`` generates (or reuses) a data set; ``append_day`` adds the
rows the same model gives for one more day (for incremental-refresh benchmarks). Run alone:

    .venv/bin/python benchmarks/eventgen.py --events 10M [--data DIR]
"""

# ruff: noqa: S608 - the SQL is built from numbers and fixed names only, never from input

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final

import duckdb

FIRST_DAY: Final = date(2024, 1, 1)
MANIFEST: Final = "quarterdeck-bench.json"
MODEL_VERSION: Final = 2  # bump when the SQL below changes what it generates
PRODUCTS: Final = ("src-atlas", "src-beacon", "src-compass", "src-dial")
FEATURES: Final = (
    "Report Exported", "Dashboard Created", "Dashboard Shared", "Chart Added", "Filter Applied",
    "Alert Created", "Comment Posted", "Teammate Invited", "Integration Connected",
    "Segment Saved", "Query Run", "Template Used", "Goal Set", "Roadmap Viewed",
    "Feedback Tagged", "Survey Sent", "Export Scheduled", "API Key Created", "Theme Changed",
    "Search Performed",
)  # fmt: skip
EVENTS_PER_USER: Final = 200  # over the whole range: sets the number of users
ACTIVITY_SHARE: Final = 0.99  # activity + visitor rows; the rest: identify and group rows
VISITOR_SHARE: Final = 0.03


@dataclass(frozen=True)
class Params:
    events: int
    days: int
    seed: int
    users_per_day: int
    scale: float = 0.0  # events per active day = scale x the user's weight; fitted to `events`
    version: int = MODEL_VERSION

    @property
    def visitors_per_day(self) -> int:
        return max(1, round(self.events * VISITOR_SHARE / self.days))


def _rnd(*parts: str) -> str:
    """A uniform draw in [0, 1) from the seed and the given SQL expressions (integers, or
    quoted tags). Each part is mixed in by a re-hash: DuckDB's many-argument ``hash`` is nearly
    linear (hash(1, i) and hash(1, i + 1) correlate at 0.99)."""
    mixed = "hash(seed)"
    for part in parts:
        value = f"hash({part})" if part.startswith("'") else f"CAST({part} AS UBIGINT)"
        mixed = f"hash(xor({mixed}, {value}))"
    return f"({mixed} / 18446744073709551616.0)"


def _users_sql(p: Params, last_index: int) -> str:
    """One row per user who signed up by day ``last_index`` (day indexes from FIRST_DAY)."""
    return f"""
    SELECT u, day AS s, day + 1 + CAST(FLOOR(365 * POW({_rnd("u", "'life'")}, 2)) AS BIGINT) AS e,
      0.1 + 0.85 * {_rnd("u", "'p'")} AS p_active,
      LEAST(200.0, POW(1 - {_rnd("u", "'m'")}, -0.8)) AS weight,
      {_rnd("u", "'anon'")} < 0.6 AS anon_start,
      TIMESTAMPTZ '{FIRST_DAY} 00:00:00+00' + TO_DAYS(CAST(day AS INTEGER))
        + TO_SECONDS(CAST(FLOOR(172800 * {_rnd("u", "'idt'")}) AS BIGINT)) AS identify_at,
      CASE WHEN {_rnd("u", "'acct'")} < 0.85
        THEN 'acct-' || CAST(FLOOR({_rnd("u", "'which'")} * accounts) AS BIGINT) END AS account,
      {_rnd("u", "'move'")} < 0.05 AS moves,
      {_rnd("u", "'shared'")} < 0.01 AS shared_anon,
      CAST(FLOOR(4 * {_rnd("u", "'product'")}) AS INTEGER) AS product,
      ['free', 'pro', 'team'][1 + CAST(FLOOR(3 * {_rnd("u", "'plan'")}) AS INTEGER)] AS plan,
      seed
    FROM (SELECT u, u // {p.users_per_day} AS day, {p.seed} AS seed,
      GREATEST(10, {p.users_per_day * p.days} // 25) AS accounts
      FROM range({p.users_per_day * (last_index + 1)}) AS t(u))
    """


def _user_days_sql(p: Params, lo: int, hi: int) -> str:
    """(user, day, n): how many events each user does on each active day in [lo, hi]."""
    count = f"FLOOR({p.scale} * weight * 2 * {_rnd('u', 'day', "'n'")} + {_rnd('u', 'day', "'f'")})"
    return f"""
    SELECT users.*, day, CAST({count} AS BIGINT) AS n
    FROM users, range(GREATEST(s, {lo}), LEAST(e, {hi}) + 1) AS d(day)
    WHERE {_rnd("u", "day", "'on'")} < p_active
    """


_ACTIVITY = f"""
SELECT u, day, j, account, moves, product, identify_at, anon_start,
  TIMESTAMPTZ '{FIRST_DAY} 00:00:00+00' + TO_DAYS(CAST(day AS INTEGER))
    + TO_SECONDS(CAST(FLOOR(86400 * {_rnd("u", "day", "j", "'t'")}) AS BIGINT)) AS time,
  {_rnd("u", "day", "j", "'kind'")} AS kind, {_rnd("u", "day", "j", "'src'")} AS src,
  {_rnd("u", "day", "j", "'feat'")} AS feat, {_rnd("u", "day", "j", "'own'")} AS own,
  {_rnd("u", "day", "j", "'x'")} AS x
FROM user_days, range(n) AS r(j)
"""

_FEATURE_LIST = "[" + ", ".join(f"'{name}'" for name in FEATURES) + "]"
_PRODUCT_LIST = "[" + ", ".join(f"'{name}'" for name in PRODUCTS) + "]"

# One canonical row per activity draw; `e-<user>-<day>-<j>` ids are unique across sources.
_ACTIVITY_ROWS = f"""
SELECT 'e-' || u || '-' || day || '-' || j AS event_id,
  {_PRODUCT_LIST}[1 + CASE WHEN src < 0.8 THEN product ELSE CAST(FLOOR(src * 20) AS INTEGER) % 4
    END] AS source_id,
  CASE WHEN kind < 0.35 THEN 'page' WHEN kind < 0.40 THEN 'screen' ELSE 'track' END AS type,
  CASE WHEN kind < 0.35 THEN 'Page Viewed' WHEN kind < 0.40 THEN 'Screen Viewed'
    ELSE {_FEATURE_LIST}[1 + CAST(FLOOR(20 * feat * feat) AS INTEGER)] END AS event,
  CASE WHEN anon_start AND time < identify_at THEN NULL ELSE 'user-' || u END AS user_id,
  'anon-' || u AS anonymous_id,
  CASE WHEN own < 0.3 AND NOT moves THEN account END AS account_id,
  time, time + TO_MICROSECONDS(CAST(FLOOR(x * 30000000) AS BIGINT)) AS received_at,
  CASE WHEN kind < 0.40 THEN '{{"path":"/p/' || CAST(FLOOR(x * 50) AS INTEGER) || '"}}'
    ELSE '{{"format":"' || ['pdf', 'csv', 'png'][1 + CAST(FLOOR(x * 3) AS INTEGER)]
      || '","items":' || CAST(FLOOR(x * 40) AS INTEGER) || '}}' END AS properties,
  NULL AS traits
FROM activity
"""


def _visitors_sql(p: Params, lo: int, hi: int) -> str:
    n = p.visitors_per_day
    visitor = f"CAST(FLOOR({n * 3} * POW({_rnd('day', 'j', "'v'")}, 2)) AS BIGINT)"
    second = f"CAST(FLOOR(86400 * {_rnd('day', 'j', "'t'")}) AS BIGINT)"
    return f"""
    SELECT 'v-' || day || '-' || j AS event_id,
      {_PRODUCT_LIST}[1 + CAST(FLOOR(4 * {_rnd("day", "j", "'src'")}) AS INTEGER)] AS source_id,
      'page' AS type, 'Page Viewed' AS event, NULL AS user_id,
      'visitor-' || {visitor} AS anonymous_id, NULL AS account_id,
      TIMESTAMPTZ '{FIRST_DAY} 00:00:00+00' + TO_DAYS(CAST(day AS INTEGER))
        + TO_SECONDS({second}) AS time,
      NULL AS received_at, '{{"path":"/pricing"}}' AS properties, NULL AS traits
    FROM (SELECT {p.seed} AS seed, day, j FROM range({lo}, {hi} + 1) AS d(day), range({n}) AS r(j))
    """


_TRAITS = (
    '\'{"plan":"\' || plan || \'","created_at":"\' || strftime(identify_at, \'%Y-%m-%dT%H:%M:%SZ\')'
    " || '\"}'"
)

# identify (+ a shared computer's second link, + a later trait update) and group rows.
_IDENTITY_ROWS = f"""
SELECT 'id-' || u AS event_id, {_PRODUCT_LIST}[1 + product] AS source_id, 'identify' AS type,
  NULL AS event, 'user-' || u AS user_id, 'anon-' || u AS anonymous_id, NULL AS account_id,
  identify_at AS time, {_TRAITS} AS traits FROM users
UNION ALL
SELECT 'id2-' || u, {_PRODUCT_LIST}[1 + product], 'identify', NULL, 'user-' || (u + 1),
  'anon-' || u, NULL, identify_at + TO_DAYS(3), NULL FROM users WHERE shared_anon
UNION ALL
SELECT 'grp-' || u, {_PRODUCT_LIST}[1 + product], 'group', NULL, 'user-' || u, 'anon-' || u,
  account, identify_at + TO_SECONDS(60), '{{"plan":"' || plan || '"}}'
FROM users WHERE account IS NOT NULL
UNION ALL
SELECT 'grp2-' || u, {_PRODUCT_LIST}[1 + product], 'group', NULL, 'user-' || u, 'anon-' || u,
  account || '-b', identify_at + TO_DAYS(CAST((e - s) // 2 AS INTEGER)), NULL
FROM users WHERE account IS NOT NULL AND moves
"""


def _rows_sql(p: Params, lo: int, hi: int) -> str:
    """Every canonical row whose UTC day index is in [lo, hi], plus its partition date."""
    first = f"TIMESTAMPTZ '{FIRST_DAY} 00:00:00+00'"
    return f"""
    WITH users AS ({_users_sql(p, hi)}),
    user_days AS ({_user_days_sql(p, lo, hi)}),
    activity AS ({_ACTIVITY}),
    rows AS (
      {_ACTIVITY_ROWS}
      UNION ALL SELECT * REPLACE (time + TO_SECONDS(1) AS received_at)
        FROM ({_visitors_sql(p, lo, hi)})
      UNION ALL SELECT event_id, source_id, type, event, user_id, anonymous_id, account_id, time,
        time + TO_SECONDS(2) AS received_at, NULL AS properties, traits FROM ({_IDENTITY_ROWS})
    ),
    kept AS (SELECT * FROM rows WHERE time >= {first} + TO_DAYS({lo})
      AND time < {first} + TO_DAYS({hi + 1}))
    SELECT *, CAST(time AS DATE) AS date FROM kept
    """


def _connect() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'UTC'")  # partition dates are UTC dates
    connection.execute("SET enable_progress_bar = false")
    return connection


def _fit_scale(connection: duckdb.DuckDBPyConnection, p: Params) -> float:
    """The factor that makes the expected number of activity rows about ``events`` x share."""
    expected = f"""
    WITH users AS ({_users_sql(p, p.days - 1)})
    SELECT SUM((LEAST(e, {p.days - 1}) - s + 1) * p_active * weight) FROM users
    """
    row = connection.execute(expected).fetchone()
    assert row is not None
    target = p.events * (ACTIVITY_SHARE - VISITOR_SHARE)
    return float(target / float(row[0]))


def _read_manifest(directory: Path) -> dict[str, Any] | None:
    try:
        found: dict[str, Any] = json.loads((directory / MANIFEST).read_text())
    except (OSError, ValueError):
        return None
    return found


def _reuse(directory: Path, wanted: Params) -> bool:
    """Reuse a data set made with the same parameters, dropping days appended to it since."""
    found = _read_manifest(directory)
    if found is None:
        return False
    base = {k: found["params"][k] for k in ("events", "days", "seed", "version")}
    if base != {k: getattr(wanted, k) for k in base} or not found.get("complete"):
        return False
    for name in found.get("appended", []):
        (directory / name).unlink(missing_ok=True)
    found["appended"] = []
    (directory / MANIFEST).write_text(json.dumps(found, indent=2))
    return True


def ensure_events(
    directory: Path | str, events: int, *, days: int = 182, seed: int = 20240101
) -> Path:
    """Generate about ``events`` rows over ``days`` days from FIRST_DAY into ``directory``
    (date partitions), or reuse what is there when it was made with the same parameters.
    Returns the directory, ready for ``DuckDBEngine.from_parquet``."""
    directory = Path(directory)
    users_per_day = max(1, events // EVENTS_PER_USER // days)
    params = Params(events=events, days=days, seed=seed, users_per_day=users_per_day)
    if _reuse(directory, params):
        return directory
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    connection = _connect()
    params = Params(**{**asdict(params), "scale": _fit_scale(connection, params)})
    connection.execute(
        f"COPY ({_rows_sql(params, 0, days - 1)}) TO '{directory}' (FORMAT PARQUET, "
        "PARTITION_BY (date), COMPRESSION zstd, FILENAME_PATTERN 'part-{i}', "
        "OVERWRITE_OR_IGNORE true)"
    )
    manifest = {"params": asdict(params), "complete": True, "appended": []}
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return directory


def append_day(directory: Path | str, day: date) -> int:
    """Write the rows the model gives for ``day`` (usually the day after the range) as one more
    part file of its partition; returns the number of rows. ``ensure_events`` removes it again."""
    directory = Path(directory)
    found = _read_manifest(directory)
    if found is None:
        raise ValueError(f"{directory} holds no generated events (no {MANIFEST}).")
    params = Params(**found["params"])
    index = (day - FIRST_DAY).days
    if index < 0:
        raise ValueError(f"{day} is before the first generated day {FIRST_DAY}.")
    name = f"date={day.isoformat()}/part-append-{len(found['appended'])}.parquet"
    (directory / name).parent.mkdir(exist_ok=True)
    sql = f"SELECT * EXCLUDE (date) FROM ({_rows_sql(params, index, index)}) ORDER BY time"
    connection = _connect()
    connection.execute(f"COPY ({sql}) TO '{directory / name}' (FORMAT PARQUET, COMPRESSION zstd)")
    found["appended"].append(name)
    (directory / MANIFEST).write_text(json.dumps(found, indent=2))
    row = connection.execute(f"SELECT COUNT(*) FROM '{directory / name}'").fetchone()
    return int(row[0]) if row else 0


def read_params(directory: Path | str) -> Params:
    found = _read_manifest(Path(directory))
    if found is None:
        raise ValueError(f"{directory} holds no generated events (no {MANIFEST}).")
    return Params(**found["params"])


def count_events(directory: Path | str) -> int:
    pattern = str(Path(directory) / "date=*" / "*.parquet")
    row = duckdb.connect().execute(f"SELECT COUNT(*) FROM read_parquet('{pattern}')").fetchone()
    return int(row[0]) if row else 0


def parse_count(text: str) -> int:
    """10M, 100M, 250k, 1000000 → an int."""
    units = {"k": 1_000, "m": 1_000_000, "g": 1_000_000_000}
    text = text.strip().lower().replace("_", "")
    try:
        if text and text[-1] in units:
            return int(float(text[:-1]) * units[text[-1]])
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a count: {text!r} (try 10M)") from None


def default_dir(events: int) -> Path:
    return Path("/tmp/quarterdeck-bench") / str(events)  # noqa: S108 - the brief's cache


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--events", type=parse_count, default=parse_count("10M"))
    parser.add_argument("--days", type=int, default=182)
    parser.add_argument("--data", type=Path, default=None)
    args = parser.parse_args(argv)
    directory = args.data or default_dir(args.events)
    started = time.perf_counter()
    ensure_events(directory, args.events, days=args.days)
    seconds = time.perf_counter() - started
    print(f"{count_events(directory):,} events in {directory} ({seconds:.1f} s)")


if __name__ == "__main__":
    main(sys.argv[1:])
