/**
 * bytesBlob: bytes in memory read by parquet-wasm as if they were a Blob, slice by slice, without the
 * copy of the whole file a real Blob makes. Its slices equal a real Blob's; a Parquet load from bytes
 * makes no Blob of the file and gives the same table. Real parquet-wasm and duckdb-wasm.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bytesBlob } from "../../src/engine/bytes-blob.ts";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";

let engine: Engine;
let dir: string;
let file: string;

beforeAll(async () => {
  engine = await createNodeEngine();
  dir = mkdtempSync(path.join(tmpdir(), "segbook-bytes-blob-"));
  file = path.join(dir, "orders.parquet");
  const instance = await DuckDBInstance.create(":memory:");
  const native = await instance.connect();
  await native.run(
    `COPY (SELECT range::INTEGER AS id, 'c' || (range % 7) AS channel, range / 8.0 AS amount FROM range(30000))
     TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 10000)`,
  );
  native.closeSync();
  instance.closeSync();
});

afterAll(async () => {
  await engine?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const BYTES = Uint8Array.from({ length: 100 }, (_, i) => i);

describe("bytesBlob(bytes)", () => {
  it.each([
    [undefined, undefined],
    [10, 20],
    [0, 100],
    [90, 200],
    [-10, undefined],
    [-30, -10],
    [50, 40],
    [150, 160],
  ])("bytesBlob(bytes).slice(%s, %s) reads what a Blob's slice reads", async (start, end) => {
    const real = new Uint8Array(await new Blob([BYTES]).slice(start, end).arrayBuffer());
    const ours = bytesBlob(BYTES).slice(start, end);
    expect(new Uint8Array(await ours.arrayBuffer())).toEqual(real);
    expect(ours.size).toBe(real.length);
  });

  it("bytesBlob(bytes).slice(a, b).slice(c, d) is relative to the first slice, as a Blob's", async () => {
    const real = new Uint8Array(await new Blob([BYTES]).slice(20, 80).slice(5, 15).arrayBuffer());
    expect(new Uint8Array(await bytesBlob(BYTES).slice(20, 80).slice(5, 15).arrayBuffer())).toEqual(real);
  });

  it("bytesBlob(pooled Buffer).slice(a, b).arrayBuffer() holds exactly that range, not the Buffer's pool", async () => {
    // Node keeps small Buffers in a shared pool: the view starts past other bytes and ends before them.
    const pooled = Buffer.from(BYTES);
    const tail = await bytesBlob(pooled).slice(-8).arrayBuffer();
    expect(tail.byteLength).toBe(8);
    expect(new Uint8Array(tail)).toEqual(new Uint8Array(await new Blob([BYTES]).slice(-8).arrayBuffer()));
  });

  it("bytesBlob(bytes).arrayBuffer() is a copy: the bytes stay the caller's", async () => {
    const bytes = BYTES.slice();
    const copy = new Uint8Array(await bytesBlob(bytes).slice(0, 4).arrayBuffer());
    copy[0] = 99;
    expect(bytes[0]).toBe(0);
  });
});

describe("loadFile(name, parquet bytes) through parquet-wasm", () => {
  it("loadFile(name, {kind: 'bytes'}) makes no Blob of the whole file and loads the same table as from its path", async () => {
    const bytes = new Uint8Array(readFileSync(file));
    const RealBlob = globalThis.Blob;
    const copies: number[] = [];
    // Every Blob made while loading, by size: a copy of the file would be one of its size.
    globalThis.Blob = class extends RealBlob {
      constructor(...args: ConstructorParameters<typeof Blob>) {
        super(...args);
        copies.push(this.size);
      }
    };
    let loaded;
    try {
      loaded = await engine.loadFile(
        "from_bytes",
        { kind: "bytes", bytes, fileName: "orders.parquet" },
        { columns: ["amount", "id"] },
      );
    } finally {
      globalThis.Blob = RealBlob;
    }
    expect(copies.filter((size) => size >= bytes.length)).toEqual([]);
    expect(loaded.numRows).toBe(30000);
    await engine.loadFile("from_path", { kind: "path", path: file }, { columns: ["amount", "id"] });
    const differ = await engine.query(
      "SELECT count(*)::INTEGER AS n FROM (SELECT * FROM from_bytes EXCEPT ALL SELECT * FROM from_path)",
    );
    expect(differ.toArray()[0]!.toJSON()).toEqual({ n: 0 });
    const sum = await engine.query("SELECT sum(id)::BIGINT AS ids, sum(amount) AS amount FROM from_bytes");
    expect(sum.toArray()[0]!.toJSON()).toEqual({ ids: 449985000n, amount: 56248125 });
  });
});
