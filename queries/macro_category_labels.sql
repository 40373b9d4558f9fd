-- Defines category_labels(categories, language): the exposed categories of a recipient as
-- words in the recipient's language, in the case's category order, joined with ', '; for a
-- bilingual recipient ('nl+fr') both versions joined with ' / '.
-- Parameters: none
CREATE OR REPLACE MACRO category_labels(categories, language) AS (
    SELECT string_agg(text, ' / ' ORDER BY part)
    FROM (
        SELECT
            g.part,
            string_agg(l.label, ', ' ORDER BY l.position) AS text
        FROM (
            SELECT unnest(string_split(language, '+')) AS lang,
                   generate_subscripts(string_split(language, '+'), 1) AS part
        ) AS g
        JOIN category_label_table AS l ON l.language = g.lang
        WHERE list_contains(categories, l.category)
        GROUP BY g.part
    )
);
