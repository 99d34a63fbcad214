SELECT c.region, sum(o.amount) AS revenue
FROM orders o JOIN customers c ON o.customer_id = c.id
WHERE o.amount > ${min} AND c.name <> ${"O'Brien"}
GROUP BY 1
