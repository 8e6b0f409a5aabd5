-- Which of the project names a link or the current selection names ($names) exist among the
-- current evaluations (or those stored by data version $as_of, for a pinned link) in the
-- viewer's allowed departments ($allowed: NULL = every department).
SELECT DISTINCT project
FROM evaluations
WHERE CASE
        WHEN CAST($as_of AS BIGINT) IS NULL THEN is_current
        ELSE data_version <= CAST($as_of AS BIGINT)
      END
  AND list_contains(CAST($names AS VARCHAR[]), project)
  AND (CAST($allowed AS VARCHAR[]) IS NULL
       OR list_contains(CAST($allowed AS VARCHAR[]), department))
ORDER BY project;
