/**
 * Remote SQL cells in a real Session (duckdb-wasm in Node) against the real loopback ClickHouse
 * cluster: `${}` values bound as the server's parameters (hostile strings stay values), the result a
 * local table later cells read, the row cap, a local table refused as a parameter, progress, and
 * Stop (`session.stopWaiting()`) killing the query on the server.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { createClickHouseEngine } from "../../src/engine/remote/clickhouse.ts";
import type { RemoteConnector } from "../../src/runtime/index.ts";
import { parse } from "../../src/notebook/index.ts";
import { CLICKHOUSE, clickHouseMissing, clickHouseSetupQuery, startClickHouseCluster } from "../helpers/clickhouse.ts";
import { openSession } from "../helpers/session.ts";

const connect: RemoteConnector = async (name, spec) => createClickHouseEngine(name, spec, CLICKHOUSE.analyst);

/** A notebook with the cluster as connection `warehouse` and the given body. */
const notebook = (body: string) =>
  parse(`---\nconnections:\n  warehouse: {type: clickhouse, url: "${CLICKHOUSE.url}"}\n---\n\n${body}\n`).notebook;

/** Runs a notebook to completion; returns its states by cell position (0-based) and a reader of local tables. */
async function runCells(body: string) {
  const { session, engine, close } = await openSession({ connect });
  session.setNotebook(notebook(body));
  await session.settled();
  const ids = session.ids();
  return { state: (i: number) => session.state(ids[i]!)!, engine, session, close };
}

const HOSTILE = [
  "'; DROP TABLE orders; --",
  "\\' OR 1=1 --",
  "home' OR '1'='1",
  "{p2:String}",
  "${p1}",
  "tab\there\nnewline",
  "back\\slash \\\\ and \\N",
  "ünïcødé 😀 \u0000 nul",
  '`backticks` "quotes"',
];

describe.skipIf(clickHouseMissing)("remote SQL cells on the ClickHouse cluster", () => {
  beforeAll(() => startClickHouseCluster(), 90_000);

  test.each(HOSTILE)(
    "${} = %j travels as a value: it comes back unchanged and matches no category",
    async (value) => {
      const body = [
        "```ts",
        `const value = ${JSON.stringify(value)};`,
        "```",
        "",
        "```sql echo engine=warehouse",
        "SELECT ${value} AS value, length(${value}) AS bytes, (SELECT count() FROM orders WHERE category = ${value}) AS matches",
        "```",
        "",
        "```sql echoed",
        "SELECT * FROM echo",
        "```",
      ].join("\n");
      const { state, engine, close } = await runCells(body);
      try {
        expect(state(1).error?.message).toBeUndefined();
        expect(state(2).status).toBe("ok");
        // A later local SQL cell reads the remote cell's table.
        const rows = (await engine.query("SELECT value, bytes, matches FROM echoed")).toArray().map((r) => r.toJSON());
        expect(rows).toEqual([{ value, bytes: BigInt(new TextEncoder().encode(value).length), matches: 0n }]);
        expect(await clickHouseSetupQuery("SELECT count() FROM orders")).toBe(`${CLICKHOUSE.ordersRows}\n`);
      } finally {
        await close();
      }
    },
    60_000,
  );

  test("numbers, booleans, dates and null bind with their types, and the query runs on both shards", async () => {
    const body = [
      "```ts",
      'const n = 2; const big = 9007199254740993n; const yes = true; const day = new Date("2024-06-30T00:00:00Z"); const none = null;',
      "```",
      "",
      "```sql typed engine=warehouse",
      "SELECT count() AS orders, uniqExact(customer_id % ${n}) AS shards, toString(${big}) AS big, ${yes} AS yes,",
      "  toDate(${day}) AS day, isNull(${none}) AS none",
      "FROM orders WHERE order_date <= toDate(${day})",
      "```",
    ].join("\n");
    const { state, engine, close } = await runCells(body);
    try {
      expect(state(1).error?.message).toBeUndefined();
      const [row] = (await engine.query("SELECT * FROM typed")).toArray().map((r) => r.toJSON());
      const expected = Number(
        await clickHouseSetupQuery("SELECT count() FROM orders WHERE order_date <= toDate('2024-06-30')"),
      );
      expect(row).toMatchObject({ big: "9007199254740993", day: Date.UTC(2024, 5, 30) });
      expect(Number(row!.shards)).toBe(2);
      expect(Number(row!.orders)).toBe(expected);
      expect(Boolean(row!.yes)).toBe(true);
      expect(Boolean(row!.none)).toBe(true);
    } finally {
      await close();
    }
  }, 60_000);

  test("maxRows=100 stops a 23,014-row result with the adapter's message and where to raise the cap", async () => {
    const { state, engine, close } = await runCells(
      "```sql everything engine=warehouse maxRows=100\nSELECT * FROM orders\n```",
    );
    try {
      expect(state(0).status).toBe("error");
      expect(state(0).error?.message).toMatch(/more than 100 rows.*aggregate on the server first/);
      expect(state(0).error?.message).toContain(
        "raise it in its fence, e.g. ```sql everything engine=warehouse maxRows=1_000",
      );
      await expect(engine.query("SELECT * FROM everything")).rejects.toThrow();
    } finally {
      await close();
    }
  }, 60_000);

  test("a local table in ${} is refused: it does not exist on the server", async () => {
    const body = "```sql mine\nSELECT 1 AS x\n```\n\n```sql theirs engine=warehouse\nSELECT * FROM ${mine}\n```";
    const { state, close } = await runCells(body);
    try {
      expect(state(1).error?.message).toContain(
        '${} 1 is the local table "mine", which does not exist on connection "warehouse"',
      );
    } finally {
      await close();
    }
  }, 60_000);

  test("session.stopWaiting() while a remote cell runs kills its query on both shards; progress was shown", async () => {
    const marker = `segbook-stop-${Date.now()}`;
    const body = [
      "```sql slow engine=warehouse",
      // About 46 s on the cluster (2 ms a row, blocks of 100 rows so the server reports rows read as it goes).
      `SELECT '${marker}' AS m, sum(sleepEachRow(0.002)) AS s FROM orders SETTINGS max_block_size = 100`,
      "```",
    ].join("\n");
    const { session, close } = await openSession({ connect });
    const seen: { rowsRead: number; rowsReceived: number }[] = [];
    session.subscribe((_id, state) => {
      if (state?.status === "running" && state.progress) seen.push(state.progress);
    });
    const running = (shard: number) =>
      clickHouseSetupQuery(
        `SELECT count() FROM system.processes WHERE query LIKE '%${marker}%' AND query NOT LIKE '%system.processes%'`,
        shard,
      );
    try {
      session.setNotebook(notebook(body));
      const id = session.ids()[0]!;
      const deadline = Date.now() + 20_000;
      while (!seen.some((p) => p.rowsRead > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(seen.some((p) => p.rowsRead > 0)).toBe(true);
      expect(await running(0)).toBe("1\n");
      expect(session.stopWaiting()).toEqual([id]);
      await session.settled();
      expect(session.state(id)!.error?.message).toBe("Stopped waiting for this cell. Run it again to retry.");
      // The adapter kills it (KILL QUERY … SYNC): gone from both shards within moments.
      let left = ["?", "?"];
      for (let i = 0; i < 50 && left.some((n) => n !== "0\n"); i++) {
        left = await Promise.all([running(0), running(1)]);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(left).toEqual(["0\n", "0\n"]);
    } finally {
      await close();
    }
  }, 60_000);
});
