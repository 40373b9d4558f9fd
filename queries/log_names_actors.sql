-- Whether any row of the access log names an actor (after clean_text): when none does (a log
-- of unreadable lines only), no actor of the scope can be told apart from a misspelt one.
-- Parameters: none
SELECT EXISTS (SELECT 1 FROM staged_access_log WHERE clean_text(actor) IS NOT NULL) AS named;
