SELECT * FROM expenditures ORDER BY evaluation_id, line_no;
