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
    AND time >= CAST('2023-12-31 00:00:00' AS TIMESTAMP)
    AND time < CAST('2024-02-10 00:00:00' AS TIMESTAMP)
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
    (
      CAST('1970-01-01' AS DATE) + CAST(FLOOR(EPOCH_US(persons.time) / 86400000000) AS INT)
    ) AS event_day
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
), sequenced AS (
  SELECT
    activity.*,
    ROW_NUMBER() OVER (PARTITION BY actor ORDER BY time, event_id) AS seq
  FROM activity
), steps AS (
  SELECT
    actor,
    bucket,
    time,
    event_day,
    seq,
    CASE WHEN (
      event = 'A'
    ) THEN 1 ELSE 0 END AS is_1,
    CASE
      WHEN (
        event = 'B'
      )
      AND (
        TRY_CAST(JSON_EXTRACT_STRING(properties, '$."seats"') AS DOUBLE) > 3.0
      )
      THEN 1
      ELSE 0
    END AS is_2,
    CASE WHEN (
      type = 'page'
    ) THEN 1 ELSE 0 END AS is_3
  FROM sequenced
  WHERE
    (
      (
        event = 'A'
      )
    )
    OR (
      (
        event = 'B'
      )
      AND (
        TRY_CAST(JSON_EXTRACT_STRING(properties, '$."seats"') AS DOUBLE) > 3.0
      )
    )
    OR (
      (
        type = 'page'
      )
    )
), attempt_1 AS (
  SELECT
    actor,
    bucket,
    time AS t1,
    seq AS s1
  FROM steps
  WHERE
    is_1 = 1
    AND event_day BETWEEN CAST('2024-01-01' AS DATE) AND CAST('2024-01-31' AS DATE)
), attempt_2 AS (
  SELECT
    a.actor,
    a.bucket,
    a.t1,
    a.s1,
    MIN(steps.time) AS t2,
    MIN(steps.seq) AS s2
  FROM attempt_1 AS a
  LEFT JOIN steps
    ON steps.actor = a.actor
    AND steps.is_2 = 1
    AND steps.seq = a.s1 + 1
    AND steps.time <= a.t1 + INTERVAL '604800' SECOND
  GROUP BY
    a.actor,
    a.bucket,
    a.t1,
    a.s1
), attempt_3 AS (
  SELECT
    a.actor,
    a.bucket,
    a.t1,
    a.s1,
    a.t2,
    a.s2,
    MIN(steps.time) AS t3,
    MIN(steps.seq) AS s3
  FROM attempt_2 AS a
  LEFT JOIN steps
    ON steps.actor = a.actor
    AND steps.is_3 = 1
    AND steps.seq = a.s2 + 1
    AND steps.time <= a.t1 + INTERVAL '604800' SECOND
  GROUP BY
    a.actor,
    a.bucket,
    a.t1,
    a.s1,
    a.t2,
    a.s2
), excluded AS (
  SELECT
    a.actor,
    a.bucket,
    a.t1
  FROM attempt_3 AS a
  JOIN (
    SELECT
      actor,
      time
    FROM sequenced
    WHERE
      (
        event = 'X'
      )
  ) AS x
    ON x.actor = a.actor
    AND x.time > a.t1
    AND x.time < COALESCE(a.t3, a.t1 + INTERVAL '604800' SECOND)
), depths AS (
  SELECT
    a.actor,
    a.bucket,
    CASE WHEN NOT a.t3 IS NULL THEN 3 WHEN NOT a.t2 IS NULL THEN 2 ELSE 1 END AS depth
  FROM attempt_3 AS a
  LEFT JOIN excluded AS x
    ON x.actor = a.actor AND x.bucket = a.bucket AND x.t1 = a.t1
  WHERE
    x.actor IS NULL
)
SELECT
  bucket,
  depth,
  COUNT(*) AS actors
FROM (
  SELECT
    actor,
    bucket,
    MAX(depth) AS depth
  FROM depths
  GROUP BY
    actor,
    bucket
) AS best
GROUP BY
  1,
  2
ORDER BY
  1,
  2
