-- The values the filter widgets offer: those of current evaluations.
SELECT
    coalesce(list_reverse_sort(list(DISTINCT year)), []) AS years,
    coalesce(list_sort(list(DISTINCT department)), []) AS departments,
    coalesce(list_sort(list(DISTINCT project)), []) AS projects
FROM evaluations
WHERE is_current;
