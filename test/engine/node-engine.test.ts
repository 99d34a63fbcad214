/**
 * Runs the engine conformance suite (engine-cases.ts) against the Node engine. Each case's `run` is
 * rebuilt from its source text first, as the browser runner does, so a case that is not
 * self-contained fails here too. A second block covers what only the Node engine does (paths,
 * file: and http: URLs, closing).
 */
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine, FileSource } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import { describeConformance } from "./conformance.ts";

describeConformance("createNodeEngine() passes the engine conformance suite", () => createNodeEngine());

describe("createNodeEngine(options) specifics", () => {
  const fixturesDir = fileURLToPath(new URL("../fixtures/", import.meta.url));
  let engine: Engine;
  let server: Server;
  let origin = "";

  beforeAll(async () => {
    engine = await createNodeEngine({ baseDir: fixturesDir });
    // Serves the fixtures, a 404 for anything missing, and under /spa/ an HTML page for every path
    // (what a dev server's fallback does for a missing file).
    server = createServer((request, response) => {
      const url = new URL(request.url ?? "/", "http://127.0.0.1");
      if (url.pathname.startsWith("/spa/")) {
        response.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><p>app</p>");
        return;
      }
      readFile(path.join(fixturesDir, path.basename(url.pathname)))
        .then((body) => response.writeHead(200, { "content-type": "text/csv" }).end(body))
        .catch(() => response.writeHead(404, "Not Found").end());
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await engine?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it("createNodeEngine({baseDir}) resolves relative path and file: URL sources against baseDir", async () => {
    const byPath = await engine.loadFile("rel_path", { kind: "path", path: "people.csv" });
    const byUrl = await engine.loadFile("rel_url", { kind: "url", url: "people.csv" });
    const byFileUrl = await engine.loadFile("abs_url", {
      kind: "url",
      url: pathToFileURL(path.join(fixturesDir, "people.tsv")).href,
    });
    expect([byPath.numRows, byUrl.numRows, byFileUrl.numRows]).toEqual([5, 5, 5]);
    expect(byUrl.sha256).toBe(byPath.sha256);
  });

  it("loadFile(name, {kind: 'url'}) fetches http URLs and names the URL when the file is missing", async () => {
    const loaded = await engine.loadFile("over_http", { kind: "url", url: `${origin}/people.parquet` });
    expect(loaded.numRows).toBe(5);
    await expect(engine.loadFile("http_missing", { kind: "url", url: `${origin}/nope.csv` })).rejects.toThrow(
      `loadFile: could not fetch "${origin}/nope.csv" (${origin}/nope.csv): HTTP 404 Not Found; check that the file exists at that URL`,
    );
    await expect(engine.loadFile("http_html", { kind: "url", url: `${origin}/spa/people.csv` })).rejects.toThrow(
      /answered with an HTML page instead of the file; the file is probably missing/,
    );
  });

  it("loadFile(name, source) names the problem for directories, unknown URL schemes and unknown source kinds", async () => {
    await expect(engine.loadFile("dir", { kind: "path", path: "../fixtures.csv" })).rejects.toThrow(
      /^loadFile: file not found: "..\/fixtures.csv" \(looked for .*fixtures.csv\); check the path$/,
    );
    await expect(engine.loadFile("dir", { kind: "path", path: "." }, { format: "csv" })).rejects.toThrow(
      /^loadFile: "." is a directory/,
    );
    await expect(engine.loadFile("ftp", { kind: "url", url: "ftp://example.org/a.csv" })).rejects.toThrow(
      'loadFile: unsupported URL scheme "ftp:" in "ftp://example.org/a.csv"; use file:, http: or https:',
    );
    await expect(engine.loadFile("odd", { kind: "disk", fileName: "a.csv" } as unknown as FileSource)).rejects.toThrow(
      'loadFile: unknown source kind "disk"; pass {kind: "path"|"url"|"bytes"|"file", ...}',
    );
    await expect(
      engine.loadFile("opts", { kind: "path", path: "people.json" }, { csv: { delimiter: ";" } }),
    ).rejects.toThrow('loadFile: options.csv applies to CSV/TSV files only, not to json file "people.json"');
  });

  it("loadFile(name, ...) accepts names that need quoting and insertArrow checks its table", async () => {
    const name = 'Sales "2024" — Q1';
    await engine.loadFile(name, { kind: "path", path: "people.csv" });
    const table = await engine.query(`SELECT count(*)::INTEGER AS n FROM ${'"Sales ""2024"" — Q1"'}`);
    expect(table.get(0)!.toJSON().n).toBe(5);
    await expect(engine.insertArrow("plain", { numRows: 1 } as never)).rejects.toThrow(
      'insertArrow: "plain" needs an apache-arrow Table (from the "apache-arrow" package)',
    );
    await expect(engine.insertArrow("__segbook_x", table)).rejects.toThrow(
      /insertArrow: invalid table name "__segbook_x"/,
    );
  });

  it("engine.close() makes later calls fail with a clear message and can be called twice", async () => {
    const own = await createNodeEngine();
    expect(await own.version()).toMatch(/^v1\.4\.\d+$/);
    await own.close();
    await own.close();
    await expect(own.query("SELECT 1")).rejects.toThrow("query: the engine is closed; create a new one");
    await expect(own.loadFile("x", { kind: "path", path: "people.csv" })).rejects.toThrow(
      "loadFile: the engine is closed",
    );
  });
});
