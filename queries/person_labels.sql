-- The starting person label of every candidate record: its person column when the case maps
-- one (records without a value stand alone), else the record's own key. person_label_step
-- then lowers labels along person_links until each connected component has one label.
-- Parameters: $by_person_column
CREATE OR REPLACE TABLE person_labels AS
SELECT
    customer_key,
    CASE
        WHEN $by_person_column AND clean_text(person_ref) IS NOT NULL
            THEN 'P:' || clean_text(person_ref)
        ELSE 'K:' || customer_key
    END AS label
FROM recipient_contacts;
