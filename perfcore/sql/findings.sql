-- Findings of the evaluations in scope: those made while reading, and those of the scoring
-- run shown. Errors first.
SELECT
    e.evaluation_id, e.year, e.department, e.project,
    f.severity, f.code, f.message, f.message_en,
    f.source_file AS file, f.source_row AS "row", f.source_column AS "column",
    l.name AS indicator_name, f.rule_set
FROM scoped_evaluations($years, $departments, $projects, $grades, $rule_set, $as_of) AS e
JOIN findings AS f ON f.evaluation_id = e.evaluation_id
LEFT JOIN indicator_lines AS l ON l.line_id = f.line_id
WHERE f.rule_set IS NULL OR (f.rule_set = e.rule_set AND f.data_version = e.score_version)
ORDER BY
    CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,
    e.year DESC, e.department, e.project, f.source_row NULLS FIRST, f.code;
