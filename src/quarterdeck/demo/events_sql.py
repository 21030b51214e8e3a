"""The SQL that expands users and days into event rows, in DuckDB (vectorised, no numpy needed).

Randomness is a hash of (the user's seeded salt, day, event number, purpose) mapped to [0, 1),
so the same tables always give the same events, however DuckDB splits the work. A user is active
on a day with their weekday rate (less at weekends, tapering in the four weeks before their
account churns); an active day is one session of ``n_events`` rows, each a page view or a
feature event drawn from that product-day's odds; a feature event of a user outside the
feature's reach (see events_story.feature_reach) becomes a page view instead.
"""

from __future__ import annotations

from typing import Final

import duckdb
import pyarrow as pa

from quarterdeck.demo.events_tables import MICROS_PER_DAY

MACROS: Final = """
CREATE MACRO unif(a, b, c, d) AS (hash(a, b, c, d) >> 11)::DOUBLE / 9007199254740992.0;
CREATE MACRO as_uuid(h) AS concat_ws('-', h[1:8], h[9:12], h[13:16], h[17:20], h[21:32]);
CREATE MACRO user_days(lo, hi) AS TABLE
SELECT u.user_idx, u.salt, u.is_new, u.primary_idx, u.secondary_idx, u.secondary_from,
       d.day, d.day_us,
       CASE WHEN d.day = u.start_day THEN u.signup_sec
            ELSE 25200 + floor(unif(u.salt, d.day, 0, 3) * 37800)::BIGINT END
         - u.tz_sec AS start_sec,
       1 + floor(-ln(1 - unif(u.salt, d.day, 0, 2)) * (u.events_mean - 1))::BIGINT AS n_events,
       20 + floor(unif(u.salt, d.day, 0, 4) * 220)::BIGINT AS gap_sec
FROM users u, days d
WHERE d.day BETWEEN lo AND hi AND d.day >= u.start_day AND d.day < u.stop_day
  AND (d.day = u.start_day
       OR unif(u.salt, d.day, 0, 1) < u.active_rate
            * CASE WHEN d.weekend THEN u.weekend_factor ELSE 1.0 END
            * CASE WHEN d.day > u.churn_day - 28
                   THEN greatest(0.15, (u.churn_day - d.day) / 28.0) ELSE 1.0 END);
CREATE MACRO received(t, a, b, c) AS t + 40000 + floor(unif(a, b, c, 10) * 3000000)::BIGINT;
"""

FIRST_DAYS: Final = """
CREATE TABLE first_days AS
SELECT user_idx, min(day) AS first_day FROM user_days(0, $last) GROUP BY user_idx
"""

# Activity: one session per active user-day, each row a page view or a feature event.
ACTIVITY: Final = """
CREATE MACRO activity(lo, hi, t0, t1) AS TABLE
WITH ev AS (
    SELECT ud.*, unnest(range(ud.n_events)) AS k FROM user_days(lo, hi) ud
), picked AS (
    SELECT ev.*,
           CASE WHEN ev.secondary_idx >= 0 AND ev.day >= ev.secondary_from
                     AND unif(ev.salt, ev.day, ev.k, 5) < 0.3 * pd.trend
                THEN ev.secondary_idx ELSE ev.primary_idx END AS product,
           unif(ev.salt, ev.day, ev.k, 6) AS pick,
           ev.day_us + (ev.start_sec + ev.k * ev.gap_sec) * 1000000
             + floor(unif(ev.salt, ev.day, ev.k, 7) * 1000000)::BIGINT AS time_us
    FROM ev LEFT JOIN product_days pd ON pd.product = ev.secondary_idx AND pd.day = ev.day
), gated AS (
    SELECT p.*,
           CASE WHEN o.feature >= 0 AND unif(p.salt, o.feature, 0, 8) >= o.reach
                THEN o.pages_lo + floor(unif(p.salt, p.day, p.k, 9) * o.pages_count)::BIGINT
                ELSE o.outcome END AS chosen
    FROM picked p
    ASOF JOIN odds o ON o.product = p.product AND o.day = p.day AND p.pick >= o.lo
    WHERE p.time_us >= t0 AND p.time_us < t1
)
SELECT as_uuid(md5(concat_ws(':', g.salt, g.day, g.k))) AS event_id,
       i.source_id, i.type, i.event, u.user_id, u.anon_id AS anonymous_id,
       CASE WHEN i.sends_account THEN u.account_id END AS account_id,
       g.time_us, received(g.time_us, g.salt, g.day, g.k) AS received_at_us,
       i.props AS properties, NULL::VARCHAR AS traits
FROM gated g
JOIN outcome_info i ON i.outcome = g.chosen
JOIN users u ON u.user_idx = g.user_idx
"""

# On a user's first active day of the window: a sign-up (new users, still anonymous), then the
# identify that links their anonymous id, then the group call that ties them to their account.
IDENTITY: Final = """
CREATE MACRO identity(lo, hi, t0, t1) AS TABLE
WITH firsts AS (
    SELECT u.*, ud.day, r.kind, ud.day_us + (ud.start_sec - r.seconds) * 1000000 AS time_us
    FROM user_days(lo, hi) ud
    JOIN first_days f ON f.user_idx = ud.user_idx AND f.first_day = ud.day
    JOIN users u ON u.user_idx = ud.user_idx
    CROSS JOIN (VALUES ('signup', 20), ('identify', 10), ('group', 9)) r(kind, seconds)
    WHERE r.kind <> 'signup' OR ud.is_new
)
SELECT as_uuid(md5(concat_ws(':', salt, day, kind))) AS event_id, source_id,
       CASE kind WHEN 'signup' THEN 'track' ELSE kind END AS type,
       CASE kind WHEN 'signup' THEN 'Signed Up' END AS event,
       CASE WHEN kind <> 'signup' THEN user_id END AS user_id,
       anon_id AS anonymous_id,
       CASE kind WHEN 'group' THEN account_id END AS account_id,
       time_us, received(time_us, salt, day, -1) AS received_at_us,
       CASE kind WHEN 'signup' THEN signup_props END AS properties,
       CASE kind WHEN 'identify' THEN traits WHEN 'group' THEN account_traits END AS traits
FROM firsts WHERE time_us >= t0 AND time_us < t1
"""


def connect(tables: dict[str, pa.Table], last_day: int) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the input tables, the macros and every user's first day."""
    con = duckdb.connect(":memory:")
    for name, table in tables.items():
        con.from_arrow(table).create(name)  # native tables: scanning Arrow each query is slower
    con.execute(MACROS)
    con.execute(FIRST_DAYS, {"last": last_day})
    con.execute(ACTIVITY)
    con.execute(IDENTITY)
    return con


CHUNK: Final = """
SELECT *, (time_us - $start) // $day AS day_index FROM (
    SELECT * FROM activity($lo, $hi, $t0, $t1)
    UNION ALL SELECT * FROM identity($lo, $hi, $t0, $t1)
    UNION ALL SELECT * FROM visitors WHERE time_us >= $t0 AND time_us < $t1
) ORDER BY time_us, event_id
"""


def events_between(
    con: duckdb.DuckDBPyConnection, days: tuple[int, int], micros: tuple[int, int], start: int
) -> pa.Table:
    """Every row whose time is in [micros), ordered by time, with its day index (from the
    window's ``start`` in microseconds). The sessions of ``days`` (inclusive) include the day
    before, whose evenings spill past midnight UTC."""
    lo, hi = days
    params = {"lo": lo - 1, "hi": hi, "t0": micros[0], "t1": micros[1], "start": start}
    params["day"] = MICROS_PER_DAY
    return con.sql(CHUNK, params=params).to_arrow_table()
