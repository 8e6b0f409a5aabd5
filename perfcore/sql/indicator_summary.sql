-- One row about the indicator lines in scope whose 二级指标 matches $level2 (LIKE; '%' = all)
-- and whose 三级指标 is one of $names (the names a search matched, perfcore/names.py; NULL =
-- all):
-- how many lines, how many count towards the total (not parent rows, not 不适用) with their
-- weight and lost points, how many self-scores differ from the computed ones, how many lines
-- have a numeric target and actual (can be drawn), and across how many projects and years.
SELECT
    count(*) AS n_lines,
    count(*) FILTER (WHERE counted) AS n_counted,
    coalesce(sum(weight) FILTER (WHERE counted), 0) AS weight,
    coalesce(sum(lost_points) FILTER (WHERE counted), 0) AS lost_points,
    count(*) FILTER (WHERE differs) AS n_differs,
    count(*) FILTER (WHERE target_number IS NOT NULL AND actual_number IS NOT NULL) AS n_numeric,
    count(DISTINCT project) AS n_projects,
    count(DISTINCT year) AS n_years
FROM scoped_indicator_lines($years, $departments, $projects, $grades, $rule_set, $as_of)
WHERE level2 LIKE $level2
  AND ($names::VARCHAR[] IS NULL OR list_contains($names::VARCHAR[], name));
