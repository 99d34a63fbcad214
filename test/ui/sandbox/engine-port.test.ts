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

/** The frame's engine, served by a fresh app engine that knows `sources`. */
async function served(sources: Record<string, FileSource>) {
  const engine = await createNodeEngine();
  engines.push(engine);
  const channel = new MessageChannel();
  stops.push(
    serveEngine(
      channel.port1,
      async () => engine,
      (name) => sources[name],
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
