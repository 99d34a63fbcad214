/**
 * Parquet over HTTP range requests: a local server (node:http) serves a generated Parquet file with
 * Range support and counts the bytes it sends. Loading 2 of 8 columns by URL must transfer far less
 * than the file and give the table a full local load of those columns gives.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";

describe("loadFile(name, {kind: 'url'}) reads remote Parquet with range requests", () => {
  let engine: Engine;
  let server: Server;
  let origin = "";
  let file = new Uint8Array();
  const served = { bytes: 0, requests: 0, fullBodies: 0 };

  beforeAll(async () => {
    engine = await createNodeEngine();
    // 8 columns x 20,000 rows of varied values (so each column chunk holds real bytes), one row group.
    const n = 20000;
    const ints = (f: (i: number) => number) => Int32Array.from({ length: n }, (_, i) => f(i));
    const doubles = (f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i));
    const texts = (f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));
    const { parquetWriteBuffer } = await import("hyparquet-writer");
    const columnData = [
      { name: "id", data: ints((i) => i), type: "INT32" as const },
      { name: "a", data: doubles((i) => i * 1.5), type: "DOUBLE" as const },
      { name: "b", data: texts((i) => `text-${(i * 7919) % 10007}`), type: "STRING" as const },
      { name: "c", data: ints((i) => (i * 31) % 97), type: "INT32" as const },
      { name: "d", data: texts((i) => `row ${i} ${Math.sin(i).toFixed(12)}`), type: "STRING" as const },
      { name: "e", data: doubles((i) => Math.cos(i) * 1000), type: "DOUBLE" as const },
      { name: "f", data: ints((i) => (i * 2654435761) % 1000003), type: "INT32" as const },
      { name: "g", data: texts((i) => `${(i * 104729) % 99991}-${i}`), type: "STRING" as const },
    ];
    file = new Uint8Array(parquetWriteBuffer({ columnData }));
    server = createServer((request, response) => {
      served.requests++;
      const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? "");
      if (request.method === "HEAD") {
        response.writeHead(200, { "content-length": file.length, "accept-ranges": "bytes" }).end();
        return;
      }
      if (!range) {
        served.fullBodies++;
        served.bytes += file.length;
        response.writeHead(200, { "content-length": file.length }).end(file);
        return;
      }
      const start = Number(range[1]);
      const end = range[2] ? Math.min(Number(range[2]), file.length - 1) : file.length - 1;
      const body = file.subarray(start, end + 1);
      served.bytes += body.length;
      response
        .writeHead(206, {
          "content-length": body.length,
          "content-range": `bytes ${start}-${end}/${file.length}`,
        })
        .end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await engine?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it("loadFile(name, url, {columns}) fetches the footer and 2 of 8 columns only, and equals a local load", async () => {
    served.bytes = 0;
    served.requests = 0;
    const remote = await engine.loadFile(
      "remote_two",
      { kind: "url", url: `${origin}/big.parquet` },
      { columns: ["b", "id"] },
    );
    expect(served.fullBodies).toBe(0);
    expect(served.requests).toBeGreaterThan(1);
    // Two of eight columns (hyparquet reads the span from the first to the last one wanted): about a quarter.
    expect(served.bytes).toBeLessThan(file.length * 0.35);
    expect(served.bytes).toBeGreaterThan(0);
    const local = await engine.loadFile(
      "local_two",
      { kind: "bytes", bytes: file, fileName: "big.parquet" },
      { columns: ["b", "id"] },
    );
    expect(remote.columns).toEqual(local.columns);
    expect(remote.columns.map((c) => c.name)).toEqual(["b", "id"]);
    expect(remote.numRows).toBe(20000);
    expect(remote.sha256).toBe("");
    const differences = await engine.query(
      "SELECT count(*)::INTEGER AS n FROM (SELECT * FROM remote_two EXCEPT ALL SELECT * FROM local_two)",
    );
    expect(differences.get(0)!.toJSON().n).toBe(0);
  });

  it("loadFile(name, url) without columns reads every column by ranges and equals a whole-file load", async () => {
    served.fullBodies = 0;
    const remote = await engine.loadFile("remote_all", { kind: "url", url: `${origin}/big.parquet` });
    const local = await engine.loadFile("local_all", { kind: "bytes", bytes: file, fileName: "big.parquet" });
    expect(served.fullBodies).toBe(0);
    expect(remote.columns).toEqual(local.columns);
    const differences = await engine.query(
      "SELECT count(*)::INTEGER AS n FROM (SELECT * FROM remote_all EXCEPT ALL SELECT * FROM local_all)",
    );
    expect(differences.get(0)!.toJSON().n).toBe(0);
  });

  it("loadFile(name, source, {columns}) names a missing column and refuses columns for non-Parquet files", async () => {
    await expect(
      engine.loadFile("bad_cols", { kind: "url", url: `${origin}/big.parquet` }, { columns: ["id", "nope"] }),
    ).rejects.toThrow(
      /loadFile: could not read "big.parquet" as Parquet: the file has no column "nope" \(did you mean "[a-z]+"\?\); its columns are id, a, b/,
    );
    await expect(
      engine.loadFile(
        "bad_fmt",
        { kind: "bytes", bytes: new TextEncoder().encode("a\n1\n"), fileName: "x.csv" },
        {
          columns: ["a"],
        },
      ),
    ).rejects.toThrow('loadFile: options.columns applies to Parquet files only, not to csv file "x.csv"');
  });
});
