-- The exposed categories in words, once per distinct (categories, language) of the
-- recipients, through category_labels: what the senders' files put in `exposed`.
-- Parameters: none
CREATE OR REPLACE TABLE recipient_labels AS
SELECT categories, language, category_labels(any_value(category_set), language) AS exposed
FROM recipients
GROUP BY categories, language;
