/**
 * Provenance that fills itself in: a real Session on the Node engine runs a notebook whose data file
 * is pinned by sha256, and `seg.export` — called with no `inputs` — writes a manifest naming the
 * notebook, the cell, the seed, every data source upstream of the exported table with its sha256
 * (and no other), the fitted models upstream with their parameters, and the app and engine versions.
 * A Parquet source read by HTTP range requests is recorded as such, and pinning its sha256 fails
 * naming the source and the fix.
 */
import { segLibrary } from "../../src/seg/library.ts";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import * as aq from "arquero";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeEngine } from "../../src/engine/node.ts";
import type { Engine } from "../../src/engine/engine.ts";
import type { DataSource } from "../../src/notebook/model.ts";
import { dataNodeId, Session } from "../../src/runtime/index.ts";
import type { ExportManifest, ExportResult, ExportSink } from "../../src/seg/export.ts";
import { cells, repoRoot, type TestCell } from "../helpers/session.ts";

const PEOPLE = "test/fixtures/provenance/people.csv";
const REGIONS = "test/fixtures/provenance/regions.csv";
const sha256Of = (file: string) =>
  createHash("sha256")
    .update(readFileSync(path.join(repoRoot, file)))
    .digest("hex");
const APP_VERSION = (JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string })
  .version;

/** A sink keeping what each export prepared, by file name. */
function memorySink(): ExportSink & { manifests: Map<string, ExportManifest> } {
  const manifests = new Map<string, ExportManifest>();
  return {
    manifests,
    async accept(prepared: ExportResult) {
      manifests.set(prepared.file.name, JSON.parse(new TextDecoder().decode(prepared.manifestFile.bytes)));
      return prepared;
    },
  };
}

let engine: Engine;

beforeAll(async () => {
  engine = await createNodeEngine();
});

afterAll(async () => {
  await engine?.close();
});

/** Runs the cells in a session whose host says where the notebook came from, like segbook run does. */
async function run(list: (TestCell | string)[], data: Record<string, DataSource>, seed = 11) {
  const sink = memorySink();
  const session = new Session({
    engine,
    libraries: { aq },
    cellLibraries: { seg: segLibrary({ sink }) },
    resolveData: (_name, source) =>
      /^https?:/.test(source.path)
        ? { kind: "url", url: source.path }
        : { kind: "path", path: path.resolve(repoRoot, source.path) },
    location: () => "notebooks/provenance.md",
    appVersion: APP_VERSION,
  });
  session.setNotebook({ frontMatter: { title: "Provenance", seed, data }, cells: cells(list) });
  await session.settled();
  return { session, sink };
}

describe("seg.export's manifest fills in its provenance", () => {
  it("seg.export(clustered, name) with no inputs records the notebook, cell, seed, pinned source's sha256, upstream k-means and versions", async () => {
    const pinned = sha256Of(PEOPLE);
    const { session, sink } = await run(
      [
        { kind: "sql", name: "scored", source: "SELECT id, email, score FROM people" },
        'const km = await seg.kmeans(scored, { features: ["score"], id: "id", k: 2 });',
        {
          kind: "sql",
          name: "clustered",
          source: "SELECT s.id, s.score, l.cluster FROM scored s JOIN ${km} l USING (id) ORDER BY s.id",
        },
        'const exported = await seg.export(clustered, { file: "clusters.csv", segment: "cluster" });',
        // `regions` is loaded but nothing above reads it: it is not a source of the export.
        { kind: "sql", name: "named_regions", source: "SELECT * FROM regions" },
      ],
      { people: { path: PEOPLE, sha256: pinned }, regions: { path: REGIONS } },
    );
    for (const id of session.ids()) expect(session.state(id)?.status, id).toBe("ok");
    const manifest = sink.manifests.get("clusters.csv")!;
    expect(manifest.notebook).toEqual({ title: "Provenance", location: "notebooks/provenance.md" });
    expect(manifest.cell).toEqual({ position: 4, name: null });
    expect(manifest.seed).toBe(11);
    expect(manifest.sources).toEqual([{ name: "people", path: PEOPLE, sha256: pinned, read: "whole" }]);
    expect(manifest.inputs).toEqual({ people: pinned });
    expect(manifest.appVersion).toBe(APP_VERSION);
    const version = (await engine.query("SELECT version() AS v")).getChild("v")!.get(0);
    expect(manifest.engineVersion).toBe(version);
    expect(manifest.models).toHaveLength(1);
    const [model] = manifest.models!;
    expect(model).toMatchObject({
      cell: { position: 2, name: null },
      variable: "km",
      method: "kmeans",
      k: 2,
      features: ["score"],
      id: "id",
      seed: 11,
    });
    expect(model!.fit).toMatchObject({ n: 30, dropped: 0 });
    // The model's JSON is there to restore it: k centres over the one feature.
    expect(JSON.stringify(model!.model)).toContain('"score"');
    await session.dispose();
  });

  it("seg.export in the cell that fits the model records that model (cell null) and hand-passed inputs merge in", async () => {
    const { session, sink } = await run(
      [
        'const km = await seg.kmeans(people, { features: ["score"], id: "id", k: 3, seed: 5 }); const exported = await seg.export(km, { file: "own.csv", inputs: { crm: "abc" } });',
      ],
      { people: { path: PEOPLE } },
    );
    expect(session.state("c0")?.error?.message).toBeUndefined();
    const manifest = sink.manifests.get("own.csv")!;
    expect(manifest.models).toEqual([
      expect.objectContaining({ cell: null, variable: null, method: "kmeans", k: 3, seed: 5, features: ["score"] }),
    ]);
    expect(manifest.inputs).toEqual({ people: sha256Of(PEOPLE), crm: "abc" });
    expect(manifest.cell).toEqual({ position: 1, name: null });
    await session.dispose();
  });
});

describe("a Parquet source read by HTTP range requests", () => {
  let server: Server;
  let url = "";

  beforeAll(async () => {
    const { parquetWriteBuffer } = await import("hyparquet-writer");
    const n = 40;
    const file = new Uint8Array(
      parquetWriteBuffer({
        columnData: [
          { name: "id", data: Int32Array.from({ length: n }, (_, i) => i), type: "INT32" },
          { name: "spend", data: Float64Array.from({ length: n }, (_, i) => i * 2.5), type: "DOUBLE" },
        ],
      }),
    );
    server = createServer((request, response) => {
      const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? "");
      if (request.method === "HEAD" || !range) {
        response.writeHead(200, { "content-length": file.length, "accept-ranges": "bytes" });
        response.end(request.method === "HEAD" ? undefined : file);
        return;
      }
      const start = Number(range[1]);
      const end = range[2] ? Math.min(Number(range[2]), file.length - 1) : file.length - 1;
      response
        .writeHead(206, { "content-length": end - start + 1, "content-range": `bytes ${start}-${end}/${file.length}` })
        .end(file.subarray(start, end + 1));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events.parquet`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  it("seg.export of it records read: ranges and 'read by ranges; not hashed', never an empty hash", async () => {
    const { session, sink } = await run(['const exported = await seg.export(events, { file: "events.csv" });'], {
      events: { path: url },
    });
    expect(session.state("c0")?.status).toBe("ok");
    const manifest = sink.manifests.get("events.csv")!;
    expect(manifest.sources).toEqual([
      { name: "events", path: url, sha256: null, read: "ranges", note: "read by ranges; not hashed" },
    ]);
    expect(manifest.inputs).toEqual({ events: "read by ranges; not hashed" });
    await session.dispose();
  });

  it("a pinned sha256 on it fails the data source naming it and the fix", async () => {
    const { session } = await run(["events"], { events: { path: url, sha256: "0".repeat(64) } });
    const state = session.state(dataNodeId("events"))!;
    expect(state.status).toBe("error");
    expect(state.error?.message).toBe(
      `data "events": ${url} is read by HTTP range requests (only the parts needed), so its sha256 cannot be checked; remove sha256 from data "events" in the front matter and pin the data by a versioned URL instead (one whose contents never change, e.g. …/2024-06-30/events.parquet)`,
    );
    await session.dispose();
  });
});
