INSERT INTO indicator_scores BY NAME SELECT * FROM new_indicator_scores;
