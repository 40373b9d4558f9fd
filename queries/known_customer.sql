-- Whether the customer table holds the key a query parameter names, compared as the
-- extracts' keys are (clean_text, then normalize_key: `42` finds `0042`). Lets `scoping
-- query` say "not found" rather than print an empty result that reads as "nobody looked".
-- Parameters: $customer
SELECT EXISTS (SELECT 1 FROM customers WHERE match_key = normalize_key(clean_text($customer)));
