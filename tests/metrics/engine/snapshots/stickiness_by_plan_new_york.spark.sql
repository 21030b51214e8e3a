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
), dedup AS (
  SELECT
    *
  FROM (
    SELECT
      src.*,
      ROW_NUMBER() OVER (PARTITION BY source_id, event_id ORDER BY received_at NULLS LAST, time NULLS LAST) AS qd_rank
    FROM src
    WHERE
      NOT type IN ('track', 'page', 'screen')
      OR (
        time >= CAST('2023-12-02 00:00:00' AS TIMESTAMP_NTZ)
        AND time < CAST('2024-01-05 00:00:00' AS TIMESTAMP_NTZ)
      )
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
    FROM dedup
    WHERE
      type IN ('identify', 'alias')
      AND NOT anonymous_id IS NULL
      AND NOT user_id IS NULL
      AND anonymous_id <> user_id
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
    persons.person AS actor,
    CAST(FROM_UTC_TIMESTAMP(CAST(persons.time AS TIMESTAMP), 'America/New_York') AS DATE) AS event_day
  FROM persons
  LEFT JOIN person_accounts
    ON person_accounts.member = persons.person
), activity AS (
  SELECT
    resolved.*,
    COALESCE(GET_JSON_OBJECT(properties, '$[\'plan\']'), '(none)') AS bucket
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
), calendar AS (
  SELECT
    *
  FROM VALUES
    (CAST('2024-01-01' AS DATE)),
    (CAST('2024-01-02' AS DATE)),
    (CAST('2024-01-03' AS DATE)) AS calendar_rows(day)
)
SELECT
  calendar.day,
  actor_days.bucket,
  COUNT(DISTINCT CASE WHEN actor_days.event_day = calendar.day THEN actor_days.actor END) AS dau,
  COUNT(
    DISTINCT CASE
      WHEN actor_days.event_day >= DATE_ADD(calendar.day, -6)
      THEN actor_days.actor
    END
  ) AS wau,
  COUNT(DISTINCT actor_days.actor) AS mau
FROM calendar
JOIN actor_days
  ON actor_days.event_day BETWEEN DATE_ADD(calendar.day, -29) AND calendar.day
GROUP BY
  1,
  2
ORDER BY
  1 NULLS LAST,
  2 NULLS LAST
