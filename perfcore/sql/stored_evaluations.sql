SELECT * FROM evaluations ORDER BY evaluation_id;
