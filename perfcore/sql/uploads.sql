-- Every accepted upload, newest first, limited to uploads that stored at least one evaluation
-- in the viewer's allowed departments ($allowed: a list, NULL = every department) — a scoped
-- uploader never sees the file names or uploaders of another department's uploads.
SELECT
    upload_id, file_names, sha256, size_bytes, n_rows, n_evaluations,
    uploaded_by, uploaded_at, status, data_version
FROM uploads AS u
WHERE CAST($allowed AS VARCHAR[]) IS NULL
   OR EXISTS (
        SELECT 1
        FROM evaluations AS e
        WHERE e.upload_id = u.upload_id
          AND list_contains(CAST($allowed AS VARCHAR[]), e.department)
   )
ORDER BY upload_id DESC;
