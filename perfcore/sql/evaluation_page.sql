-- A bounded page of the evaluations in scope ($limit rows), each with its rank by computed
-- total (ties: higher execution rate first) and its findings per severity. $sort picks the
-- page: 'best' (rank 1 first), 'worst' (last rank first), 'lowest_rate' (lowest execution
-- rate first, no budget last) or 'widest_gap' (largest |self-score − computed| first).
WITH ranked AS (
    SELECT
        *,
        row_number() OVER (
            ORDER BY total_computed DESC NULLS LAST, execution_rate DESC NULLS LAST,
                year DESC, department, project
        ) AS rank
    FROM scoped_evaluations($years, $departments, $projects, $grades, $rule_set, $as_of)
),
page AS (
    SELECT *
    FROM ranked
    ORDER BY
        CASE $sort WHEN 'best' THEN rank WHEN 'worst' THEN -rank END,
        CASE WHEN $sort = 'lowest_rate' THEN execution_rate END ASC NULLS LAST,
        CASE WHEN $sort = 'widest_gap' THEN abs(total_reported - total_computed) END
            DESC NULLS LAST,
        rank
    LIMIT $limit
),
counts AS (
    SELECT
        f.evaluation_id,
        count(*) FILTER (WHERE f.severity = 'error') AS n_errors,
        count(*) FILTER (WHERE f.severity = 'warning') AS n_warnings,
        count(*) FILTER (WHERE f.severity = 'info') AS n_infos
    FROM findings AS f
    JOIN page AS e ON f.evaluation_id = e.evaluation_id
    WHERE f.rule_set IS NULL OR (f.rule_set = e.rule_set AND f.data_version = e.score_version)
    GROUP BY ALL
)
SELECT
    e.rank, e.evaluation_id, e.year, e.department, e.project, e.rule_set,
    e.initial_budget, e.annual_budget, e.executed, e.execution_rate,
    e.funds_weight, e.funds_score_reported, e.funds_score_computed,
    e.total_reported, e.total_computed, e.total_reported - e.total_computed AS gap,
    e.grade_computed,
    coalesce(c.n_errors, 0) AS n_errors,
    coalesce(c.n_warnings, 0) AS n_warnings,
    coalesce(c.n_infos, 0) AS n_infos
FROM page AS e
LEFT JOIN counts AS c USING (evaluation_id)
ORDER BY
    CASE $sort WHEN 'best' THEN e.rank WHEN 'worst' THEN -e.rank END,
    CASE WHEN $sort = 'lowest_rate' THEN e.execution_rate END ASC NULLS LAST,
    CASE WHEN $sort = 'widest_gap' THEN abs(e.total_reported - e.total_computed) END
        DESC NULLS LAST,
    e.rank;
