/**
 * The sandbox's engine port between real duckdb-wasm (Node) and the frame's engine (frame-engine.ts)
 * over a real MessageChannel: the app loads the front matter's data sources it names itself, under
 * the lock, and a cell's SQL reaches nothing but this engine's own registered files. Remote cells
 * in the frame's runtime run on the app's connection against the real loopback ClickHouse cluster:
 * only the connection's name, the SQL, the parameters and the row cap cross, and no credential.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { writeFile, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createNodeEngine } from "../../../src/engine/node.ts";
import type { Engine, FileSource } from "../../../src/engine/engine.ts";
import type { DataResolution } from "../../../src/runtime/data-resolution.ts";
import { REGISTERED_FILE_DIRECTORY } from "../../../src/engine/load.ts";
import { serveEngine, type SandboxRemote } from "../../../src/ui/sandbox/engine-port.ts";
import { frameEngine } from "../../../src/ui/sandbox/frame-engine.ts";
import { connectThroughApp } from "../../../src/ui/sandbox/frame-connections.ts";
import { createClickHouseEngine } from "../../../src/engine/remote/clickhouse.ts";
import { remoteResultToArrow } from "../../../src/engine/remote/remote-arrow.ts";
import { parse } from "../../../src/notebook/index.ts";
import { Session } from "../../../src/runtime/index.ts";
import { SandboxStopped } from "../../../src/ui/sandbox/sandbox-stopped.ts";
import {
  CLICKHOUSE,
  clickHouseMissing,
  clickHouseSetupQuery,
  startClickHouseCluster,
} from "../../helpers/clickhouse.ts";

const csv = (text: string): FileSource => ({
  kind: "bytes",
  bytes: new TextEncoder().encode(text),
  fileName: "people.csv",
});

let stops: (() => void)[] = [];
let engines: Engine[] = [];
afterEach(async () => {
  for (const stop of stops) stop();
  for (const engine of engines) await engine.close();
  stops = [];
  engines = [];
});

/** The frame's engine, served by `engine` (a fresh app engine by default) that knows `sources`. */
async function served(
  sources: Record<string, DataResolution | (() => Promise<DataResolution>)>,
  engine?: Engine,
  remote?: SandboxRemote,
) {
  if (!engine) engines.push((engine = await createNodeEngine()));
  const app = engine;
  const channel = new MessageChannel();
  stops.push(
    serveEngine(
      channel.port1,
      async () => app,
      (name) => {
        const source = sources[name];
        return typeof source === "function" ? source() : source;
      },
      remote,
    ),
  );
  const frame = frameEngine(channel.port2);
  stops.push(() => channel.port2.close());
  return frame;
}

describe("serveEngine's loadData", () => {
  it("loadFile(name) in the frame loads the file the app picked for that name, after the lock", async () => {
    const frame = await served({ people: csv("id,name\n1,Ada\n2,Grace\n") });
    // The frame's own source is ignored: only the name and the parse options cross the port.
    const result = await frame.loadFile("people", { kind: "url", url: "https://example.invalid/other.csv" });
    expect(result).toMatchObject({ name: "people", numRows: 2 });
    expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
    const rows = await frame.query("SELECT name FROM people ORDER BY id");
    expect(rows.toArray().map((row) => row.toJSON())).toEqual([{ name: "Ada" }, { name: "Grace" }]);
    // The lock was applied before the load: settings cannot be changed back.
    await expect(frame.exec("SET enable_external_access = true")).rejects.toThrow(/locked/);
  });

  it("loadFile of a name the front matter does not have is refused, naming it", async () => {
    const frame = await served({ people: csv("id\n1\n") });
    await expect(frame.loadFile("secrets", { kind: "path", path: "/etc/passwd" })).rejects.toThrow(
      `data "secrets" is not a data source of this notebook's front matter`,
    );
  });

  it("a cell's read_csv reaches only the engine's own registered directory", async () => {
    const outside = path.join(await mkdtemp(path.join(tmpdir(), "segbook-port-")), "outside.csv");
    await writeFile(outside, "secret\n42\n");
    const frame = await served({ people: csv("id,name\n1,Ada\n") });
    // A view keeps its registered file, so the directory is not empty.
    await frame.loadFile("people", csv(""), { as: "view" });
    const files = (await frame.query(`SELECT file FROM glob('${REGISTERED_FILE_DIRECTORY}*')`)).toArray();
    expect(files.map((row) => String(row.file))).toEqual([`${REGISTERED_FILE_DIRECTORY}segbook-1-people.csv`]);
    const own = await frame.query(`SELECT name FROM read_csv('${REGISTERED_FILE_DIRECTORY}*')`);
    expect(own.toArray().map((row) => row.toJSON())).toEqual([{ name: "Ada" }]);
    await expect(frame.query(`SELECT * FROM read_csv('${outside}')`)).rejects.toThrow(/disabled by configuration/);
  });

  it("the directory of a fresh engine holds none of another engine's files", async () => {
    const first = await served({ people: csv("id,name\n1,Ada\n") });
    await first.loadFile("people", csv(""), { as: "view" });
    const second = await served({ orders: csv("order_id\n7\n") });
    const files = (await second.query(`SELECT file FROM glob('${REGISTERED_FILE_DIRECTORY}*')`)).toArray();
    expect(files).toEqual([]);
    await expect(second.query("SELECT * FROM people")).rejects.toThrow(/people/);
  });
});

describe("serveEngine's resolveData", () => {
  it("tells the frame the resolution's options and checks but not its file, and loadData loads that file once", async () => {
    let resolved = 0;
    const frame = await served({
      people: async () => {
        resolved++;
        return {
          source: csv("id;name\n1;Ada\n"),
          options: { csv: { delimiter: ";" } },
          sha256: "ab".repeat(32),
          notes: ["converted from people.xlsx"],
        };
      },
    });
    const resolution = await frame.resolveData("people");
    expect(resolution).toEqual({
      options: { csv: { delimiter: ";" } },
      sha256: "ab".repeat(32),
      notes: ["converted from people.xlsx"],
    });
    // The runtime in the frame passes the options back; the file is the one resolved above.
    const result = await frame.loadFile("people", { kind: "url", url: "ignored.csv" }, resolution.options);
    expect(result).toMatchObject({ numRows: 1 });
    expect(resolved).toBe(1);
    const rows = await frame.query("SELECT name FROM people");
    expect(rows.toArray().map((row) => row.toJSON())).toEqual([{ name: "Ada" }]);
  });

  it("refuses a name the front matter does not have", async () => {
    const frame = await served({});
    await expect(frame.resolveData("secrets")).rejects.toThrow(
      `data "secrets" is not a data source of this notebook's front matter`,
    );
  });
});

describe("serveEngine on one engine for several frames", () => {
  it("locks the engine once: a second frame (after Stop) is served, and the lock holds", async () => {
    const engine = await createNodeEngine();
    engines.push(engine);
    const first = await served({}, engine);
    await first.exec("CREATE TABLE kept AS SELECT 1 AS x");
    stops.shift()!();
    const second = await served({}, engine);
    const rows = await second.query("SELECT x FROM kept");
    expect(rows.numRows).toBe(1);
    await expect(second.exec("SET enable_external_access = true")).rejects.toThrow(/locked/);
  });
});

/** The app's connections: the cluster as "warehouse", opened with the analyst's credentials in the app. */
function appWarehouse(signals: AbortSignal[] = []): SandboxRemote {
  return {
    connections: () => ({ warehouse: { type: "clickhouse", url: CLICKHOUSE.url, database: CLICKHOUSE.database } }),
    connect: async (name, spec, signal) => {
      signals.push(signal);
      return createClickHouseEngine(name, spec, CLICKHOUSE.analyst);
    },
  };
}

/** Every message on `port` (both ways of a channel are recorded by listening on each end), as text. */
function record(port: MessagePort): string[] {
  const seen: string[] = [];
  port.addEventListener("message", (event: MessageEvent) =>
    seen.push(
      JSON.stringify(event.data, (_key, value: unknown) => (typeof value === "bigint" ? String(value) : value)),
    ),
  );
  return seen;
}

const SLOW = "SELECT 'segbook-port-stop' AS m, sum(sleepEachRow(0.002)) AS s FROM orders SETTINGS max_block_size = 100";
const running = (shard: number) =>
  clickHouseSetupQuery(
    "SELECT count() FROM system.processes WHERE query LIKE '%segbook-port-stop%' AND query NOT LIKE '%system.processes%'",
    shard,
  );

describe.skipIf(clickHouseMissing)("serveEngine's remoteQuery on the ClickHouse cluster", () => {
  beforeAll(() => startClickHouseCluster(), 90_000);

  it("a remote cell of the frame's Session runs on the app's connection; only name, SQL, parameters and cap cross, no credential", async () => {
    const channel = new MessageChannel();
    const engine = await createNodeEngine();
    engines.push(engine);
    const toApp = record(channel.port1);
    const toFrame = record(channel.port2);
    stops.push(serveEngine(channel.port1, async () => engine, undefined, appWarehouse()));
    const frame = frameEngine(channel.port2);
    stops.push(() => channel.port2.close());
    // The frame's notebook names the connection; its URL there is not what the app dials.
    const text = [
      "---",
      'connections:\n  warehouse: {type: clickhouse, url: "https://elsewhere.example.com:8443"}',
      "---",
      "",
      "```ts",
      "const hostile = \"home' OR '1'='1\";",
      "```",
      "",
      "```sql sizes engine=warehouse maxRows=50",
      "SELECT category, count() AS orders FROM orders WHERE category != ${hostile} GROUP BY category ORDER BY category",
      "```",
      "",
      "```sql total",
      "SELECT sum(orders) AS total_orders FROM sizes",
      "```",
    ].join("\n");
    const session = new Session({ engine: frame, connect: connectThroughApp(frame) });
    session.setNotebook(parse(text).notebook);
    await session.settled();
    const ids = session.ids();
    const states = ids.map((id) => session.state(id)!);
    expect(states.map((state) => [state.status, state.error?.message])).toEqual([
      ["ok", undefined],
      ["ok", undefined],
      ["ok", undefined],
    ]);
    // The rows came into the app's engine as the cell's table; the local cell read them.
    const total = await engine.query("SELECT total_orders FROM total");
    expect(Number(total.get(0)!.total_orders)).toBe(CLICKHOUSE.ordersRows);
    await session.dispose();

    const request = toApp
      .map((m) => JSON.parse(m) as { method?: string; args?: unknown[] })
      .find((m) => m.method === "remoteQuery");
    expect(request?.args).toEqual([
      "warehouse",
      "SELECT category, count() AS orders FROM orders WHERE category != {p1:String} GROUP BY category ORDER BY category",
      { p1: "home' OR '1'='1" },
      50,
    ]);
    for (const message of [...toApp, ...toFrame]) {
      expect(message).not.toContain(CLICKHOUSE.analyst.password);
      expect(message).not.toContain(CLICKHOUSE.analyst.user);
      expect(message).not.toContain("elsewhere.example.com");
    }
  }, 60_000);

  it("the frame's abort cancels the app's query; stopping the port rejects a pending one with SandboxStopped and kills it on the server", async () => {
    const signals: AbortSignal[] = [];
    const channel = new MessageChannel();
    const engine = await createNodeEngine();
    engines.push(engine);
    const stop = serveEngine(channel.port1, async () => engine, undefined, appWarehouse(signals));
    stops.push(stop);
    const frame = frameEngine(channel.port2);

    const controller = new AbortController();
    const cancelled = frame.remoteQuery("warehouse", SLOW, { signal: controller.signal });
    await expect.poll(() => running(0), { timeout: 20_000 }).toBe("1\n");
    controller.abort();
    await expect(cancelled).rejects.toThrow(/was cancelled \(and stopped on the server\)/);
    // Killed on the shard it started on at once, and on the other shard moments later.
    await expect.poll(() => Promise.all([running(0), running(1)]), { timeout: 10_000 }).toEqual(["0\n", "0\n"]);

    const pending = frame.remoteQuery("warehouse", SLOW);
    await expect.poll(() => running(0), { timeout: 20_000 }).toBe("1\n");
    stop();
    await expect(pending).rejects.toBeInstanceOf(SandboxStopped);
    expect(signals[1]?.reason).toBeInstanceOf(SandboxStopped);
    await expect.poll(() => Promise.all([running(0), running(1)]), { timeout: 10_000 }).toEqual(["0\n", "0\n"]);
  }, 90_000);

  it("connectThroughApp's query gives the rows the adapter's would give, typed the same", async () => {
    const frame = await served({}, undefined, appWarehouse());
    const spec = appWarehouse().connections().warehouse!;
    const sql =
      "SELECT category, count() AS n, toDate('2024-01-02') AS d, toDateTime('2024-01-02 03:04:05', 'UTC') AS t, 1.5 AS f, 1 = 1 AS b FROM orders GROUP BY category ORDER BY category";
    const viaApp = await (await connectThroughApp(frame)("warehouse", spec, new AbortController().signal)).query(sql);
    const direct = await createClickHouseEngine("warehouse", spec, CLICKHOUSE.analyst).query(sql);
    expect(viaApp.columns).toEqual(direct.columns);
    expect(viaApp.rows.length).toBeGreaterThan(1);
    const plain = (result: typeof direct) =>
      remoteResultToArrow(result)
        .toArray()
        .map((row) => JSON.stringify(row.toJSON(), (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v)));
    expect(plain(viaApp)).toEqual(plain(direct));
  }, 60_000);

  it("a connection the app's notebook does not have is refused with the page's message, and a row cap failure keeps its kind", async () => {
    const frame = await served({}, undefined, appWarehouse());
    await expect(frame.remoteQuery("sales", "SELECT 1")).rejects.toThrow(
      'engine=sales names no connection; the front matter "connections:" has warehouse',
    );
    const session = new Session({ engine: frame, connect: connectThroughApp(frame) });
    const text = `---\nconnections:\n  warehouse: {type: clickhouse, url: "${CLICKHOUSE.url}"}\n---\n\n\`\`\`sql rows engine=warehouse maxRows=5\nSELECT customer_id FROM orders\n\`\`\`\n`;
    session.setNotebook(parse(text).notebook);
    await session.settled();
    const state = session.state(session.ids()[0]!)!;
    expect(state.status).toBe("error");
    // The runtime in the frame adds the cell's own fence to the adapter's row-cap message, as in the page.
    expect(state.error?.message).toMatch(/more than 5 rows/);
    expect(state.error?.message).toContain("This cell's cap is 5 rows; raise it in its fence");
    await session.dispose();
  }, 60_000);
});
