-- Writes customer_history.csv to $path: earlier versions of a share ($share) of the customer
-- accounts of customer_rows, in the columns of customers.csv plus valid_from and valid_to
-- (local dates; valid_to blank for the version still valid, which is the account's row of
-- today), so that a run exposes what each customer had at an event's instant. Each account
-- drawn gets one earlier version, of one of three kinds: an email added after the window
-- (the earlier version has none), a move during the window (the earlier version has another
-- account's address), a mobile number changed before the window (another account's number).
-- The account $deleted (an id beyond the customer table that the suspect consulted) is a
-- customer deleted since: its one version ends after the window.
-- The names of the values drawn here begin with h_: customer_rows has a `kind` of its own.
-- Parameters: $seed, $customers, $place_mult, $place_shift, $slots, $domains, $mobile_mult, $mobile_shift, $fixed_mult, $mobile_prefixes, $noisy, $share, $start, $days, $deleted, $path
COPY (
WITH c AS (
    SELECT * FROM customer_rows($seed, $customers, $place_mult, $place_shift, $slots, $domains,
                                $mobile_mult, $mobile_shift, $fixed_mult, $mobile_prefixes,
                                $noisy)
),
drawn AS (
    SELECT
        *,
        CASE
            WHEN rnd($seed, i, 'history_kind') < 0.4 AND email <> '' THEN 'email_added'
            WHEN rnd($seed, i, 'history_kind') < 0.8 THEN 'moved'
            ELSE 'mobile_changed'
        END AS h_kind,
        (i * 7919 + 13) % $customers AS h_other,
        floor(rnd($seed, i, 'history_at') * $days) AS h_offset
    FROM c
    WHERE rnd($seed, i, 'history') < $share
),
changed_at AS (
    SELECT
        *,
        CASE h_kind
            WHEN 'email_added' THEN CAST($start AS DATE) + CAST($days + 5 + h_offset % 20 AS INTEGER)
            WHEN 'moved' THEN CAST($start AS DATE) + CAST(h_offset AS INTEGER)
            ELSE CAST($start AS DATE) - CAST(30 + h_offset AS INTEGER)
        END AS h_changed_on
    FROM drawn
),
earlier AS (
    SELECT
        d.i,
        0 AS version,
        d.customer_id,
        d.first_name,
        d.last_name,
        CASE WHEN d.h_kind = 'moved' THEN o.street ELSE d.street END AS street,
        CASE WHEN d.h_kind = 'moved' THEN o.house_number ELSE d.house_number END AS house_number,
        CASE WHEN d.h_kind = 'moved' THEN o.postal_code ELSE d.postal_code END AS postal_code,
        CASE WHEN d.h_kind = 'moved' THEN o.city ELSE d.city END AS city,
        CASE WHEN d.h_kind = 'email_added' THEN '' ELSE d.email END AS email,
        d.date_of_birth,
        d.fixed_phone,
        CASE WHEN d.h_kind = 'mobile_changed' THEN o.mobile_phone ELSE d.mobile_phone END
            AS mobile_phone,
        d.language,
        d.brand,
        DATE '2015-01-01' AS valid_from,
        d.h_changed_on AS valid_to
    FROM changed_at AS d
    JOIN c AS o ON o.i = d.h_other
),
today AS (
    SELECT
        i, 1 AS version, customer_id, first_name, last_name, street, house_number, postal_code,
        city, email, date_of_birth, fixed_phone, mobile_phone, language, brand,
        h_changed_on AS valid_from, CAST(NULL AS DATE) AS valid_to
    FROM changed_at
),
deleted AS (
    -- Names and birth date of one account, address and contact points of another: a person
    -- of their own, whom no rule takes for either.
    SELECT
        $customers AS i, 0 AS version, $deleted AS customer_id, n.first_name, n.last_name,
        a.street, a.house_number, a.postal_code, a.city, a.email, n.date_of_birth,
        a.fixed_phone, a.mobile_phone, a.language, a.brand, DATE '2015-01-01' AS valid_from,
        CAST($start AS DATE) + CAST($days + 10 AS INTEGER) AS valid_to
    FROM c AS n
    JOIN c AS a ON a.i = (29 * $customers) // 31
    WHERE n.i = (17 * $customers) // 31
)
SELECT
    customer_id, first_name, last_name, street, house_number, postal_code, city, email,
    date_of_birth, fixed_phone, mobile_phone, language, brand,
    strftime(valid_from, '%Y-%m-%d') AS valid_from,
    strftime(valid_to, '%Y-%m-%d') AS valid_to
FROM (
    SELECT * FROM earlier
    UNION ALL
    SELECT * FROM today
    UNION ALL
    SELECT * FROM deleted
)
ORDER BY i, version
) TO $path (FORMAT csv, HEADER true, DELIMITER ',');
