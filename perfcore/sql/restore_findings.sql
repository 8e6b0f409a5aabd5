-- Reading findings, and the findings of the source's latest run under each rule set.
WITH runs AS (
    SELECT rule_set, max(data_version) AS data_version
    FROM scores WHERE evaluation_id = $source GROUP BY ALL
)
INSERT INTO findings BY NAME
SELECT f.* REPLACE (
    $evaluation_id AS evaluation_id, $data_version AS data_version, n.line_id AS line_id
)
FROM findings AS f
LEFT JOIN runs AS r ON r.rule_set = f.rule_set AND r.data_version = f.data_version
LEFT JOIN indicator_lines AS o ON o.line_id = f.line_id
LEFT JOIN indicator_lines AS n ON n.evaluation_id = $evaluation_id AND n.line_no = o.line_no
WHERE f.evaluation_id = $source AND (f.rule_set IS NULL OR r.rule_set IS NOT NULL);
