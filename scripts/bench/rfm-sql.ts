/**
 * The hand-written SQL the RFM figure compares `seg.rfm` with: one statement computing what
 * `seg.rfm(tx, {id: "customer_id", date: "order_date", amount: "amount", invoice: "invoice"})`
 * computes with its defaults (quintile scoring as pandas `qcut` does it, the "rf10" segment map, asOf =
 * latest purchase + 1 day), over the bench's transactions table (see data.ts). Native DuckDB runs the
 * same text. test/bench/rfm-sql.test.ts checks that it gives seg.rfm's table, value for value. The
 * monetary sum is seg.rfm's own order-independent one (src/seg/exact-sum.ts): the same bits on every
 * engine is part of what seg.rfm computes, so a hand-written equivalent pays for it too.
 */
import { exactSumSql } from "../../src/seg/exact-sum.ts";

/** numpy's `linspace(0, 1, 6)` inner points as the doubles numpy has (k * (1/5); the third is not 0.6). */
const PROBABILITIES = [1, 2, 3, 4].map((k) => k * (1 / 5));

/**
 * numpy's 'linear' quantile at probability `p` of an ascending sample of `n` values, `at(i)` being the
 * i-th (1-based) value: virtual index (n-1)*p, neighbours floor and floor+1, and numpy's `_lerp`
 * (`b - (b-a)*(1-g)` from g = 0.5 on). DuckDB's quantile_cont interpolates as `a + (b-a)*g` throughout,
 * which can differ in the last bit and move a customer sitting on an edge, hence this.
 */
function numpyQuantile(at: (index: string) => string, p: number): string {
  // A DOUBLE literal: a plain decimal literal would be a DECIMAL and make (n-1)*p exact, unlike numpy.
  const virtual = `((n - 1) * CAST('${p}' AS DOUBLE))`;
  const gamma = `(${virtual} - floor(${virtual}))`;
  const floorIndex = `CAST(floor(${virtual}) AS BIGINT)`;
  const a = at(`least(${floorIndex} + 1, n)`);
  const b = at(`least(${floorIndex} + 2, n)`);
  return `CASE WHEN ${gamma} >= 0.5 THEN ${b} - (${b} - ${a}) * (1 - ${gamma}) ELSE ${a} + (${b} - ${a}) * ${gamma} END`;
}

/** `1 + (x > e1) + … + (x > e4)`: pandas' right-closed bins, the lowest edge inside bin 1. */
function bucket(column: string, edge: string): string {
  return `(1 + ${PROBABILITIES.map((_, k) => `CAST(${column} > ${edge}${k + 1} AS INTEGER)`).join(" + ")})`;
}

const edgeColumns = (name: string, at: (index: string) => string) =>
  PROBABILITIES.map((p, k) => `${numpyQuantile(at, p)} AS ${name}${k + 1}`).join(",\n    ");

/** The statement, over table `tx` (customer_id, order_date DATE, amount, invoice). */
export const RFM_HAND_SQL = `WITH customers AS (
  SELECT customer_id, max(order_date) AS last_order, count(DISTINCT invoice) AS frequency,
    coalesce(${exactSumSql("CAST(amount AS DOUBLE)")}, 0) AS monetary
  FROM tx WHERE customer_id IS NOT NULL GROUP BY customer_id
), measured AS (
  SELECT customer_id, CAST((max(last_order) OVER () + 1) - last_order AS BIGINT) AS recency, frequency, monetary,
    row_number() OVER (ORDER BY frequency, customer_id) AS f_rank
  FROM customers
), sorted AS (
  SELECT count(*) AS n, list_sort(list(recency)) AS r, list_sort(list(monetary)) AS m FROM measured
), edges AS (
  SELECT ${edgeColumns("r", (i) => `r[${i}]`)},
    ${edgeColumns("f", (i) => i)},
    ${edgeColumns("m", (i) => `m[${i}]`)}
  FROM sorted
), scored AS (
  SELECT customer_id, recency, frequency, monetary,
    (6 - ${bucket("recency", "r")}) AS r_score, ${bucket("f_rank", "f")} AS f_score, ${bucket("monetary", "m")} AS m_score
  FROM measured, edges
)
SELECT *, r_score::VARCHAR || f_score::VARCHAR AS rf_code,
  r_score::VARCHAR || f_score::VARCHAR || m_score::VARCHAR AS rfm_code,
  CASE
    WHEN r_score <= 2 AND f_score <= 2 THEN 'hibernating'
    WHEN r_score <= 2 AND f_score <= 4 THEN 'at_risk'
    WHEN r_score <= 2 THEN 'cant_lose'
    WHEN r_score = 3 AND f_score <= 2 THEN 'about_to_sleep'
    WHEN r_score = 3 AND f_score = 3 THEN 'need_attention'
    WHEN r_score <= 4 AND f_score >= 4 THEN 'loyal_customers'
    WHEN r_score = 4 AND f_score = 1 THEN 'promising'
    WHEN r_score = 5 AND f_score = 1 THEN 'new_customers'
    WHEN f_score <= 3 THEN 'potential_loyalists'
    ELSE 'champions'
  END AS segment
FROM scored ORDER BY customer_id`;
