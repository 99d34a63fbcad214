/**
 * A fitted RFM scoring as one SELECT (`scored.toSQL`): the transactions aggregated per customer in
 * the target engine (recency to the fitted reference instant, frequency, summed monetary) and
 * scored with the fitted edges, codes and segment map — no window functions, so it runs on
 * ClickHouse 18.16 as well as on DuckDB.
 *
 * Frequency under quantile scoring is scored by rank (pandas' `rank(method="first")`, ties broken
 * by customer id), which a query over other customers cannot reproduce by thresholds on frequency
 * alone; the fitted boundaries are therefore kept as (frequency, id) pairs — the customers at the
 * edge ranks — and a customer scores above an edge when its (frequency, id) sorts after that pair,
 * which is exactly the rank test on the fitted customers and a fixed rule for new ones.
 *
 * One difference is unavoidable: ClickHouse sums a customer's amounts with a plain sum in its own
 * row order (on a cluster, the shards' partial sums; 18.16's sumKahan fails there, its state cannot
 * cross shards), DuckDB correctly rounded in any order (src/seg/exact-sum.ts), so `monetary` can differ in the last bits
 * (about 1e-16 relative per amount). The scores differ only for a customer whose monetary is within
 * those bits of a monetary edge; on the shipped data none is (test/seg/to-sql-rfm.test.ts and
 * to-sql-cluster.test.ts check every score, code and segment).
 * Recency counts whole 24-hour periods to the fitted reference instant in UTC; ClickHouse reads the
 * date column with `toDateTime(date, 'UTC')` (a Date, a DateTime, or text "YYYY-MM-DD hh:mm:ss"),
 * to the second.
 */
import type { SqlParam } from "../engine/engine.ts";
import { exactSumSql } from "./exact-sum.ts";
import { sqlTarget, type SqlWriter, type ToSqlOptions } from "./to-sql-dialect.ts";
import { literal } from "./to-sql-rules.ts";

const DAY_US = 86_400_000_000;

/** What seg.rfm fitted that its SQL needs. */
export interface RfmSqlSpec {
  id: string;
  date: string;
  amount: string;
  invoice: string | undefined;
  /** The reference instant recency counts to, in epoch microseconds. */
  asOfUs: number;
  bins: number;
  /** Inner cut points of recency and monetary (a value equal to a cut belongs to the lower group). */
  recency: readonly number[];
  monetary: readonly number[];
  /** Frequency: inner cut points on frequency (thresholds), or (frequency, id) boundary pairs (quantile). */
  frequency: { cuts: readonly number[] } | { after: readonly (readonly [number, SqlParam])[] };
  /** Segment names by integer code (45 for "45"), or null for no segment column. */
  lookup: ReadonlyMap<string, string> | null;
  mapOn: "rf" | "rfm";
}

const count = (sql: SqlWriter, conditions: readonly string[]) =>
  conditions.map((c) => (sql.dialect === "duckdb" ? `CAST(${c} AS INTEGER)` : `toInt32(${c})`));

/**
 * The SELECT that scores the customers of the transactions table `options.table` as seg.rfm scored
 * them: the id column, recency, frequency, monetary, r/f/m scores, rf_code, rfm_code and segment.
 * @example rfmSql(spec, {dialect: "clickhouse", table: "orders"})
 */
export function rfmSql(spec: RfmSqlSpec, options: ToSqlOptions): string {
  const fn = "rfm toSQL";
  const { sql, table, ids } = sqlTarget(options, spec.id, fn);
  if (ids.length !== 1) throw new Error(`${fn}: RFM groups by one customer id column; pass {id: "<column>"}`);
  if (options.as !== undefined) throw new Error(`${fn}: RFM adds fixed columns (r_score … segment); leave out {as}`);
  const id = sql.id(ids[0]!);
  const duck = sql.dialect === "duckdb";
  const date = sql.id(spec.date);
  // Epoch microseconds of the latest purchase; ClickHouse's DateTime has whole seconds.
  const last = duck
    ? `epoch_us(max(CAST(${date} AS TIMESTAMP)))`
    : `toInt64(toUnixTimestamp(max(toDateTime(${date}, 'UTC')))) * 1000000`;
  const days = `floor(${sql.double(`${spec.asOfUs} - ${last}`)} / ${DAY_US}.0)`;
  const frequency =
    spec.invoice === undefined
      ? "count(*)"
      : duck
        ? `count(DISTINCT ${sql.id(spec.invoice)})`
        : `uniqExact(${sql.id(spec.invoice)})`;
  // DuckDB: seg.rfm's order-independent, correctly rounded sum (the same bits). ClickHouse: a plain sum,
  // since 18.16 cannot send sumKahan's state between shards ("Unknown BlockInfo field number").
  const amount = sql.double(sql.id(spec.amount));
  const monetary = duck ? `coalesce(${exactSumSql(amount)}, 0)` : `ifNull(sum(${amount}), 0)`;
  const customers = [
    `SELECT ${id} AS __seg_id, ${duck ? `CAST(${days} AS BIGINT)` : `toInt64(${days})`} AS __seg_recency,`,
    `      ${frequency} AS __seg_frequency, ${monetary} AS __seg_monetary`,
    `    FROM ${table} WHERE NOT ${sql.isNull(id)} GROUP BY ${id}`,
  ].join("\n");
  const above = (column: string, cuts: readonly number[]) => cuts.map((cut) => `${column} > ${sql.num(cut)}`);
  const f =
    "cuts" in spec.frequency
      ? above("__seg_frequency", spec.frequency.cuts)
      : spec.frequency.after.map(([value, key]) => {
          const v = literal(sql, value, fn);
          return `(__seg_frequency > ${v} OR (__seg_frequency = ${v} AND __seg_id > ${literal(sql, key, fn)}))`;
        });
  const r = count(sql, above("__seg_recency", spec.recency));
  const m = count(sql, above("__seg_monetary", spec.monetary));
  const scores = [
    `${r.length ? `${spec.bins} - ${r.join(" - ")}` : spec.bins} AS __seg_r`,
    `${["1", ...count(sql, f)].join(" + ")} AS __seg_f`,
    `${["1", ...m].join(" + ")} AS __seg_m`,
  ];
  const text = (column: string) => (duck ? `CAST(${column} AS VARCHAR)` : `toString(${column})`);
  const concat = (columns: string[]) =>
    duck ? columns.map(text).join(" || ") : `concat(${columns.map(text).join(", ")})`;
  const code = spec.mapOn === "rfm" ? "__seg_r * 100 + __seg_f * 10 + __seg_m" : "__seg_r * 10 + __seg_f";
  const segment = spec.lookup
    ? `, ${sql.cases(
        [...spec.lookup].map(([c, name]) => [`${code} = ${Number(c)}`, sql.str(name)] as const),
        "NULL",
      )} AS ${sql.id("segment")}`
    : "";
  const int = (column: string) => (duck ? `CAST(${column} AS INTEGER)` : `toInt32(${column})`);
  return [
    `SELECT __seg_id AS ${id}, __seg_recency AS ${sql.id("recency")}, __seg_frequency AS ${sql.id("frequency")},`,
    `  __seg_monetary AS ${sql.id("monetary")}, ${int("__seg_r")} AS ${sql.id("r_score")},`,
    `  ${int("__seg_f")} AS ${sql.id("f_score")}, ${int("__seg_m")} AS ${sql.id("m_score")},`,
    `  ${concat(["__seg_r", "__seg_f"])} AS ${sql.id("rf_code")},`,
    `  ${concat(["__seg_r", "__seg_f", "__seg_m"])} AS ${sql.id("rfm_code")}${segment}`,
    `FROM (`,
    `  SELECT __seg_id, __seg_recency, __seg_frequency, __seg_monetary, ${scores.join(", ")}`,
    `  FROM (`,
    `    ${customers}`,
    `  ) AS __seg_customers`,
    `) AS __seg_scored`,
  ].join("\n");
}
