WITH src AS NOT MATERIALIZED (
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
    AND time < CAST('2024-04-02 00:00:00' AS TIMESTAMP)
), dedup AS (
  SELECT
    *
  FROM (
    SELECT
      bounded.*,
      ROW_NUMBER() OVER (PARTITION BY source_id, event_id ORDER BY received_at, time) AS qd_rank
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
      ROW_NUMBER() OVER (PARTITION BY source_id, event_id ORDER BY received_at, time) AS qd_rank
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
      ROW_NUMBER() OVER (PARTITION BY anonymous_id ORDER BY time, received_at, user_id) AS qd_rank
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
), resolved AS (
  SELECT
    persons.*,
    persons.person AS actor,
    CAST(persons.time AS DATE) AS event_day
  FROM persons
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
), created AS (
  SELECT
    actor,
    CAST(COALESCE(MIN(stamped.trait_time), MIN(stamped.time)) AS DATE) AS created_day
  FROM (
    SELECT
      actor,
      time,
      CASE
        WHEN type = 'identify'
        THEN CASE
          WHEN COALESCE(
            JSONB_EXTRACT_PATH_TEXT(CAST(traits AS JSONB), 'created_at'),
            JSONB_EXTRACT_PATH_TEXT(CAST(traits AS JSONB), 'createdAt')
          ) ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}'
          THEN CAST(COALESCE(
            JSONB_EXTRACT_PATH_TEXT(CAST(traits AS JSONB), 'created_at'),
            JSONB_EXTRACT_PATH_TEXT(CAST(traits AS JSONB), 'createdAt')
          ) AS TIMESTAMPTZ) AT TIME ZONE 'UTC'
        END
      END AS trait_time
    FROM resolved
    WHERE
      NOT actor IS NULL
  ) AS stamped
  GROUP BY
    actor
), actor_periods AS (
  SELECT DISTINCT
    actor,
    bucket,
    CAST(DATE_TRUNC('MONTH', CAST(event_day AS TIMESTAMP)) AS DATE) AS period
  FROM activity
  WHERE
    (
      event_day <= CAST('2024-03-31' AS DATE)
    )
), firsts AS (
  SELECT
    actor,
    bucket,
    MIN(period) AS first_period
  FROM actor_periods
  GROUP BY
    actor,
    bucket
), calendar AS (
  SELECT
    *
  FROM (VALUES
    (CAST('2024-01-01' AS DATE), CAST('2023-12-01' AS DATE)),
    (CAST('2024-02-01' AS DATE), CAST('2024-01-01' AS DATE)),
    (CAST('2024-03-01' AS DATE), CAST('2024-02-01' AS DATE))) AS calendar_rows(period, previous)
), current AS (
  SELECT
    calendar.period,
    now.actor,
    now.bucket,
    CASE
      WHEN NOT before.actor IS NULL
      THEN 'returning'
      WHEN firsts.first_period = calendar.period
      AND CAST(DATE_TRUNC('MONTH', CAST(created.created_day AS TIMESTAMP)) AS DATE) >= calendar.period
      THEN 'new'
      ELSE 'resurrecting'
    END AS status
  FROM calendar
  JOIN actor_periods AS now
    ON now.period = calendar.period
  LEFT JOIN actor_periods AS before
    ON before.actor = now.actor
    AND before.bucket = now.bucket
    AND before.period = calendar.previous
  JOIN firsts
    ON firsts.actor = now.actor AND firsts.bucket = now.bucket
  JOIN created
    ON created.actor = now.actor
), dormant AS (
  SELECT
    calendar.period,
    before.actor,
    before.bucket,
    'dormant' AS status
  FROM calendar
  JOIN actor_periods AS before
    ON before.period = calendar.previous
  LEFT JOIN actor_periods AS now
    ON now.actor = before.actor
    AND now.bucket = before.bucket
    AND now.period = calendar.period
  WHERE
    now.actor IS NULL
)
SELECT
  period,
  bucket,
  status,
  COUNT(*) AS actors
FROM (
  SELECT
    *
  FROM current
  UNION ALL
  SELECT
    *
  FROM dormant
) AS statuses
GROUP BY
  1,
  2,
  3
ORDER BY
  1,
  2,
  3
