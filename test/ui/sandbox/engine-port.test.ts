/**
 * The sandbox's engine port between real duckdb-wasm (Node) and the frame's engine (frame-engine.ts)
 * over a real MessageChannel: the app loads the front matter's data sources it names itself, under
 * the lock, and a cell's SQL reaches nothing but this engine's own registered files.
 */
import { afterEach, describe, expect, it } from "vitest";
import { writeFile, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createNodeEngine } from "../../../src/engine/node.ts";
import type { Engine, FileSource } from "../../../src/engine/engine.ts";
import type { DataResolution } from "../../../src/runtime/data-resolution.ts";
import { REGISTERED_FILE_DIRECTORY } from "../../../src/engine/load.ts";
import { serveEngine } from "../../../src/ui/sandbox/engine-port.ts";
import { frameEngine } from "../../../src/ui/sandbox/frame-engine.ts";

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
async function served(sources: Record<string, DataResolution | (() => Promise<DataResolution>)>, engine?: Engine) {
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
