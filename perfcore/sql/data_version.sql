SELECT coalesce(max(data_version), 0) AS data_version FROM audit_log;
