WITH src AS (
  SELECT
    event_id AS event_id,
    source_id AS source_id,
    type AS type,
    event AS event,
    user_id AS user_id,
    anonymous_id AS anonymous_id,
    account_id AS account_id,
    time AS time,
    received_at AS received_at,
    properties AS properties,
    traits AS traits
  FROM events
), bounded AS (
  SELECT
    *
  FROM src
  WHERE
    type IN ('identify', 'alias', 'group')
  UNION ALL
  SELECT
    *
  FROM src
  WHERE
    type IN ('track', 'page', 'screen')
    AND time < CAST('2024-03-05 00:00:00' AS TIMESTAMP_NTZ)
), dedup AS (
  SELECT
    *
  FROM (
    SELECT
      bounded.*,
      ROW_NUMBER() OVER (PARTITION BY source_id, event_id ORDER BY received_at NULLS LAST, time NULLS LAST) AS qd_rank
    FROM bounded
    WHERE
      TRUE
  ) AS ranked
  WHERE
    qd_rank = 1
), identity_rows AS (
  SELECT
    *
  FROM (
    SELECT
      src.*,
      ROW_NUMBER() OVER (PARTITION BY source_id, event_id ORDER BY received_at NULLS LAST, time NULLS LAST) AS qd_rank
    FROM src
    WHERE
      type IN ('identify', 'alias')
      AND NOT anonymous_id IS NULL
      AND NOT user_id IS NULL
      AND anonymous_id <> user_id
  ) AS ranked
  WHERE
    qd_rank = 1
), links AS (
  SELECT
    *
  FROM (
    SELECT
      anonymous_id AS alias_id,
      user_id AS linked_id,
      ROW_NUMBER() OVER (
        PARTITION BY anonymous_id
        ORDER BY time NULLS LAST, received_at NULLS LAST, user_id NULLS LAST
      ) AS qd_rank
    FROM identity_rows
    WHERE
      TRUE
  ) AS ranked
  WHERE
    qd_rank = 1
), persons AS (
  SELECT
    dedup.*,
    COALESCE(links.linked_id, dedup.user_id, dedup.anonymous_id) AS person
  FROM dedup
  LEFT JOIN links
    ON links.alias_id = COALESCE(dedup.user_id, dedup.anonymous_id)
), person_accounts AS (
  SELECT
    *
  FROM (
    SELECT
      person AS member,
      account_id AS member_account,
      ROW_NUMBER() OVER (PARTITION BY person ORDER BY time DESC, received_at DESC, account_id NULLS LAST) AS qd_rank
    FROM persons
    WHERE
      type = 'group' AND NOT account_id IS NULL AND NOT person IS NULL
  ) AS ranked
  WHERE
    qd_rank = 1
), resolved AS (
  SELECT
    persons.*,
    COALESCE(persons.account_id, person_accounts.member_account) AS account,
    COALESCE(persons.account_id, person_accounts.member_account) AS actor,
    CAST(persons.time AS DATE) AS event_day
  FROM persons
  LEFT JOIN person_accounts
    ON person_accounts.member = persons.person
), activity AS (
  SELECT
    resolved.*,
    '(all)' AS bucket
  FROM resolved
  WHERE
    (
      resolved.type IN ('track', 'page', 'screen')
    )
    AND (
      NOT COALESCE(resolved.event, '') IN ('$identify', '$create_alias', '$groupidentify', '$set')
    )
    AND (
      NOT resolved.actor IS NULL
    )
), actor_periods AS (
  SELECT
    actor,
    TRUNC(event_day, 'WEEK') AS period,
    MIN(CASE WHEN (
      event = 'Signed Up'
    ) THEN event_day END) AS first_start,
    MAX(CASE WHEN TRUE THEN 1 ELSE 0 END) AS returned
  FROM activity
  GROUP BY
    1,
    2
), cohorts AS (
  SELECT
    actor,
    '(all)' AS bucket,
    TRUNC(first_day, 'WEEK') AS cohort
  FROM (
    SELECT
      actor,
      MIN(first_start) AS first_day
    FROM actor_periods
    GROUP BY
      actor
  ) AS firsts
  WHERE
    first_day BETWEEN CAST('2024-01-01' AS DATE) AND CAST('2024-01-31' AS DATE)
), returns AS (
  SELECT DISTINCT
    actor,
    period
  FROM actor_periods
  WHERE
    returned = 1 AND period >= CAST('2024-01-01' AS DATE)
), offsets AS (
  SELECT
    cohorts.cohort,
    cohorts.bucket,
    cohorts.actor,
    CAST(DATEDIFF(returns.period, cohorts.cohort) / 7 AS INT) AS n
  FROM cohorts
  JOIN returns
    ON returns.actor = cohorts.actor AND returns.period >= cohorts.cohort
), ns AS (
  SELECT
    *
  FROM VALUES
    (0),
    (1),
    (2),
    (3),
    (4) AS ns_rows(n)
)
SELECT
  *
FROM (
  SELECT
    cohort,
    bucket,
    -1 AS n,
    COUNT(*) AS actors
  FROM cohorts
  GROUP BY
    1,
    2
  UNION ALL
  SELECT
    reach.cohort,
    reach.bucket,
    ns.n,
    COUNT(*) AS actors
  FROM (
    SELECT
      cohort,
      bucket,
      actor,
      MAX(n) AS last_n
    FROM offsets
    GROUP BY
      1,
      2,
      3
  ) AS reach
  JOIN ns
    ON reach.last_n >= ns.n
  GROUP BY
    1,
    2,
    3
) AS cells
ORDER BY
  1 NULLS LAST,
  2 NULLS LAST,
  3 NULLS LAST
