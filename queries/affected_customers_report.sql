-- The rows of affected_customers.csv: each affected customer record's key, exposed field
-- mask, exposed categories, first and last exposure in UTC, exposing events and distinct
-- actors. The file is written from it with the mask spread into one true/false column per
-- case field, sorted by key (outputs.write_affected_customers): sorted there, once.
-- Parameters: none
SELECT
    a.customer_key,
    a.exposed_mask,
    a.changed_mask,
    m.categories,
    format_utc(a.first_exposure) AS first_exposure_utc,
    format_utc(a.last_exposure) AS last_exposure_utc,
    a.events,
    a.actors
FROM affected_customers AS a
JOIN mask_categories AS m USING (exposed_mask);
