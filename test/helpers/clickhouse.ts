/**
 * The loopback ClickHouse cluster the remote-engine tests run against (scripts/clickhouse-cluster.sh):
 * two shards of Debian's clickhouse-server (18.16), a `remote_servers` cluster `segbook`, and the demo
 * shop's orders sharded by customer into `orders_local` on each shard with a `Distributed` table
 * `orders` over both.
 *
 * @example
 * import { CLICKHOUSE, clickHouseMissing, startClickHouseCluster } from "../helpers/clickhouse.ts";
 * describe.skipIf(clickHouseMissing)("my remote test", () => {
 *   beforeAll(() => startClickHouseCluster(), 60_000);
 *   it("reads orders", async () => {
 *     const engine = createClickHouseEngine("warehouse", { type: "clickhouse", url: CLICKHOUSE.url }, CLICKHOUSE.analyst);
 *     // ...
 *   });
 * });
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const script = path.join(repoRoot, "scripts/clickhouse-cluster.sh");
const server = process.env.CLICKHOUSE_SERVER ?? "/usr/sbin/clickhouse-server";

/** Connection facts of the loopback cluster (fixed ports; same as scripts/clickhouse-cluster.sh). */
export const CLICKHOUSE = {
  /** HTTP interface of shard 1, where queries on the Distributed table start. */
  url: "http://127.0.0.1:18123",
  /** HTTP interface of each shard, in shard order. */
  shardUrls: ["http://127.0.0.1:18123", "http://127.0.0.1:18124"],
  /** The `remote_servers` cluster name. */
  cluster: "segbook",
  database: "default",
  /** The read-only user a notebook uses: readonly=2, CORS header on, quota. */
  analyst: { user: "analyst", password: "segbook-analyst" },
  /** Same password, readonly=1 and CORS off: a server IT has not opened to pages. */
  analystNoCors: { user: "analyst_nocors", password: "segbook-analyst" },
  /** Setup only (DDL, loading); no password, loopback only. */
  setup: { user: "default", password: "" },
  tables: {
    /** Distributed table over both shards' `orders_local`. */
    orders: "orders",
    /** Each shard's own part of the orders (customer_id % 2 == shard index). */
    ordersLocal: "orders_local",
  },
  /** Rows of `orders` (notebooks/data/shop/orders.csv without its header). */
  ordersRows: 23014,
} as const;

/**
 * True when the cluster cannot run here and the tests may skip: only outside CI, and only when
 * clickhouse-server is not installed. Under CI=true this is always false, so a missing server fails
 * the tests (startClickHouseCluster throws) instead of skipping them silently.
 */
export const clickHouseMissing = process.env.CI !== "true" && !existsSync(server);
if (clickHouseMissing)
  console.warn(`ClickHouse tests skipped: ${server} is missing (apt-get install -y clickhouse-server)`);

let started: Promise<typeof CLICKHOUSE> | undefined;

/**
 * Starts the cluster if it is not running (idempotent, safe from parallel test files) and resolves
 * once both shards answer and `orders` is loaded. Throws with what to do when it cannot.
 * @example beforeAll(() => startClickHouseCluster(), 60_000);
 */
export function startClickHouseCluster(): Promise<typeof CLICKHOUSE> {
  started ??= (async () => {
    if (!existsSync(server))
      throw new Error(
        `The ClickHouse tests need Debian's clickhouse-server at ${server} (CI=${process.env.CI ?? "unset"}): ` +
          `apt-get install -y clickhouse-server (.ci/run does), then scripts/clickhouse-cluster.sh start`,
      );
    try {
      await promisify(execFile)(script, ["start"], { timeout: 60_000 });
    } catch (error) {
      const e = error as { stderr?: string; message: string };
      throw new Error(`scripts/clickhouse-cluster.sh start failed: ${e.stderr || e.message}`, { cause: error });
    }
    return CLICKHOUSE;
  })();
  return started;
}

/**
 * Runs SQL on one shard as the setup user (DDL, checks) and returns the TSV body. Tests use it to look
 * at the server from outside the adapter (e.g. system.processes after a cancel).
 * @example const n = await clickHouseSetupQuery("SELECT count() FROM orders_local", 1);
 */
export async function clickHouseSetupQuery(sql: string, shard = 0): Promise<string> {
  const response = await fetch(`${CLICKHOUSE.shardUrls[shard]}/?user=default`, { method: "POST", body: sql });
  const text = await response.text();
  if (!response.ok) throw new Error(`ClickHouse setup query failed (${response.status}): ${text}`);
  return text;
}
