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
    AND time >= CAST('2023-12-31 00:00:00' AS TIMESTAMP_NTZ)
    AND time < CAST('2024-02-02 00:00:00' AS TIMESTAMP_NTZ)
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
    persons.person AS actor,
    CAST(persons.time AS DATE) AS event_day
  FROM persons
  LEFT JOIN person_accounts
    ON person_accounts.member = persons.person
), person_plans AS (
  SELECT
    *
  FROM (
    SELECT
      person AS holder,
      GET_JSON_OBJECT(traits, '$[\'plan\']') AS plan,
      ROW_NUMBER() OVER (PARTITION BY person ORDER BY time DESC, received_at DESC) AS qd_rank
    FROM resolved
    WHERE
      type = 'identify'
      AND NOT GET_JSON_OBJECT(traits, '$[\'plan\']') IS NULL
      AND NOT person IS NULL
      AND event_day <= CAST('2024-01-31' AS DATE)
  ) AS ranked
  WHERE
    qd_rank = 1
), account_plans AS (
  SELECT
    *
  FROM (
    SELECT
      account_id AS holder,
      GET_JSON_OBJECT(traits, '$[\'plan\']') AS plan,
      ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY time DESC, received_at DESC) AS qd_rank
    FROM resolved
    WHERE
      type = 'group'
      AND NOT GET_JSON_OBJECT(traits, '$[\'plan\']') IS NULL
      AND NOT account_id IS NULL
      AND event_day <= CAST('2024-01-31' AS DATE)
  ) AS ranked
  WHERE
    qd_rank = 1
), actor_plans AS (
  SELECT
    people.actor,
    COALESCE(person_plans.plan, account_plans.plan) AS plan
  FROM (
    SELECT DISTINCT
      person AS actor
    FROM resolved
    WHERE
      NOT person IS NULL
  ) AS people
  LEFT JOIN person_plans
    ON person_plans.holder = people.actor
  LEFT JOIN person_accounts
    ON person_accounts.member = people.actor
  LEFT JOIN account_plans
    ON account_plans.holder = person_accounts.member_account
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
), adopters AS (
  SELECT
    actor,
    bucket
  FROM activity
  WHERE
    event_day BETWEEN CAST('2024-01-01' AS DATE) AND CAST('2024-01-31' AS DATE)
    AND (
      (
        event = 'export_used'
      )
    )
  GROUP BY
    actor,
    bucket
  HAVING
    COUNT(*) >= 2
), population AS (
  SELECT
    actor,
    '(all)' AS bucket
  FROM actor_plans
  WHERE
    plan IN ('pro', 'team')
)
SELECT
  population.bucket,
  COUNT(*) AS denominator,
  COUNT(adopters.actor) AS numerator
FROM population
LEFT JOIN adopters
  ON adopters.actor = population.actor AND adopters.bucket = population.bucket
GROUP BY
  1
ORDER BY
  1 NULLS LAST
