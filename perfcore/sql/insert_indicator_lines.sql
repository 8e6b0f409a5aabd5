INSERT INTO indicator_lines BY NAME SELECT * FROM new_indicator_lines;
