-- Runs after restore_indicator_lines: old and new lines are matched by line_no.
WITH runs AS (
    SELECT rule_set, max(data_version) AS data_version
    FROM scores WHERE evaluation_id = $source GROUP BY ALL
)
INSERT INTO indicator_scores BY NAME
SELECT s.* REPLACE (n.line_id AS line_id, $data_version AS data_version)
FROM indicator_scores AS s
JOIN runs AS r ON r.rule_set = s.rule_set AND r.data_version = s.data_version
JOIN indicator_lines AS o ON o.line_id = s.line_id AND o.evaluation_id = $source
JOIN indicator_lines AS n ON n.evaluation_id = $evaluation_id AND n.line_no = o.line_no;
