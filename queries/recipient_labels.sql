-- The exposed categories in words, once per distinct (categories, language) of the
-- recipients, through category_labels: what the senders' files put in `exposed`, and, for the
-- categories new to a person in this wave (new_categories), in `exposed_new`.
-- Parameters: none
CREATE OR REPLACE TABLE recipient_labels AS
SELECT categories, language, category_labels(string_split(categories, '|'), language) AS exposed
FROM (
    SELECT categories, language FROM recipients
    UNION
    SELECT new_categories, language FROM recipients WHERE new_categories IS NOT NULL
);
