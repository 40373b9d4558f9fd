-- Defines rewrite(s, rules, n): s with one of the rules ({p: pattern, r: replacement}) that
-- match it applied to its first match, the one chosen by n; NULL when none matches.
-- Parameters: none
CREATE OR REPLACE TEMP MACRO rewrite(s, rules, n) AS
    CASE WHEN len(list_filter(rules, lambda x: regexp_matches(s, x.p))) > 0 THEN
        regexp_replace(s,
            list_filter(rules, lambda x: regexp_matches(s, x.p))[
                1 + n % len(list_filter(rules, lambda x: regexp_matches(s, x.p)))].p,
            list_filter(rules, lambda x: regexp_matches(s, x.p))[
                1 + n % len(list_filter(rules, lambda x: regexp_matches(s, x.p)))].r)
    END;
