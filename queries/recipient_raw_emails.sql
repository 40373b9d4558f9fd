-- The distinct email values (clean_text) of contact_records that the fast path did not
-- settle, to be checked and folded by contacts.normal_email.
-- Parameters: none
SELECT DISTINCT raw AS email
FROM email_fast_path
WHERE NOT settled
ORDER BY email;
