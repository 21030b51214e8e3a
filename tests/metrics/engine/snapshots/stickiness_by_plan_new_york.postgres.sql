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
    type IN ('track', 'page', 'screen')
    AND time >= CAST('2023-12-02 00:00:00' AS TIMESTAMP)
    AND time < CAST('2024-01-05 00:00:00' AS TIMESTAMP)
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
    CAST((
      persons.time AT TIME ZONE 'UTC'
    ) AT TIME ZONE 'America/New_York' AS DATE) AS event_day
  FROM persons
), activity AS (
  SELECT
    resolved.*,
    COALESCE(JSONB_EXTRACT_PATH_TEXT(CAST(properties AS JSONB), 'plan'), '(none)') AS bucket
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
), actor_days AS (
  SELECT DISTINCT
    actor,
    event_day,
    bucket
  FROM activity
  WHERE
    (
      event_day BETWEEN CAST('2023-12-03' AS DATE) AND CAST('2024-01-03' AS DATE)
    )
), spans AS (
  SELECT
    event_day,
    bucket,
    LEAD(event_day) OVER (PARTITION BY actor, bucket ORDER BY event_day) AS next_day
  FROM actor_days
)
SELECT
  day,
  bucket,
  SUM(dau) AS dau,
  SUM(wau) AS wau,
  SUM(mau) AS mau
FROM (
  SELECT
    event_day AS day,
    bucket,
    1 AS dau,
    1 AS wau,
    1 AS mau
  FROM spans
  UNION ALL
  SELECT
    COALESCE(LEAST(next_day, (
      event_day + 30
    )), (
      event_day + 30
    )) AS day,
    bucket,
    0 AS dau,
    0 AS wau,
    -1 AS mau
  FROM spans
) AS edges
WHERE
  day BETWEEN CAST('2023-12-03' AS DATE) AND CAST('2024-01-03' AS DATE)
GROUP BY
  1,
  2
ORDER BY
  1,
  2
