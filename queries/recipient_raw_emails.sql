-- The distinct email values (clean_text) of contact_records that the fast path did not
-- settle, to be checked and folded by contacts.normal_email.
-- Parameters: none
SELECT DISTINCT clean_text(email) AS email
FROM contact_records
WHERE clean_text(email) IS NOT NULL
  AND clean_text(email) NOT IN (SELECT raw FROM email_fast_path)
ORDER BY email;
