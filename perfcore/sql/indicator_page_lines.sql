-- Which indicator lines make a bounded page ($limit rows): those whose 二级指标 matches $level2
-- (LIKE; '%' = all) and whose 三级指标 is one of $names (NULL = all; see
-- indicator_summary.sql), only the lines whose self-score differs when $only_differs, only lines
-- with numeric target and actual when $numeric_only. $worst_first puts the most points lost
-- first; otherwise the lines come in table order (one evaluation reads like its form).
-- Only the line ids: sorting 2·10^6 lines with every column of theirs took 4 s at 10^5
-- evaluations; indicator_page.sql then reads the chosen lines in full.
SELECT line_id
FROM scoped_indicator_lines($years, $departments, $projects, $grades, $rule_set, $as_of)
WHERE level2 LIKE $level2
  AND ($names::VARCHAR[] IS NULL OR list_contains($names::VARCHAR[], name))
  AND (NOT $only_differs OR differs)
  AND (NOT $numeric_only OR (target_number IS NOT NULL AND actual_number IS NOT NULL))
ORDER BY
    CASE WHEN $worst_first THEN lost_points END DESC NULLS LAST,
    year DESC, department, project, line_no
LIMIT $limit;
