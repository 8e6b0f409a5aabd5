-- The overview's KPI cards: the evaluations of one year ($years holds just that year) against
-- $previous, like for like — the previous year's figures only for the department/project
-- pairs in scope now, whatever grade they had then, so a project added this year does not
-- read as growth. Two rows, period 'now' and 'before'; computed grades are counted for 'now'.
WITH now AS (
    SELECT * FROM scoped_evaluations($years, $departments, $projects, $grades, $rule_set, $as_of)
),
before AS (
    SELECT b.*
    FROM scoped_evaluations($previous, $departments, $projects, [], $rule_set, $as_of) AS b
    SEMI JOIN now USING (department, project)
),
periods AS (
    SELECT 'now' AS period, * FROM now
    UNION ALL BY NAME
    SELECT 'before' AS period, * FROM before
)
SELECT
    p.period,
    count(e.evaluation_id) AS n_evaluations,
    sum(e.annual_budget) AS annual_budget,
    sum(e.executed) AS executed,
    avg(e.total_reported) AS total_reported,
    avg(e.total_computed) AS total_computed,
    count(*) FILTER (WHERE e.grade_computed = '优') AS "优",
    count(*) FILTER (WHERE e.grade_computed = '良') AS "良",
    count(*) FILTER (WHERE e.grade_computed = '中') AS "中",
    count(*) FILTER (WHERE e.grade_computed = '差') AS "差"
FROM (VALUES ('now'), ('before')) AS p(period)
LEFT JOIN periods AS e ON e.period = p.period
GROUP BY p.period
ORDER BY p.period = 'before';
