"""The full-deliverable baseline: what an expert writes by hand in DuckDB for one case.

    python benchmarks/baseline_full.py DATA OUT MEMORY SCOPE

DATA holds the demo case as typed Parquet (customers.parquet, logs.parquet); OUT receives the
files; MEMORY is a DuckDB memory limit or `-`; SCOPE is `narrow` (the demo's partner account,
the case's window) or `full` (every actor of the log, the whole period).

It delivers what `scoping run` without recipients delivers, computed the way a careful person
would for this one case, with no check beyond the exposure rule: every log row in one bucket
with the counts per file, the affected customers with the fields exposed (one true/false
column per field, as `scoping` writes them), their categories, first and last exposure,
events and actors, the counts per field, category and combination, per actor and per day with
distinct customers, the unmatched events, and the CSV files. The benchmark times it against
`scoping run` on the same data.

How an expert makes it fast: the rows in play (not out of scope by actor or window) are read
once, into one table that holds their bucket and, in scope, the fields they exposed; the
others are only counted (in the full shape, written for a case where every actor and instant
is in scope, there are none and that count is not made). Every deliverable is then read from
that table.
Distinct counts are taken in two steps where that is cheaper (the actors of a customer from
its (customer, actor) pairs, the customers of a day from its (day, customer) pairs), and
everything per combination of fields is computed once per distinct mask, not per customer.
"""

import sys

import duckdb

data, out, memory, scope = sys.argv[1:5]
con = duckdb.connect()
con.execute("SET TimeZone = 'UTC'")
con.execute("SET preserve_insertion_order = false")
if memory != "-":
    con.execute(f"SET memory_limit = '{memory}'")
con.execute(f"SET temp_directory = '{out}/tmp'")

START = "TIMESTAMPTZ '2026-08-31 22:00:00+00'"
END = "TIMESTAMPTZ '2026-11-14 23:00:00+00'"
if scope == "narrow":
    actor_in_scope = "actor = 'PRT-0042'"
    before, after = f"event_time < {START}", f"event_time >= {END}"
else:
    actor_in_scope, before, after = "true", "false", "false"

con.execute("""
CREATE TEMP TABLE fields(bit INTEGER, field VARCHAR, category VARCHAR);
INSERT INTO fields VALUES
    (0, 'first_name', 'name'), (1, 'last_name', 'name'), (2, 'street', 'address'),
    (3, 'house_number', 'address'), (4, 'postal_code', 'address'), (5, 'city', 'address'),
    (6, 'email', 'email'), (7, 'birth_date', 'birth_date'), (8, 'phone_fixed', 'phone'),
    (9, 'phone_mobile', 'phone');
CREATE TEMP TABLE actions(screen VARCHAR, mask INTEGER);
INSERT INTO actions VALUES
    ('customer.search', 1 | 2 | 16 | 32), ('customer.detail', 1023),
    ('customer.contact', 1 | 2 | 64 | 256 | 512), ('report.export', 127), ('billing.view', 0);
""")

# The customers' available fields as one bitmask per key.
con.execute(f"""
CREATE TEMP TABLE customers AS
SELECT trim(customer_id) AS customer_id,
    (CASE WHEN trim(first_name) <> '' THEN 1 ELSE 0 END)
    | (CASE WHEN trim(last_name) <> '' THEN 2 ELSE 0 END)
    | (CASE WHEN trim(street) <> '' THEN 4 ELSE 0 END)
    | (CASE WHEN trim(house_number) <> '' THEN 8 ELSE 0 END)
    | (CASE WHEN trim(postal_code) <> '' THEN 16 ELSE 0 END)
    | (CASE WHEN trim(city) <> '' THEN 32 ELSE 0 END)
    | (CASE WHEN trim(email) <> '' THEN 64 ELSE 0 END)
    | (CASE WHEN trim(date_of_birth) <> '' THEN 128 ELSE 0 END)
    | (CASE WHEN trim(fixed_phone) <> '' THEN 256 ELSE 0 END)
    | (CASE WHEN trim(mobile_phone) <> '' THEN 512 ELSE 0 END) AS avail
FROM '{data}/customers.parquet'
""")

# The log's rows with the part of their bucket that the row alone decides (NULL: in play).
con.execute(f"""
CREATE TEMP VIEW log AS
SELECT filename, event_id, event_time, actor, screen, customer_id,
    CASE
        WHEN event_time IS NULL OR coalesce(actor, '') = '' OR coalesce(customer_id, '') = ''
            OR coalesce(screen, '') = '' THEN 'rejected'
        WHEN NOT ({actor_in_scope}) THEN 'out_of_scope_actor'
        WHEN {before} THEN 'out_of_scope_before_start'
        WHEN {after} THEN 'out_of_scope_after_end'
    END AS settled
FROM (
    SELECT filename, event_id, event_time, trim(user_id) AS actor, trim(screen) AS screen,
        trim(customer_id) AS customer_id
    FROM read_parquet('{data}/logs.parquet', filename = true)
)
""")
# One pass keeps the rows in play (and the rejected ones) with their bucket and, in scope, the
# fields they exposed; the rows out of scope by actor or window are only counted, by a second
# pass that the full scope, where there are none, never makes.
con.execute("""
CREATE TEMP TABLE classified AS
SELECT l.* EXCLUDE (settled),
    CASE
        WHEN settled IS NOT NULL THEN settled
        WHEN a.mask IS NULL THEN 'out_of_scope_action'
        WHEN c.customer_id IS NULL THEN 'unmatched'
        ELSE 'in_scope'
    END AS bucket,
    a.mask & c.avail AS exposed
FROM log AS l
LEFT JOIN actions AS a USING (screen)
LEFT JOIN customers AS c ON c.customer_id = l.customer_id
WHERE settled IS NULL OR settled = 'rejected'
""")
outside = (
    "SELECT filename, settled AS bucket, count(*) AS rows FROM log"
    " WHERE settled IS NOT NULL AND settled <> 'rejected' GROUP BY ALL"
    if scope == "narrow"
    else "SELECT NULL AS filename, NULL AS bucket, NULL::BIGINT AS rows WHERE false"
)

con.execute(f"""
COPY (
    SELECT filename AS file, bucket, sum(rows) AS rows
    FROM (
        SELECT filename, bucket, count(*) AS rows FROM classified GROUP BY ALL
        UNION ALL
        {outside}
    )
    GROUP BY ALL ORDER BY ALL)
TO '{out}/reconciliation.csv' (HEADER)
""")
con.execute(f"""
COPY (SELECT filename AS file, event_id, event_time, actor, screen, customer_id FROM classified
      WHERE bucket = 'unmatched' ORDER BY event_time, event_id)
TO '{out}/unmatched_events.csv' (HEADER)
""")

# The exposing events per (customer, actor), then per customer.
con.execute("""
CREATE TEMP TABLE pairs AS
SELECT customer_id, actor, bit_or(exposed) AS exposed, min(event_time) AS first_exposure,
    max(event_time) AS last_exposure, count(*) AS events
FROM classified
WHERE bucket = 'in_scope' AND exposed <> 0
GROUP BY customer_id, actor
""")
con.execute("""
CREATE TEMP TABLE affected AS
SELECT customer_id, bit_or(exposed) AS exposed, min(first_exposure) AS first_exposure,
    max(last_exposure) AS last_exposure, sum(events) AS events, count(*) AS actors
FROM pairs
GROUP BY customer_id
""")
con.execute("""
CREATE TEMP TABLE combinations AS
SELECT m.mask, string_agg(DISTINCT f.category, '|' ORDER BY f.category) AS categories
FROM (SELECT DISTINCT exposed AS mask FROM affected) AS m
JOIN fields AS f ON m.mask & (1 << f.bit) <> 0
GROUP BY m.mask
""")
flags = ", ".join(
    f"a.exposed & {1 << bit} <> 0 AS {name}"
    for bit, name in enumerate(
        [
            "first_name",
            "last_name",
            "street",
            "house_number",
            "postal_code",
            "city",
            "email",
            "birth_date",
            "phone_fixed",
            "phone_mobile",
        ]
    )
)
con.execute(f"""
COPY (
    SELECT a.customer_id AS customer_key, {flags}, m.categories,
        strftime(a.first_exposure, '%Y-%m-%dT%H:%M:%SZ') AS first_exposure_utc,
        strftime(a.last_exposure, '%Y-%m-%dT%H:%M:%SZ') AS last_exposure_utc,
        a.events, a.actors
    FROM affected AS a JOIN combinations AS m ON m.mask = a.exposed
    ORDER BY a.customer_id)
TO '{out}/affected_customers.csv' (HEADER)
""")

per_mask = "(SELECT exposed AS mask, count(*) AS n FROM affected GROUP BY exposed)"
counts = {
    "fields": con.execute(f"""
        SELECT f.field, sum(a.n) FROM {per_mask} AS a JOIN fields AS f
        ON a.mask & (1 << f.bit) <> 0 GROUP BY f.field ORDER BY f.field""").fetchall(),
    "categories": con.execute(f"""
        SELECT f.category, sum(a.n) FROM {per_mask} AS a
        JOIN (SELECT category, bit_or(1 << bit) AS mask FROM fields GROUP BY category) AS f
        ON a.mask & f.mask <> 0 GROUP BY f.category ORDER BY f.category""").fetchall(),
    "combinations": con.execute(f"""
        SELECT m.categories, sum(a.n) FROM {per_mask} AS a JOIN combinations AS m USING (mask)
        GROUP BY m.categories ORDER BY 2 DESC, 1""").fetchall(),
    "actors": con.execute("""
        SELECT actor, sum(events), count(*) FROM pairs GROUP BY actor ORDER BY actor""").fetchall(),
    "days": con.execute("""
        WITH d AS (
            SELECT CAST(timezone('Europe/Brussels', event_time) AS DATE) AS day, customer_id,
                count(*) AS n
            FROM classified WHERE bucket = 'in_scope' AND exposed <> 0 GROUP BY ALL)
        SELECT day, sum(n), count(*) FROM d GROUP BY day ORDER BY day""").fetchall(),
}
with open(f"{out}/counts.txt", "w", encoding="utf-8") as handle:
    for name, rows in counts.items():
        handle.write(f"{name}: {len(rows)} rows\n")
