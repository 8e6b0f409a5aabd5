INSERT INTO findings BY NAME SELECT * FROM new_findings;
