-- One row that sums up the evaluations in scope, for every page's caption and KPI cards: how
-- many evaluations, departments, projects and years; funds totals (amounts as scored); mean
-- scores; and how many self-scores sit above or below the computed ones (by more than 0.005).
WITH e AS (
    SELECT *, total_reported - total_computed AS gap
    FROM scoped_evaluations($years, $departments, $projects, $grades, $rule_set, $as_of)
)
SELECT
    count(*) AS n_evaluations,
    count(DISTINCT department) AS n_departments,
    count(DISTINCT project) AS n_projects,
    min(year) AS first_year,
    max(year) AS last_year,
    sum(initial_budget) AS initial_budget,
    sum(annual_budget) AS annual_budget,
    sum(executed) AS executed,
    count(DISTINCT funds_weight) AS n_funds_weights,
    min(funds_weight) AS funds_weight,
    avg(funds_score_reported) AS funds_score_reported,
    avg(funds_score_computed) AS funds_score_computed,
    avg(total_reported) AS total_reported,
    avg(total_computed) AS total_computed,
    count(*) FILTER (WHERE gap > 0.005) AS n_inflated,
    avg(gap) FILTER (WHERE gap > 0.005) AS mean_inflation,
    max(gap) AS max_inflation,
    count(*) FILTER (WHERE gap < -0.005) AS n_deflated,
    -min(gap) AS max_deflation
FROM e;
