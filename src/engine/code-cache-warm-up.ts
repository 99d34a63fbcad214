/**
 * A short batch of DuckDB work of the kinds a segmentation notebook does (text checks with regular
 * expressions, casts, dates, grouped aggregates, a join, window ranks, quantiles, a sort), run once
 * in the background so the browser keeps DuckDB's compiled wasm for the next visit whatever the first
 * notebook happened to do.
 *
 * Why: Chromium stores a streamed wasm module's compiled code only when V8 says "more functions can
 * be serialized", and V8 (Chromium 156) says so once its optimising compiler has produced about 1 MB
 * of code (`--wasm-caching-hard-threshold`); its other trigger, 2 s after the last optimised function
 * (`--wasm-caching-timeout-ms`), was never seen to fire on the built site. How much code a visit
 * optimises depends on how much work the notebook does, so a notebook that runs quickly left nothing
 * cached and every later visit compiled DuckDB again. This batch makes the hot paths hot enough.
 *
 * Every query reads generated rows only (`range`): nothing is created, registered or left behind, so
 * the user's catalog and files never see it. Each is short (tens of milliseconds), so a cell the user
 * runs waits at most for the one in flight: {@link warmUpEngine} stops between queries when aborted.
 */
import type { Engine } from "./engine.ts";

/** Rows each query generates: enough for V8 to optimise the loops, little enough to stay short. */
const ROWS = 200_000;

/** Text shaped like a CSV column: numbers, padded codes, dates, words (deterministic, from the row number). */
const TEXT_ROWS = `SELECT i,
  CASE i % 4
    WHEN 0 THEN ' ' || (i * 7919 % 100000)::VARCHAR || ' '
    WHEN 1 THEN 'C' || lpad((i % 5000)::VARCHAR, 6, '0')
    WHEN 2 THEN strftime(DATE '2010-12-01' + (i % 400)::INTEGER, '%Y-%m-%d %H:%M')
    ELSE 'WHITE HANGING HEART T-LIGHT HOLDER ' || (i % 97)::VARCHAR
  END AS s
FROM range(${ROWS}) t(i)`;

/** Orders shaped like the retail data: customer, invoice date, quantity, price. */
const ORDER_ROWS = `SELECT i % 4000 AS customer, i % 25000 AS invoice,
  TIMESTAMP '2010-12-01 08:00:00' + to_minutes((i * 37 % 525600)::BIGINT) AS ordered_at,
  (i % 24) + 1 AS quantity, ((i * 13 % 1000) / 100.0)::DOUBLE AS price
FROM range(${ROWS}) t(i)`;

/**
 * The batch: each query returns one small row, so nothing large crosses to the page.
 *
 * @example
 * for (const sql of WARM_UP_QUERIES) await engine.query(sql);
 */
export const WARM_UP_QUERIES: readonly string[] = [
  // Text checks as column notes and typing do them: trims and regular expressions, then casts.
  `SELECT count(*) FILTER (WHERE regexp_full_match(trim(s), '[+-]?[0-9]+')) AS ints,
     count(*) FILTER (WHERE regexp_full_match(s, '[0-9]{4}-[0-9]{2}-[0-9]{2}( [0-9]{2}:[0-9]{2})?')) AS dates,
     count(*) FILTER (WHERE regexp_matches(s, '^[A-Z][0-9]+$')) AS codes
   FROM (${TEXT_ROWS})`,
  `SELECT count(TRY_CAST(s AS DOUBLE)) AS doubles, count(TRY_CAST(s AS TIMESTAMP)) AS stamps
   FROM (${TEXT_ROWS})`,
  `SELECT count(DISTINCT lower(s)) AS distinct_lower, sum(length(s)) AS chars,
     count(*) FILTER (WHERE s LIKE '%HEART%' OR contains(s, 'C00')) AS words
   FROM (${TEXT_ROWS})`,
  // RFM-style aggregates per customer, then scores by window ranks.
  `WITH orders AS (${ORDER_ROWS}),
   per AS (SELECT customer, max(ordered_at) AS last_at, count(DISTINCT invoice) AS frequency,
     sum(quantity * price) AS monetary FROM orders GROUP BY customer),
   scored AS (SELECT *, ntile(5) OVER (ORDER BY last_at) AS r, ntile(5) OVER (ORDER BY frequency) AS f,
     ntile(5) OVER (ORDER BY monetary) AS m, row_number() OVER (PARTITION BY customer % 10 ORDER BY monetary DESC) AS rank
     FROM per)
   SELECT count(*) AS customers, sum(r + f + m) AS scores, max(rank) AS top FROM scored`,
  // Dates: truncation, parts, differences, formatting and parsing back.
  `WITH orders AS (${ORDER_ROWS})
   SELECT count(DISTINCT date_trunc('month', ordered_at)) AS months, sum(date_part('dow', ordered_at)) AS dows,
     max(date_diff('day', ordered_at, TIMESTAMP '2011-12-10 00:00:00')) AS recency,
     count(strptime(strftime(ordered_at, '%d/%m/%Y %H:%M'), '%d/%m/%Y %H:%M')) AS parsed
   FROM orders`,
  // A join, quantiles and a sort, as segment summaries do.
  `WITH orders AS (${ORDER_ROWS}),
   customers AS (SELECT i AS customer, 'segment ' || (i % 7)::VARCHAR AS segment FROM range(4000) t(i))
   SELECT count(*) AS rows, count(DISTINCT segment) AS segments, quantile_cont(price, 0.5) AS median_price,
     quantile_disc(quantity, [0.25, 0.75]) AS quartiles, approx_count_distinct(invoice) AS invoices,
     first(customer ORDER BY quantity * price DESC) AS best
   FROM orders JOIN customers USING (customer)`,
];

/**
 * Runs {@link WARM_UP_QUERIES} one after the other on `engine`; stops before the next query once
 * `signal` is aborted. Resolves true when every query ran, false when stopped; a query that fails
 * rejects (the caller decides whether that matters: for the code cache it does not).
 *
 * @example
 * const stop = new AbortController();
 * const done = await warmUpEngine(engine, stop.signal); // stop.abort() when the user runs a cell
 */
export async function warmUpEngine(engine: Pick<Engine, "query">, signal: AbortSignal): Promise<boolean> {
  for (const sql of WARM_UP_QUERIES) {
    if (signal.aborted) return false;
    await engine.query(sql);
  }
  return !signal.aborted;
}
