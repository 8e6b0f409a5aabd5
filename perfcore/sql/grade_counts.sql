-- Computed grades counted per department ($by = 'department') or per project, for the $limit
-- groups with the lowest mean computed total (where attention is needed first).
WITH e AS (
    SELECT CASE WHEN $by = 'department' THEN department ELSE project END AS label, *
    FROM scoped_evaluations($years, $departments, $projects, $grades, $rule_set, $as_of)
),
groups AS (
    SELECT label, avg(total_computed) AS mean_total
    FROM e
    GROUP BY label
    ORDER BY mean_total ASC NULLS FIRST, label
    LIMIT $limit
)
SELECT e.label, e.grade_computed, count(*) AS n, any_value(g.mean_total) AS mean_total
FROM e
JOIN groups AS g USING (label)
GROUP BY ALL
ORDER BY mean_total, label, grade_computed;
