-- The next free ids. Only called inside a write transaction, under the store's writer lock.
SELECT
    (SELECT coalesce(max(data_version), 0) + 1 FROM audit_log) AS data_version,
    (SELECT coalesce(max(upload_id), 0) + 1 FROM uploads) AS upload_id,
    (SELECT coalesce(max(evaluation_id), 0) + 1 FROM evaluations) AS evaluation_id,
    (SELECT coalesce(max(line_id), 0) + 1 FROM indicator_lines) AS line_id;
