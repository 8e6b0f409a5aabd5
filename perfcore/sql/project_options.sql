-- Projects the 项目 filter offers: those of current evaluations in the chosen years and
-- departments (an empty list = all), within the viewer's allowed departments ($allowed: a
-- list, NULL = every department), alphabetically, at most $limit of them; n_matching says how
-- many there are in all, so the sidebar can ask the viewer to narrow the choice first. For a
-- link pinned to data version $as_of: the projects of the evaluations stored by then.
WITH matching AS (
    SELECT DISTINCT project
    FROM evaluations
    WHERE CASE
            WHEN CAST($as_of AS BIGINT) IS NULL THEN is_current
            ELSE data_version <= CAST($as_of AS BIGINT)
          END
      AND (len(CAST($years AS INTEGER[])) = 0 OR list_contains(CAST($years AS INTEGER[]), year))
      AND (len(CAST($departments AS VARCHAR[])) = 0
           OR list_contains(CAST($departments AS VARCHAR[]), department))
      AND (CAST($allowed AS VARCHAR[]) IS NULL
           OR list_contains(CAST($allowed AS VARCHAR[]), department))
)
SELECT project, count(*) OVER () AS n_matching
FROM matching
ORDER BY project
LIMIT $limit;
