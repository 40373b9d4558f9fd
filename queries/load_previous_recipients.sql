-- Adds one earlier recipients.csv to previous_recipients: for every recipient, each of its
-- customer keys (as compared: normalize_key, so that a list written with or without leading
-- zeros matches) with the categories it was told about. Either CSV dialect is read.
-- Parameters: $path
INSERT INTO previous_recipients
SELECT
    recipient_id,
    normalize_key(clean_text(ltrim(unnest(string_split(customer_keys, '|')), ''''))) AS match_key,
    string_split(categories, '|') AS categories
FROM read_csv($path, all_varchar = true, header = true);
