"""The full-deliverable baseline: what an expert writes by hand in DuckDB for one case.

    python benchmarks/baseline_full.py DATA OUT MEMORY SCOPE

DATA holds the demo case as typed Parquet (customers.parquet, logs.parquet); OUT receives the
files; MEMORY is a DuckDB memory limit or `-`; SCOPE is `narrow` (the demo's partner account,
the case's window) or `full` (every actor of the log, the whole period).

It delivers what `scoping run` without recipients delivers, computed the way a careful person
would for this one case, with no check beyond the exposure rule: every log row in one bucket
with the counts per file, the affected customers with their fields, first and last exposure,
events and actors, the counts per field, category and combination, per actor and per day with
distinct customers, the unmatched events, and the CSV files. The benchmark times it against
`scoping run` on the same data.
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

if scope == "narrow":
    actor_filter = "trim(user_id) = 'PRT-0042'"
    window = (
        "event_time >= TIMESTAMPTZ '2026-08-31 22:00:00+00' "
        "AND event_time < TIMESTAMPTZ '2026-11-14 23:00:00+00'"
    )
else:
    actor_filter = "true"
    window = "true"

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

# The customers' available fields as one bitmask per key (the other columns are read again
# for the affected customers only, when their file is written).
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

# Each log row's bucket, and for the rows in scope their mask: a view, read by one pass that
# counts the buckets per file, one that keeps the exposing events (slim: key, actor, time,
# mask) and one that lists the unmatched events.
con.execute(f"""
CREATE TEMP VIEW classified AS
SELECT l.filename, l.event_id, l.event_time, trim(l.user_id) AS actor, trim(l.screen) AS screen,
    trim(l.customer_id) AS customer_id, c.avail & a.mask AS exposed,
    CASE
        WHEN l.event_time IS NULL OR coalesce(trim(l.user_id), '') = ''
            OR coalesce(trim(l.customer_id), '') = '' OR coalesce(trim(l.screen), '') = ''
            THEN 'rejected'
        WHEN NOT ({actor_filter}) THEN 'out_of_scope_actor'
        WHEN NOT ({window}) AND l.event_time < TIMESTAMPTZ '2026-08-31 22:00:00+00'
            THEN 'out_of_scope_before_start'
        WHEN NOT ({window}) THEN 'out_of_scope_after_end'
        WHEN a.mask IS NULL THEN 'out_of_scope_action'
        WHEN c.customer_id IS NULL THEN 'unmatched'
        ELSE 'in_scope'
    END AS bucket
FROM read_parquet('{data}/logs.parquet', filename = true) AS l
LEFT JOIN actions AS a ON a.screen = trim(l.screen)
LEFT JOIN customers AS c ON c.customer_id = trim(l.customer_id)
""")

con.execute(f"""
COPY (SELECT filename AS file, bucket, count(*) AS rows FROM classified GROUP BY ALL ORDER BY ALL)
TO '{out}/reconciliation.csv' (HEADER)
""")
con.execute(f"""
COPY (SELECT filename AS file, event_id, event_time, actor, screen, customer_id FROM classified
      WHERE bucket = 'unmatched' ORDER BY event_time, event_id)
TO '{out}/unmatched_events.csv' (HEADER)
""")
con.execute("""
CREATE TEMP TABLE events AS
SELECT customer_id, actor, event_time, exposed FROM classified
WHERE bucket = 'in_scope' AND exposed <> 0
""")

con.execute("""
CREATE TEMP TABLE affected AS
SELECT customer_id, bit_or(exposed) AS exposed, min(event_time) AS first_exposure,
    max(event_time) AS last_exposure, count(*) AS events, count(DISTINCT actor) AS actors
FROM events
GROUP BY customer_id
""")
con.execute(f"""
COPY (
    SELECT a.customer_id, c.first_name, c.last_name, c.street, c.house_number, c.postal_code,
        c.city, c.email, c.date_of_birth, c.fixed_phone, c.mobile_phone,
        (SELECT string_agg(DISTINCT f.category, ', ' ORDER BY f.category) FROM fields AS f
         WHERE a.exposed & (1 << f.bit) <> 0) AS categories,
        strftime(a.first_exposure, '%Y-%m-%dT%H:%M:%SZ') AS first_exposure_utc,
        strftime(a.last_exposure, '%Y-%m-%dT%H:%M:%SZ') AS last_exposure_utc,
        a.events, a.actors, a.exposed AS exposed_mask
    FROM affected AS a JOIN '{data}/customers.parquet' AS c
        ON trim(c.customer_id) = a.customer_id
    ORDER BY a.customer_id)
TO '{out}/affected_customers.csv' (HEADER)
""")

counts = {
    "fields": con.execute("""
        SELECT f.field, count(*) FROM affected AS a JOIN fields AS f
        ON a.exposed & (1 << f.bit) <> 0 GROUP BY f.field ORDER BY f.field""").fetchall(),
    "categories": con.execute("""
        SELECT category, count(DISTINCT customer_id) FROM affected AS a JOIN fields AS f
        ON a.exposed & (1 << f.bit) <> 0 GROUP BY category ORDER BY category""").fetchall(),
    "combinations": con.execute("""
        WITH combos AS (
            SELECT a.customer_id, string_agg(DISTINCT f.category, ', ' ORDER BY f.category) AS c
            FROM affected AS a JOIN fields AS f ON a.exposed & (1 << f.bit) <> 0
            GROUP BY a.customer_id)
        SELECT c, count(*) FROM combos GROUP BY c ORDER BY count(*) DESC, c""").fetchall(),
    "actors": con.execute("""
        SELECT actor, count(*), count(DISTINCT customer_id) FROM events
        GROUP BY actor ORDER BY actor""").fetchall(),
    "days": con.execute("""
        SELECT CAST(timezone('Europe/Brussels', event_time) AS DATE) AS day, count(*),
            count(DISTINCT customer_id)
        FROM events GROUP BY day ORDER BY day""").fetchall(),
}
with open(f"{out}/counts.txt", "w", encoding="utf-8") as handle:
    for name, rows in counts.items():
        handle.write(f"{name}: {len(rows)} rows\n")
