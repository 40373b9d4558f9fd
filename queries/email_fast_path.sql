-- Every email value of contact_records (every customer record, for the recipients and the
-- look-up index), one row per record holding one, with whether SQL settles it without
-- email-validator (`settled`): plain ASCII addresses (letters, digits, _ + - in dot-separated
-- local parts of at most 64 characters; domain labels of letters, digits and inner hyphens,
-- no '--'; a letters-only top-level domain that is not a special-use name; at most 254
-- characters; not beginning with + or -, which a spreadsheet reads as a formula:
-- contacts.FORMULA_START). Such an address is valid for email-validator too, and folds to
-- lower case (`email`); every other value goes to email-validator.
-- Each record's value is settled where it lies rather than once per distinct value: the
-- values are nearly all distinct, and the records then need no second pass to find their
-- value's result (recipient_emails).
-- Parameters: $special_domains
CREATE OR REPLACE TABLE email_fast_path AS
SELECT customer_key, raw, CASE WHEN settled THEN lower(raw) END AS email, settled
FROM (
    SELECT
        customer_key,
        raw,
        length(raw) <= 254
        AND length(split_part(raw, '@', 1)) <= 64
        AND NOT contains(raw, '--')
        AND unicode(raw) NOT IN (43, 45)
        AND regexp_full_match(
            raw,
            '[A-Za-z0-9_+\-]+(\.[A-Za-z0-9_+\-]+)*@([A-Za-z0-9]([A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}'
        )
        AND NOT list_contains(CAST($special_domains AS VARCHAR[]), lower(split_part(raw, '.', -1)))
            AS settled
    FROM (SELECT customer_key, clean_text(email) AS raw FROM contact_records)
    WHERE raw IS NOT NULL
);
