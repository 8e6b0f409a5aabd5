SELECT DISTINCT rule_set FROM scores ORDER BY rule_set;
