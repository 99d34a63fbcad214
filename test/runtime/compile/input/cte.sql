WITH recent AS (SELECT * FROM orders WHERE day > ${since})
SELECT * FROM recent, main.customers, read_csv('x.csv') -- FROM comment_table
