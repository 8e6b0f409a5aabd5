INSERT INTO audit_log (data_version, action, happened_at, actor, upload_id, rule_set, detail)
VALUES ($data_version, $action, $happened_at, $actor, $upload_id, $rule_set, $detail);
