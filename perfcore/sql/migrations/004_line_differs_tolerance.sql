-- A line's self-score "differs" from the computed one by the same rule as the SCORE_DIFFERS
-- finding: by more than the rule sets' score_tolerance, 0.01 分 (every shipped rule set; a test
-- holds them equal). Before, any gap of 0.01 was marked on the pages while the review had no
-- finding for it (units round 4.265 to 4.26 or 4.27 alike).

-- Indicator lines of the scoped evaluations with the computed score of the run shown.
CREATE OR REPLACE MACRO scoped_indicator_lines(
    p_years, p_departments, p_projects, p_grades, p_rule_set, p_as_of
) AS TABLE
    SELECT
        e.evaluation_id, e.year, e.department, e.project, e.rule_set,
        l.line_id, l.line_no, l.level1, l.level2, l.name,
        l.target_raw, l.actual_raw,
        l.target_kind, l.target_operator, l.target_number, l.target_unit, l.target_text,
        l.actual_kind, l.actual_operator, l.actual_number, l.actual_unit, l.actual_text,
        l.target_confident, l.actual_confident,
        l.weight, l.score_reported, i.score_computed,
        l.weight - i.score_computed AS lost_points,
        coalesce(abs(l.score_reported - i.score_computed) > 0.01, false) AS differs,
        i.rule, i.explanation, i.tier, i.counted,
        l.deviation_reason, l.method,
        l.source_file, l.source_row
    FROM scoped_evaluations(
        p_years, p_departments, p_projects, p_grades, p_rule_set, p_as_of
    ) AS e
    JOIN indicator_lines AS l ON l.evaluation_id = e.evaluation_id
    LEFT JOIN indicator_scores AS i
        ON i.line_id = l.line_id AND i.rule_set = e.rule_set
       AND i.data_version = e.score_version;
