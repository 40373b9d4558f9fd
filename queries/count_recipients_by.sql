-- Affected persons per channel, per language, per wave status (new, expanded,
-- already_notified) and per exposed category (persons with a field of it exposed); a
-- channel of 'none' means no usable channel.
-- Parameters: none
SELECT 'channel' AS dimension, coalesce(channel, 'none') AS value, count(*) AS persons
FROM recipients GROUP BY ALL
UNION ALL
SELECT 'language', language, count(*) FROM recipients GROUP BY ALL
UNION ALL
SELECT 'wave_status', wave_status, count(*) FROM recipients GROUP BY ALL
UNION ALL
SELECT 'category', category, count(*)
FROM (SELECT unnest(category_set) AS category FROM recipients)
GROUP BY ALL
ORDER BY dimension, persons DESC, value;
