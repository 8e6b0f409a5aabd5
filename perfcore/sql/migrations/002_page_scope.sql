-- What the dashboard pages read: the evaluation versions in scope of the filters, each with
-- the scoring run of the rule set shown. Kept as table macros so that every page query
-- (perfcore/sql/*.sql) starts from the same definition of "current" and "as of".
--
-- p_years / p_departments / p_projects / p_grades: lists, empty = all.
-- p_rule_set: a rule-set name, NULL = each evaluation's own.
-- p_as_of: a data_version, NULL = now. Shows, per key, the highest version that existed
--          then, and per rule set the latest scoring run made by then.

CREATE OR REPLACE MACRO scoped_evaluations(
    p_years, p_departments, p_projects, p_grades, p_rule_set, p_as_of
) AS TABLE
    WITH visible AS (
        SELECT *
        FROM evaluations
        WHERE (len(CAST(p_years AS INTEGER[])) = 0
               OR list_contains(CAST(p_years AS INTEGER[]), year))
          AND (len(CAST(p_departments AS VARCHAR[])) = 0
               OR list_contains(CAST(p_departments AS VARCHAR[]), department))
          AND (len(CAST(p_projects AS VARCHAR[])) = 0
               OR list_contains(CAST(p_projects AS VARCHAR[]), project))
          AND CASE
                WHEN CAST(p_as_of AS BIGINT) IS NULL THEN is_current
                ELSE data_version <= CAST(p_as_of AS BIGINT)
              END
        QUALIFY CAST(p_as_of AS BIGINT) IS NULL
             OR row_number() OVER (PARTITION BY year, department, project ORDER BY version DESC) = 1
    ),
    runs AS (
        SELECT evaluation_id, rule_set, max(data_version) AS score_version
        FROM scores
        WHERE CAST(p_as_of AS BIGINT) IS NULL OR data_version <= CAST(p_as_of AS BIGINT)
        GROUP BY ALL
    )
    SELECT
        v.evaluation_id, v.year, v.department, v.project, v.version, v.upload_id,
        v.authority, v.implementer, v.kind, v.goal_expected, v.goal_actual,
        v.rule_set AS own_rule_set,
        coalesce(CAST(p_rule_set AS VARCHAR), v.rule_set) AS rule_set,
        r.score_version,
        v.created_by, v.created_at, v.data_version,
        s.initial_budget, s.annual_budget, s.executed, s.execution_rate,
        s.funds_weight, s.funds_score_reported, s.funds_score_computed,
        coalesce(s.total_reported, v.total_reported) AS total_reported, s.total_computed,
        coalesce(s.grade_reported, v.grade_reported) AS grade_reported,
        s.grade_reported_canonical, s.grade_computed
    FROM visible AS v
    LEFT JOIN runs AS r
        ON r.evaluation_id = v.evaluation_id
       AND r.rule_set = coalesce(CAST(p_rule_set AS VARCHAR), v.rule_set)
    LEFT JOIN scores AS s
        ON s.evaluation_id = r.evaluation_id AND s.rule_set = r.rule_set
       AND s.data_version = r.score_version
    WHERE len(CAST(p_grades AS VARCHAR[])) = 0
       OR list_contains(CAST(p_grades AS VARCHAR[]), s.grade_computed);

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
        coalesce(abs(l.score_reported - i.score_computed) > 0.005, false) AS differs,
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
