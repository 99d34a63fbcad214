/**
 * `segbook run notebooks/warehouse.md` against the real loopback ClickHouse cluster (two shards of
 * Debian's 18.16, `orders` a Distributed table), run as a user runs it: the bin script in a child
 * process, credentials from the environment or from `--connection NAME=URL`. Nothing written, printed
 * or reported may hold the password.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { CLICKHOUSE, clickHouseMissing, clickHouseSetupQuery, startClickHouseCluster } from "../helpers/clickhouse.ts";
import { root } from "./segbook-bin.ts";

const bin = path.join(root, "bin/segbook.js");
const { user, password } = CLICKHOUSE.analyst;

/** Runs the real bin script with `env` added to a clean environment (no SEGBOOK_* inherited). */
function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("SEGBOOK_")));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...base, TZ: "UTC", ...env } });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out }));
  });
}

/** A notebook file (in a fresh temporary folder) with the cluster as connection `warehouse` and `cells`. */
function notebookWith(cells: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "segbook-warehouse-")), "remote.md");
  const front = `---\ntitle: Remote cells\nformat: 1\nconnections:\n  warehouse: {type: clickhouse, url: "${CLICKHOUSE.url}"}\n---\n\n`;
  writeFileSync(file, front + cells);
  return file;
}

/** Every file under `dir`, as text. */
function filesIn(dir: string): Map<string, string> {
  const files = readdirSync(dir, { recursive: true, encoding: "utf8" });
  return new Map(files.map((f) => [f, readFileSync(path.join(dir, f), "utf8")]));
}

describe.skipIf(clickHouseMissing)("segbook run notebooks/warehouse.md on the ClickHouse cluster", () => {
  beforeAll(() => startClickHouseCluster(), 90_000);

  test("with SEGBOOK_WAREHOUSE_USER/_PASSWORD every cell is ok, and --out writes no credential anywhere", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "segbook-warehouse-"));
    const { code, out: printed } = await run(["run", "notebooks/warehouse.md", "--out", out], {
      SEGBOOK_WAREHOUSE_USER: user,
      SEGBOOK_WAREHOUSE_PASSWORD: password,
    });
    expect(code, printed).toBe(0);
    expect(printed).toMatch(/^ok notebooks\/warehouse\.md: \d+ cells/m);
    expect(printed).toContain('note: 2,000 rows from connection "warehouse"');
    const files = filesIn(out);
    expect([...files.keys()].sort()).toEqual([
      "report.html",
      "report.json",
      "warehouse-segment-sizes.csv",
      "warehouse-segment-sizes.csv.manifest.json",
    ]);
    for (const [file, text] of files) {
      expect(text.includes(password), `${file} holds the password`).toBe(false);
      expect(text.includes(`"${user}"`) || text.includes(`user=${user}`), `${file} holds the user`).toBe(false);
    }
    expect(printed).not.toContain(password);
    const manifest = JSON.parse(files.get("warehouse-segment-sizes.csv.manifest.json")!);
    expect(manifest.connections).toEqual([
      { name: "warehouse", type: "clickhouse", url: `${CLICKHOUSE.url}/`, database: "default" },
    ]);
    // The features query and the scoring query, both upstream of the export, in run order.
    expect(manifest.remoteQueries).toHaveLength(2);
    expect(manifest.remoteQueries[0]).toMatchObject({ connection: "warehouse", params: [], rows: 2000 });
    expect(manifest.remoteQueries[0].sql).toContain("GROUP BY customer_id");
    expect(manifest.remoteQueries[1].sql).toMatch(
      /^SELECT cluster, count\(\) AS customers FROM \(SELECT `customer_id`, multiIf/,
    );
    expect(manifest.models).toEqual([expect.objectContaining({ method: "kmeans", k: 4 })]);
    // The sizes counted on the cluster are the local fit's (the notebook itself checks it, too).
    const csv = files.get("warehouse-segment-sizes.csv")!.trim().split("\n");
    expect(csv[0]).toBe("cluster,customers");
    expect(csv.slice(1).reduce((sum, line) => sum + Number(line.split(",")[1]), 0)).toBe(2000);
  }, 180_000);

  test("--connection warehouse=URL with user:password@ logs in with them and never prints them", async () => {
    const url = new URL(CLICKHOUSE.url);
    url.username = user;
    url.password = password;
    const { code, out } = await run(["run", "notebooks/warehouse.md", "--connection", `warehouse=${url}`]);
    expect(code, out).toBe(0);
    expect(out).not.toContain(password);
  }, 180_000);

  test("a refused password fails the first remote cell with the server's reason and where the credentials came from", async () => {
    const wrong = "not-the-password-0xC0FFEE";
    const { code, out } = await run(["run", "notebooks/warehouse.md"], {
      SEGBOOK_WAREHOUSE_USER: user,
      SEGBOOK_WAREHOUSE_PASSWORD: wrong,
    });
    expect(code).toBe(1);
    expect(out).toMatch(
      /^error {3}cell \d+ \(sql "features", line \d+\).*refused user "analyst".*Check the user name and password.*segbook run logged in with SEGBOOK_WAREHOUSE_USER and SEGBOOK_WAREHOUSE_PASSWORD; set them to a user the server accepts\.$/m,
    );
    expect(out).not.toContain(wrong);
  }, 180_000);

  test("a remote cell over its row cap fails before pulling the rows, saying to aggregate or raise maxRows", async () => {
    const file = notebookWith("```sql every_order engine=warehouse maxRows=100\nSELECT * FROM orders\n```\n");
    const { code, out } = await run(["run", file], {
      SEGBOOK_WAREHOUSE_USER: user,
      SEGBOOK_WAREHOUSE_PASSWORD: password,
    });
    expect(code).toBe(1);
    expect(out).toMatch(/^error {3}cell 1 \(sql "every_order", line \d+\).*more than 100 rows.*aggregate.*maxRows=/im);
    expect(out).not.toContain(password);
  }, 120_000);

  test("--timeout stops a remote cell still running and kills its query on every shard", async () => {
    const marker = `segbook-cli-timeout-${process.pid}`;
    const file = notebookWith(
      `\`\`\`sql slow engine=warehouse\nSELECT '${marker}' AS m, sum(sleepEachRow(0.002)) AS s FROM orders SETTINGS max_block_size = 100\n\`\`\`\n`,
    );
    const running = (shard: number) =>
      clickHouseSetupQuery(
        `SELECT count() FROM system.processes WHERE query LIKE '%${marker}%' AND query NOT LIKE '%system.processes%'`,
        shard,
      );
    const { code, out } = await run(["run", file, "--timeout", "4"], {
      SEGBOOK_WAREHOUSE_USER: user,
      SEGBOOK_WAREHOUSE_PASSWORD: password,
    });
    expect(code).toBe(1);
    expect(out).toMatch(/timed out/);
    expect(out).toMatch(/sql "slow"/);
    await expect.poll(() => Promise.all([running(0), running(1)]), { timeout: 15_000 }).toEqual(["0\n", "0\n"]);
  }, 120_000);

  test("--connection naming no connection of the notebook exits 2 naming the ones it has", async () => {
    const { code, out } = await run([
      "run",
      "notebooks/warehouse.md",
      "--connection",
      "lake=http://u:hunter2@127.0.0.1:1",
    ]);
    expect(code).toBe(2);
    expect(out).toContain('--connection lake: the notebook has no connection "lake" (it has warehouse)');
    expect(out).not.toContain("hunter2");
  }, 60_000);
});
