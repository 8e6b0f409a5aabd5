-- The first $limit findings of each severity and code (in findings.sql order), with where
-- they point — file, row, column — and the indicator's name, looked up for those rows only.
WITH scoped AS (
    SELECT
        e.year, e.department, e.project,
        f.severity, f.code, f.message, f.message_en,
        f.source_file AS file, f.source_row AS "row", f.source_column AS "column", f.line_id,
        row_number() OVER (
            PARTITION BY f.severity, f.code
            ORDER BY e.year DESC, e.department, e.project, f.source_row NULLS FIRST
        ) AS n
    FROM scoped_evaluations($years, $departments, $projects, $grades, $rule_set, $as_of) AS e
    JOIN findings AS f ON f.evaluation_id = e.evaluation_id
    WHERE f.rule_set IS NULL OR (f.rule_set = e.rule_set AND f.data_version = e.score_version)
    QUALIFY n <= $limit
)
SELECT
    s.year, s.department, s.project, s.severity, s.code, s.message, s.message_en,
    s.file, s."row", s."column", l.name AS indicator_name
FROM scoped AS s
LEFT JOIN indicator_lines AS l ON l.line_id = s.line_id
ORDER BY
    CASE s.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, s.code, s.n;
