INSERT INTO evaluations BY NAME SELECT * FROM new_evaluations;
