INSERT INTO funds_lines BY NAME SELECT * FROM new_funds_lines;
