-- Every stored version of the evaluations matching the given key parts (NULL = any part),
-- with who made it and when, and its totals under its own rule set (latest scoring run).
WITH own_runs AS (
    SELECT evaluation_id, rule_set, max(data_version) AS data_version
    FROM scores
    GROUP BY ALL
)
SELECT
    e.year, e.department, e.project, e.version, e.is_current,
    CASE WHEN e.restored_from IS NULL THEN 'ingest' ELSE 'restore' END AS action,
    e.restored_from, e.evaluation_id, e.upload_id, u.file_names, u.uploaded_by, u.uploaded_at,
    e.created_by, e.created_at, e.data_version, e.rule_set,
    s.total_reported, s.total_computed, s.grade_reported, s.grade_computed
FROM evaluations AS e
JOIN uploads AS u USING (upload_id)
LEFT JOIN own_runs AS r ON r.evaluation_id = e.evaluation_id AND r.rule_set = e.rule_set
LEFT JOIN scores AS s
    ON s.evaluation_id = r.evaluation_id AND s.rule_set = r.rule_set
    AND s.data_version = r.data_version
WHERE ($year IS NULL OR e.year = $year)
  AND ($department IS NULL OR e.department = $department)
  AND ($project IS NULL OR e.project = $project)
ORDER BY e.year, e.department, e.project, e.version;
