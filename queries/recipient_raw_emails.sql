-- The distinct email values (clean_text) of the candidate records, to be checked and folded
-- by contacts.normal_email.
-- Parameters: none
SELECT DISTINCT clean_text(email) AS email
FROM recipient_candidates
WHERE clean_text(email) IS NOT NULL
ORDER BY email;
