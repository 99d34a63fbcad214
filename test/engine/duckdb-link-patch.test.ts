/**
 * The lazy-linking patch of duckdb-wasm's emscripten glue (src/engine/duckdb-link-patch.ts) against the
 * installed bundles: it applies to each (every replacement matched once per copy of the glue), a Node
 * engine on the patched bundle works, a side module loaded after the start still resolves the main
 * module's symbols through the GOT (the work the patch postpones), and a glue that changed upstream
 * fails loudly with duckdb-wasm's version.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";
import { afterAll, describe, expect, it } from "vitest";
import { LINK_PATCH_ANCHORS, linkLazily } from "../../src/engine/duckdb-link-patch.ts";
import { evaluateBundle } from "../../src/engine/duckdb-node-bundle.ts";
import { createNodeEngine } from "../../src/engine/node.ts";

const require = createRequire(import.meta.url);
const dist = path.dirname(require.resolve("@duckdb/duckdb-wasm/blocking"));
const { version } = JSON.parse(readFileSync(path.join(dist, "../package.json"), "utf8")) as { version: string };
const read = (file: string) => readFileSync(path.join(dist, file), "utf8");

/** The bundles the project runs, with the copies of emscripten's glue each holds. */
const BUNDLES = [
  { file: "duckdb-browser-eh.worker.js", copies: 1 },
  { file: "duckdb-browser-mvp.worker.js", copies: 1 },
  { file: "duckdb-node-blocking.cjs", copies: 2 },
];

describe("linkLazily(source, {file, version, copies})", () => {
  it.each(BUNDLES)(
    "linkLazily patches the installed $file, each replacement matched $copies time(s)",
    ({ file, copies }) => {
      const source = read(file);
      for (const anchor of LINK_PATCH_ANCHORS) expect(source.split(anchor).length - 1, anchor).toBe(copies);
      const patched = linkLazily(source, { file, version, copies });
      expect(patched.split("function segbookLinkMain(").length - 1).toBe(copies);
      expect(patched).not.toContain('mergeLibSymbols(wasmExports,"main")');
      // Still a script: the worker is loaded with importScripts, the Node bundle as a function body.
      expect(() => new Script(patched, { filename: file })).not.toThrow();
    },
  );

  it("linkLazily throws naming duckdb-wasm's version and the text when the glue changed upstream", () => {
    const source = read("duckdb-browser-eh.worker.js").replace(
      'mergeLibSymbols(wasmExports,"main")',
      'mergeLibSymbols(wasmExports,"main-renamed")',
    );
    expect(() => linkLazily(source, { file: "duckdb-browser-eh.worker.js", version })).toThrow(
      `duckdb-wasm ${version}: cannot link the main module lazily in duckdb-browser-eh.worker.js: expected "mergeLibSymbols(wasmExports,\\"main\\")" 1 time(s), found 0`,
    );
  });

  it("linkLazily throws when a text occurs more often than the file has copies of the glue", () => {
    const source = read("duckdb-node-blocking.cjs");
    expect(() => linkLazily(source, { file: "duckdb-node-blocking.cjs", version, copies: 1 })).toThrow(
      /cannot insert the lazy-linking helpers in duckdb-node-blocking\.cjs: expected "var GOT=\{\}" 1 time\(s\), found 2/,
    );
  });

  it("linkLazily refuses a bundle it has already patched", () => {
    const once = linkLazily(read("duckdb-browser-eh.worker.js"), { file: "eh", version });
    expect(() => linkLazily(once, { file: "eh", version })).toThrow("eh is already linked lazily");
  });
});

describe("createNodeEngine() on the lazily linked bundle", () => {
  const fixturesDir = fileURLToPath(new URL("../fixtures/", import.meta.url));

  it("createNodeEngine() answers queries and loads a CSV file", async () => {
    const engine = await createNodeEngine({ baseDir: fixturesDir });
    try {
      const loaded = await engine.loadFile("people", { kind: "path", path: "people.csv" });
      expect(loaded.numRows).toBe(5);
      const table = await engine.query("select count(*)::int as n, 6 * 7 as answer from people");
      expect(table.toArray().map((row) => ({ ...row }))).toEqual([{ n: 5, answer: 42 }]);
    } finally {
      await engine.close();
    }
  });
});

/** Unsigned LEB128, as wasm encodes sizes and counts. */
function leb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value) byte |= 0x80;
    bytes.push(byte);
  } while (value);
  return bytes;
}
const name = (text: string) => [...leb(text.length), ...Buffer.from(text)];
const section = (id: number, body: number[]) => [id, ...leb(body.length), ...body];

/**
 * A side module (emscripten's dynamic-linking format) importing `func` through GOT.func and `data`
 * through GOT.mem, exporting `gotFunc()` and `gotMem()` that return what the loader put in those GOT
 * entries: the main module's table index of `func` and the address of `data`.
 */
function sideModule(func: string, data: string): Uint8Array {
  const i32Getter = [0x00, 0x23]; // no locals; global.get
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    // dylink.0 (first, as the loader requires): memory info, no memory and no table of its own.
    ...section(0, [...name("dylink.0"), 1, 4, 0, 0, 0, 0]),
    ...section(1, [1, 0x60, 0, 1, 0x7f]),
    ...section(2, [2, ...name("GOT.func"), ...name(func), 3, 0x7f, 1, ...name("GOT.mem"), ...name(data), 3, 0x7f, 1]),
    ...section(3, [2, 0, 0]),
    ...section(7, [2, ...name("gotFunc"), 0, 0, ...name("gotMem"), 0, 1]),
    ...section(10, [2, 4, ...i32Getter, 0, 0x0b, 4, ...i32Getter, 1, 0x0b]),
  ]);
}

/** What the test reads from inside the glue (an extra replacement, in this test only). */
interface GlueProbe {
  got(): Record<string, WebAssembly.Global>;
  table(): WebAssembly.Table;
  exports(): Record<string, unknown>;
  load(binary: Uint8Array): Record<string, () => number>;
}

describe("the lazily linked glue and side modules", () => {
  afterAll(() => {
    delete (globalThis as { segbookGlueProbe?: GlueProbe }).segbookGlueProbe;
  });

  it("a side module loaded after the start resolves main-module symbols the start did not link", async () => {
    const file = require.resolve("@duckdb/duckdb-wasm/blocking");
    const patched = linkLazily(readFileSync(file, "utf8"), { file, version, copies: 2 }).replace(
      /function segbookLinkMain\(\)\{/g,
      "globalThis.segbookGlueProbe={got:()=>GOT,table:()=>wasmTable,exports:()=>wasmExports," +
        'load:(b)=>loadWebAssemblyModule(b,{loadAsync:!1,nodelete:!0},"probe.so",{})};$&',
    );
    const { createDuckDB, NODE_RUNTIME, VoidLogger } = evaluateBundle(patched, file);
    const wasm = { mainModule: path.join(dist, "duckdb-eh.wasm"), mainWorker: "" };
    const db = await createDuckDB({ mvp: wasm, eh: wasm }, new VoidLogger(), NODE_RUNTIME);
    await db.instantiate(() => undefined);
    db.open({});
    const probe = (globalThis as { segbookGlueProbe?: GlueProbe }).segbookGlueProbe!;

    // A function and a data symbol the main module exports but does not import through its own GOT.
    const exported = WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(wasm.mainModule)));
    const names = new Set(exported.map((e) => e.name));
    const own = (e: WebAssembly.ModuleExportDescriptor) =>
      /^[a-z]\w+$/.test(e.name) && !names.has(`orig$${e.name}`) && !(e.name in probe.got());
    const func = exported.find((e) => e.kind === "function" && e.name.startsWith("duckdb_web_") && own(e))!.name;
    const data = exported.find((e) => e.kind === "global" && own(e))!.name;
    // Lazy: the start linked only what the main module imports itself.
    expect(Object.keys(probe.got()).length).toBeLessThan(1000);

    const side = probe.load(sideModule(func, data));
    expect(Object.keys(probe.got()).length).toBeGreaterThan(names.size / 2);
    expect(probe.table().get(side.gotFunc!())).toBe(probe.exports()[func]);
    expect(side.gotMem!()).toBe(probe.exports()[data]);
    // The engine still answers after the late linking.
    const connection = db.connect();
    expect(connection.query("select 6 * 7 as answer").toArray()[0]!.answer).toBe(42);
    connection.close();
  });
});
