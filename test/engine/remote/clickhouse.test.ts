/**
 * createClickHouseEngine against the real loopback cluster (scripts/clickhouse-cluster.sh: Debian's
 * ClickHouse 18.16, two shards, a Distributed `orders` table): typed results from both shards,
 * parameters, the row cap, refused credentials, an unreachable server, progress, and cancellation
 * that kills the query on the server.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createClickHouseEngine } from "../../../src/engine/remote/clickhouse.ts";
import { RemoteError, type RemoteProgress } from "../../../src/engine/remote/remote-engine.ts";
import {
  CLICKHOUSE,
  clickHouseMissing,
  clickHouseSetupQuery,
  startClickHouseCluster,
} from "../../helpers/clickhouse.ts";

const spec = { type: "clickhouse", url: CLICKHOUSE.url, database: CLICKHOUSE.database };
const warehouse = createClickHouseEngine("warehouse", spec, CLICKHOUSE.analyst);

/** The RemoteError a promise rejects with (fails the test if it resolves or throws something else). */
async function remoteError(promise: Promise<unknown>): Promise<RemoteError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RemoteError);
  return error as RemoteError;
}

/** How many queries each shard runs for query id `queryId` (as the initiator, or a shard's part of it). */
async function running(queryId: string): Promise<number[]> {
  const sql = `SELECT count() FROM system.processes WHERE query_id = '${queryId}' OR initial_query_id = '${queryId}'`;
  return Promise.all(CLICKHOUSE.shardUrls.map(async (_, shard) => Number(await clickHouseSetupQuery(sql, shard))));
}

describe.skipIf(clickHouseMissing)("createClickHouseEngine(name, spec, credentials) on the 2-shard cluster", () => {
  beforeAll(() => startClickHouseCluster());

  it("query() on the Distributed table returns typed rows from both shards", async () => {
    const { columns, rows, queryId } = await warehouse.query(
      `SELECT customer_id % 2 AS shard, count() AS orders, uniqExact(customer_id) AS customers,
              min(order_date) AS first, toDateTime(min(order_date)) AS first_time, round(sum(amount), 2) AS revenue,
              any(channel) AS channel, toNullable(NULL) AS nothing, groupArray(3)(category) AS categories
       FROM orders GROUP BY shard ORDER BY shard`,
    );
    expect(columns.map((c) => `${c.name} ${c.type}`)).toEqual([
      "shard UInt8",
      "orders UInt64",
      "customers UInt64",
      "first Date",
      "first_time DateTime",
      "revenue Float64",
      "channel String",
      "nothing Nullable(Nothing)",
      "categories Array(String)",
    ]);
    expect(rows.map((r) => r[0])).toEqual([0, 1]);
    // Each shard holds its own customers; together they are all the shop's orders.
    const local = await Promise.all(
      [0, 1].map((shard) => clickHouseSetupQuery("SELECT count() FROM orders_local", shard)),
    );
    expect(rows.map((r) => r[1])).toEqual(local.map((n) => BigInt(n.trim())));
    expect((rows[0]![1] as bigint) + (rows[1]![1] as bigint)).toBe(BigInt(CLICKHOUSE.ordersRows));
    expect(rows[0]![3]).toEqual(new Date("2023-01-01T00:00:00Z"));
    expect(rows[0]![4]).toEqual(new Date("2023-01-01T00:00:00Z"));
    expect(typeof rows[0]![5]).toBe("number");
    expect(rows[0]![7]).toBeNull();
    expect((rows[0]![8] as string[]).length).toBe(3);
    expect(queryId).toMatch(/^[0-9a-f-]{32,36}$/);
  });

  it("query() converts each ClickHouse type and the TSV escapes", async () => {
    const { rows } = await warehouse.query(
      `SELECT 'tab\\there, new\\nline, back\\\\slash, quote\\'' AS s, toFixedString('ab', 4) AS fixed,
              toInt8(-5) AS i8, toUInt32(4000000000) AS u32, toUInt64(18446744073709551615) AS u64, toInt64(-9223372036854775808) AS i64,
              toFloat64(1) / 0 AS inf, toFloat32(0.5) AS f32, toDecimal64(12.345, 3) AS dec,
              toDateTime('2024-01-01 10:00:00', 'Asia/Kolkata') AS ist, toNullable(toUInt8(3)) AS n,
              CAST('b' AS Enum8('a' = 1, 'b' = 2)) AS e, toLowCardinality('lc') AS lc,
              [[1, 2], [3]] AS nested, ['it\\'s', NULL] AS strings, [toDate('2024-03-01')] AS dates`,
    );
    expect(rows).toEqual([
      [
        "tab\there, new\nline, back\\slash, quote'",
        "ab",
        -5,
        4000000000,
        18446744073709551615n,
        -9223372036854775808n,
        Infinity,
        0.5,
        12.345,
        new Date("2024-01-01T04:30:00Z"),
        3,
        "b",
        "lc",
        [[1, 2], [3]],
        ["it's", null],
        [new Date("2024-03-01T00:00:00Z")],
      ],
    ]);
  });

  it("query() binds parameters through the literal encoder on 18.16", async () => {
    const params = { channel: "web", since: new Date("2024-07-01T00:00:00Z"), min: 100 };
    const sql = `SELECT count() FROM orders
      WHERE channel = ${warehouse.placeholder("channel", params.channel)}
        AND toDateTime(order_date) >= ${warehouse.placeholder("since", params.since)}
        AND amount >= ${warehouse.placeholder("min", params.min)}`;
    const { rows } = await warehouse.query(sql, { params });
    const expected = await clickHouseSetupQuery(
      "SELECT count() FROM orders WHERE channel = 'web' AND order_date >= toDate('2024-07-01') AND amount >= 100",
    );
    expect(rows).toEqual([[BigInt(expected.trim())]]);
    expect(Number(expected)).toBeGreaterThan(0);
  });

  it("query() names a parameter the query uses but the call does not give", async () => {
    const error = await remoteError(warehouse.query("SELECT {country:String}"));
    expect(error.failure).toBe("query");
    expect(error.message).toContain('no value named "country"');
  });

  it("query() with maxRows returns results up to the cap and fails above it, saying to aggregate first", async () => {
    const { rows } = await warehouse.query("SELECT order_id FROM orders ORDER BY order_id LIMIT 50", { maxRows: 50 });
    expect(rows).toHaveLength(50);
    let received = 0;
    const error = await remoteError(
      warehouse.query("SELECT * FROM orders -- every order\n;", {
        maxRows: 1000,
        onProgress: (p) => (received = p.rowsReceived),
      }),
    );
    expect(error.failure).toBe("row-cap");
    expect(error.message).toContain('connection "warehouse"');
    expect(error.message).toContain("more than 1,000 rows");
    expect(error.message).toContain("aggregate on the server first");
    expect(error.message).toContain("raise the cell's row cap");
    // The server stopped at cap + 1 rows: the tab never pulled the 23,014 orders.
    expect(received).toBeLessThanOrEqual(1001);
  });

  it.each([
    ["a wrong password", { user: "analyst", password: "not-the-password" }, "Wrong password"],
    ["an unknown user", { user: "nobody", password: "x" }, "Unknown user"],
  ])(
    "query() with %s fails with failure 'credentials' and never shows the password",
    async (_, credentials, server) => {
      const engine = createClickHouseEngine("warehouse", spec, credentials);
      const error = await remoteError(engine.query("SELECT 1"));
      expect(error.failure).toBe("credentials");
      expect(error.message).toContain(`refused user "${credentials.user}"`);
      expect(error.message).toContain(server);
      expect(error.message).toContain("Check the user name and password");
      expect(error.message).not.toContain(credentials.password);
    },
  );

  it("query() on a closed port fails with failure 'unreachable' naming the connection and the fix", async () => {
    const engine = createClickHouseEngine(
      "warehouse",
      { type: "clickhouse", url: "http://127.0.0.1:18199" },
      CLICKHOUSE.analyst,
    );
    const error = await remoteError(engine.query("SELECT 1"));
    expect(error.failure).toBe("unreachable");
    expect(error.message).toBe(
      'Could not reach ClickHouse connection "warehouse" (http://127.0.0.1:18199/): connection refused (nothing listens at that port). ' +
        "Check the URL and port, that the server is running, and that this machine may reach it (VPN, firewall, proxy).",
    );
    expect(error.message).not.toContain(CLICKHOUSE.analyst.password);
  });

  it("query() on an unknown host fails with failure 'unreachable' (DNS)", async () => {
    const engine = createClickHouseEngine("warehouse", { type: "clickhouse", url: "http://no-such-host.invalid:8123" });
    const error = await remoteError(engine.query("SELECT 1"));
    expect(error.failure).toBe("unreachable");
    expect(error.message).toContain("the host name is unknown (DNS)");
  });

  it("createClickHouseEngine refuses credentials inside the URL without repeating them", () => {
    let error: unknown;
    try {
      createClickHouseEngine("warehouse", { type: "clickhouse", url: "http://analyst:s3cret@127.0.0.1:18123" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RemoteError);
    expect((error as RemoteError).failure).toBe("credentials");
    expect((error as RemoteError).message).not.toContain("s3cret");
  });

  it("query() keeps the server's message for a bad query", async () => {
    const error = await remoteError(warehouse.query("SELECT * FROM no_such_table"));
    expect(error.failure).toBe("query");
    expect(error.message).toBe(
      'ClickHouse connection "warehouse" (http://127.0.0.1:18123/) rejected the query: Table default.no_such_table doesn\'t exist.',
    );
  });

  it("query() fails with the server's message when the query breaks after rows were already sent", async () => {
    // 18.16 has sent status 200 and 262,144 rows when throwIf fires; the error is a line of the body.
    const error = await remoteError(
      warehouse.query("SELECT number, throwIf(number = 300000) AS boom FROM system.numbers LIMIT 400000"),
    );
    expect(error.failure).toBe("query");
    expect(error.message).toContain("rejected the query: Value passed to 'throwIf' function is non zero");
  });

  it("query() as a read-only user cannot change data", async () => {
    const error = await remoteError(warehouse.query("SELECT 1; DROP TABLE orders_local"));
    expect(error.failure).toBe("query");
    expect(await clickHouseSetupQuery("EXISTS TABLE orders_local")).toBe("1\n");
  });

  it("query() reports rows read on the servers (both shards) while it runs, then rows received", async () => {
    const seen: RemoteProgress[] = [];
    const { rows } = await warehouse.query(
      "SELECT count() FROM (SELECT number FROM cluster('segbook', system.numbers) LIMIT 300000000) WHERE cityHash64(number) % 7 = 0",
      { onProgress: (p) => seen.push(p) },
    );
    expect(rows).toHaveLength(1);
    expect(seen.some((p) => p.rowsRead > 0 && p.rowsReceived === 0)).toBe(true);
    expect(seen.at(-1)!.rowsReceived).toBe(1);
    const reads = seen.map((p) => p.rowsRead);
    expect(reads).toEqual([...reads].sort((a, b) => a - b));
  });

  it("query() aborted by its signal fails with 'cancelled' and the query is gone from the server, on both shards", async () => {
    const controller = new AbortController();
    const marker = `cancel-test-${Date.now()}`;
    let queryStarted: (() => void) | undefined;
    const started = new Promise<void>((resolve) => (queryStarted = resolve));
    // Work on both shards that would run until the user's time limit: endless numbers, hashed.
    const pending = warehouse.query(
      `SELECT count() /* ${marker} */ FROM cluster('segbook', system.numbers) WHERE cityHash64(number) % 7 = 0`,
      { signal: controller.signal, onProgress: (p) => p.rowsRead > 0 && queryStarted?.() },
    );
    await started;
    const id = (
      await clickHouseSetupQuery(
        `SELECT query_id FROM system.processes WHERE is_initial_query AND query LIKE '%${marker}%' AND query NOT LIKE '%system.processes%'`,
      )
    ).trim();
    expect(id).toMatch(/^[0-9a-f-]{32,36}$/);
    // Shard 1 runs it as the initiator, shard 2 its part of it (initial_query_id = id).
    expect(await running(id)).toEqual([1, 1]);
    controller.abort();
    const error = await remoteError(pending);
    expect(error.failure).toBe("cancelled");
    expect(error.message).toContain('connection "warehouse"');
    // Gone on shard 1 when query() rejects (KILL … SYNC); shard 2's part stops when shard 1 cancels it,
    // a moment later. Without the KILL both would run until the user's 120 s time limit.
    expect(await running(id)).toEqual([0, expect.any(Number)]);
    await expect.poll(() => running(id), { timeout: 5000, interval: 100 }).toEqual([0, 0]);
  });

  it("query() aborted while the adapter first asks the server's version fails with 'cancelled' and never runs", async () => {
    const fresh = createClickHouseEngine("warehouse", spec, CLICKHOUSE.analyst);
    const controller = new AbortController();
    const pending = fresh.query("SELECT sleep(1) AS slept", { signal: controller.signal });
    controller.abort();
    expect((await remoteError(pending)).failure).toBe("cancelled");
  });

  it("query() with an already aborted signal sends nothing and fails with 'cancelled'", async () => {
    const error = await remoteError(warehouse.query("SELECT 1", { signal: AbortSignal.abort() }));
    expect(error.failure).toBe("cancelled");
  });
});
