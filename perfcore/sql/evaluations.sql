-- One row per evaluation in scope: funds execution, reported and computed totals and grades,
-- and how many findings of each severity it has (reading ones plus the shown scoring run's).
WITH e AS (
    SELECT * FROM scoped_evaluations($years, $departments, $projects, $grades, $rule_set, $as_of)
),
counts AS (
    SELECT
        f.evaluation_id,
        count(*) FILTER (WHERE f.severity = 'error') AS n_errors,
        count(*) FILTER (WHERE f.severity = 'warning') AS n_warnings,
        count(*) FILTER (WHERE f.severity = 'info') AS n_infos
    FROM findings AS f
    JOIN e ON f.evaluation_id = e.evaluation_id
    WHERE f.rule_set IS NULL OR (f.rule_set = e.rule_set AND f.data_version = e.score_version)
    GROUP BY ALL
)
SELECT
    e.evaluation_id, e.year, e.department, e.project, e.authority, e.implementer, e.kind,
    e.version, e.rule_set, e.own_rule_set,
    e.initial_budget, e.annual_budget, e.executed, e.execution_rate,
    e.funds_weight, e.funds_score_reported, e.funds_score_computed,
    e.total_reported, e.total_computed, e.total_computed - e.total_reported AS total_delta,
    e.grade_reported, e.grade_reported_canonical, e.grade_computed,
    coalesce(c.n_errors, 0) AS n_errors,
    coalesce(c.n_warnings, 0) AS n_warnings,
    coalesce(c.n_infos, 0) AS n_infos,
    e.created_by AS uploaded_by, e.created_at AS uploaded_at, e.upload_id, e.data_version
FROM e
LEFT JOIN counts AS c USING (evaluation_id)
ORDER BY e.year DESC, e.department, e.project;
