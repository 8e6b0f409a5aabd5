-- Every accepted upload, newest first.
SELECT
    upload_id, file_names, sha256, size_bytes, n_rows, n_evaluations,
    uploaded_by, uploaded_at, status, data_version
FROM uploads
ORDER BY upload_id DESC;
