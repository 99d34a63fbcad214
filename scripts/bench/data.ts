/**
 * Benchmark data: transaction tables of any size made by the same deterministic SQL in every engine
 * (hash-based, no random state), and written to CSV/Parquet by native DuckDB for the load figures.
 */

/** SQL that yields `rows` transactions over `customers` customers, identical in every DuckDB. */
export function transactionsQuery(rows: number, customers = Math.max(1, Math.round(rows / 12))): string {
  return `SELECT
    i AS invoice,
    (hash(i * 7 + 1) % ${customers})::INTEGER AS customer_id,
    (DATE '2023-01-01' + (hash(i * 7 + 2) % 730)::INTEGER) AS order_date,
    round(((hash(i * 7 + 3) % 20000) / 100.0 + 1), 2)::DOUBLE AS amount,
    (['home','garden','kitchen','toys','books'])[(hash(i * 7 + 4) % 5)::INTEGER + 1] AS category
  FROM range(${rows}) t(i)`;
}

/** The RFM-style aggregation every engine runs (what seg.rfm pushes into DuckDB). */
export const RFM_SQL = `SELECT customer_id,
    (DATE '2025-01-01' - max(order_date)) AS recency,
    count(DISTINCT invoice) AS frequency,
    sum(amount) AS monetary,
    ntile(5) OVER (ORDER BY (DATE '2025-01-01' - max(order_date)) DESC, customer_id) AS r_score,
    ntile(5) OVER (ORDER BY count(DISTINCT invoice), customer_id) AS f_score,
    ntile(5) OVER (ORDER BY sum(amount), customer_id) AS m_score
  FROM tx GROUP BY customer_id`;
