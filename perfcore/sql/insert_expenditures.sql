INSERT INTO expenditures BY NAME SELECT * FROM new_expenditures;
