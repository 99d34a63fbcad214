/**
 * The workbench's prepared exports: what seg.export hands the page is kept (never downloaded) until
 * a click, and withdrawn when the cell run that made it is replaced, so no click gets stale bytes.
 */
import { parseHTML } from "linkedom";
import { describe, expect, it, vi } from "vitest";
import { PreparedExports } from "../../../src/ui/exports/prepared-exports.svelte.ts";
import type { ExportManifest, ExportResult } from "../../../src/seg/export.ts";

function prepared(name: string, text: string): ExportResult {
  const file = { name, mimeType: "text/csv", bytes: new TextEncoder().encode(text), location: null };
  const manifest = { file: name, rows: 1, sha256: "x" } as ExportManifest;
  return { manifest, file, manifestFile: { ...file, name: `${name}.manifest.json`, mimeType: "application/json" } };
}

/** A cell run whose invalidation the test resolves (as the session does when the cell re-runs). */
function run(cellId: string) {
  let invalidate!: () => void;
  const invalidation = new Promise<void>((resolve) => (invalidate = resolve));
  return { caller: { cellId, invalidation }, invalidate };
}

/** A document whose `<a download>` clicks are recorded instead of saved. */
function recordingDocument() {
  const { document } = parseHTML("<!doctype html><html><body></body></html>");
  const clicked: string[] = [];
  const create = document.createElement.bind(document);
  vi.spyOn(document, "createElement").mockImplementation((tag: string) => {
    const element = create(tag);
    if (tag === "a") element.click = () => clicked.push((element as HTMLAnchorElement).download);
    return element;
  });
  return { document: document as unknown as Document, clicked };
}

describe("PreparedExports", () => {
  it("sink().accept(export, caller) keeps the export, returns it unchanged and downloads nothing", async () => {
    const { document, clicked } = recordingDocument();
    const exports = new PreparedExports(document);
    const result = prepared("a.csv", "id\n1\n");
    expect(await exports.sink().accept(result, run("c1").caller)).toBe(result);
    expect(exports.list.map((e) => [e.cellId, e.result])).toEqual([["c1", result]]);
    expect(clicked).toEqual([]);
  });

  it("download(file) downloads a current file and refuses one whose cell re-ran, telling the card", async () => {
    const { document, clicked } = recordingDocument();
    const exports = new PreparedExports(document);
    const first = run("c1");
    const old = await exports.sink().accept(prepared("a.csv", "id\n1\n"), first.caller);
    const withdrawn = vi.fn();
    exports.watch(old.file, withdrawn);
    exports.download(old.file);
    expect(clicked).toEqual(["a.csv"]);

    first.invalidate();
    const fresh = await exports.sink().accept(prepared("a.csv", "id\n2\n"), run("c1").caller);
    await Promise.resolve();
    expect(withdrawn).toHaveBeenCalledOnce();
    expect(exports.list.map((e) => e.result)).toEqual([fresh]);
    expect(() => exports.download(old.file)).toThrow("a.csv was replaced: its cell ran again or was removed");
    exports.download(fresh.manifestFile);
    expect(clicked).toEqual(["a.csv", "a.csv.manifest.json"]);
  });

  it("downloadAll(entries, name) is one .zip download of the current files and manifests", async () => {
    const { document, clicked } = recordingDocument();
    const exports = new PreparedExports(document);
    await exports.sink().accept(prepared("a.csv", "a"), run("c1").caller);
    await exports.sink().accept(prepared("b.csv", "b"), run("c2").caller);
    exports.downloadAll(exports.list, "nb_exports.zip");
    expect(clicked).toEqual(["nb_exports.zip"]);
    expect(() => exports.downloadAll([], "none.zip")).toThrow(/No current exports/);
  });
});
