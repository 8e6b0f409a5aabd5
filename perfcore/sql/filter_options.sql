-- The years and departments the filter widgets offer (projects: project_options.sql): those
-- of current evaluations in the viewer's allowed departments ($allowed: NULL = every one) —
-- or, for a link pinned to data version $as_of, of the evaluations stored by then (the
-- versions scoped_evaluations shows for it; year and department are part of their key).
SELECT
    coalesce(list_reverse_sort(list(DISTINCT year)), []) AS years,
    coalesce(list_sort(list(DISTINCT department)), []) AS departments
FROM evaluations
WHERE CASE
        WHEN CAST($as_of AS BIGINT) IS NULL THEN is_current
        ELSE data_version <= CAST($as_of AS BIGINT)
      END
  AND (CAST($allowed AS VARCHAR[]) IS NULL OR list_contains(CAST($allowed AS VARCHAR[]), department));
