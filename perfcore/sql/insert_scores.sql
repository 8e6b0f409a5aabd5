INSERT INTO scores BY NAME SELECT * FROM new_scores;
