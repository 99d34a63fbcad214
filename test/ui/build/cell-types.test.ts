/**
 * The editor's declarations generated from the source (generateCellTypes): they name exactly what
 * the runtime gives a cell, type `seg`'s options and results from the functions themselves, give
 * `aq` and `Plot` their packages' own types, compile on their own, and are reused from the cache
 * only while no input file changed.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ts from "typescript";
import { beforeAll, describe, expect, test, vi } from "vitest";
import { cacheFile, generateCellTypes, readCache } from "../../../src/ui/build/cell-types.ts";
import { typeCheckNotebook } from "../../../src/ui/build/notebook-type-check.ts";
import { segLibrary } from "../../../src/seg/library.ts";
import { builtinNames } from "../../../src/runtime/builtins.ts";
import { createSeg } from "../../../src/seg/namespace.ts";
import { repoRoot } from "../../helpers/session.ts";

let declarations = "";
beforeAll(() => {
  declarations = generateCellTypes(repoRoot).text;
}, 180_000);

/** The type errors of one TS cell in a notebook with `orders` as its data, as `TS<code>: message`. */
function errorsOf(cell: string): string[] {
  const text = `---\ntitle: T\nformat: 1\ndata:\n  orders: data/orders.csv\n---\n\n\`\`\`ts\n${cell}\n\`\`\`\n`;
  return typeCheckNotebook(text, declarations).map((e) => `TS${e.code}: ${e.message}`);
}

describe("generateCellTypes(root)", () => {
  test("declares one global per builtin the runtime gives a cell, and no other", () => {
    const declared = [...declarations.matchAll(/^declare const (\w+): import\("[^"]+\/cell-scope"\)\.CellScope/gm)];
    const runtime = builtinNames({ aq: {}, Plot: {}, Inputs: {} }, { seg: segLibrary() });
    expect(declared.map((m) => m[1]).sort()).toEqual([...runtime].sort());
  });

  test("seg's declared members are exactly createSeg's (a Record over keyof typeof seg with every runtime name)", () => {
    const names = Object.keys(createSeg({ db: {} as never, seed: 1 }));
    expect(names.length).toBeGreaterThan(20);
    // Missing a declared name, or naming one that is not declared, is a type error.
    const cell = `const every: Record<keyof typeof seg, true> = { ${names.map((n) => `${n}: true`).join(", ")} };`;
    expect(errorsOf(cell)).toEqual([]);
    expect(
      errorsOf(
        `const every: Record<keyof typeof seg, true> = { ${names
          .slice(1)
          .map((n) => `${n}: true`)
          .join(", ")} };`,
      ),
    ).toEqual([expect.stringMatching(new RegExp(`TS2741: Property '${names[0]}' is missing`))]);
  });

  test("a cell using every builtin type-checks", () => {
    const cell = [
      "const t = await db.query('SELECT 1 AS x', [1]);",
      "const rows = await t.rows(5);",
      "const u = await sql`SELECT ${seed} AS s`;",
      "display(md`**${u.numRows}** ${random()}`);",
      "const k: number = view(Inputs.range([2, 12], { step: 1, value: 5 }));",
      "const km = await seg.kmeans(orders, { features: ['amount'], k });",
      "const table = await aq.table({ a: [1] }); const chart = Plot.plot({ marks: [Plot.dot(table, { x: 'a' })] });",
      "invalidation.then(() => {});",
    ].join("\n");
    expect(errorsOf(cell)).toEqual([]);
  });

  test("seg's options and results come from the source: a clustering result has `model`, a misspelt option is an error", () => {
    expect(
      errorsOf("const km = await seg.kmeans(orders, { features: ['amount'], k: 3 }); const m: number = km.model.k;"),
    ).toEqual([]);
    expect(errorsOf("await seg.kmeans(orders, { features: ['amount'], k: 3, seeed: 1 });")).toEqual([
      expect.stringMatching(/^TS2561: .*'seeed'.*Did you mean to write 'seed'\?/),
    ]);
  });

  test("toSQL is typed on models and rule sets: the dialect is one of the two", () => {
    const fit = "const km = await seg.kmeans(orders, { features: ['amount'], k: 3, id: 'customer_id' });";
    const rfm = "const r = await seg.rfm(orders, { id: 'customer_id', date: 'order_date', amount: 'amount' });";
    expect(
      errorsOf(
        `${fit}\n${rfm}\nconst a: string = km.model.toSQL({ dialect: 'clickhouse', table: ['db', 'orders'], as: 'segment' });\nconst b: string = r.toSQL({ dialect: 'duckdb', table: 'orders' });`,
      ),
    ).toEqual([]);
    expect(errorsOf(`${fit}\nkm.model.toSQL({ dialect: 'postgres', table: 'orders' });`)).toEqual([
      expect.stringMatching(/^TS2322: Type '"postgres"' is not assignable to type 'SqlDialect'/),
    ]);
  });

  test("aq and Plot have their packages' own declarations, JSDoc included", () => {
    expect(
      errorsOf("const n: number = aq.table({ a: [1, 2] }).numRows(); const mark = Plot.dot([], { x: 'a' });"),
    ).toEqual([]);
    expect(errorsOf("aq.tabel({ a: [1] });")).toEqual([
      expect.stringMatching(/TS2551: Property 'tabel' does not exist/),
    ]);
    expect(errorsOf("Plot.plot({ marks: [], widht: 3 });")).toEqual([expect.stringMatching(/'widht'/)]);
    expect(declarations).toMatch(/declare module "arquero"/);
    expect(declarations).toMatch(/declare module "@observablehq\/plot"/);
  });

  test("the declarations compile on their own with the editor's libraries", () => {
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ESNext,
      lib: ["lib.esnext.d.ts", "lib.dom.d.ts"],
      types: [],
      noEmit: true,
    };
    const host = ts.createCompilerHost(options);
    const read = host.getSourceFile.bind(host);
    host.getSourceFile = (name, version) =>
      name === "/cell-types.d.ts" ? ts.createSourceFile(name, declarations, version, true) : read(name, version);
    const program = ts.createProgram(["/cell-types.d.ts"], options, host);
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map((d) => `${d.file?.fileName}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    expect(problems).toEqual([]);
  });

  test("readCache(file) returns the cached text while every input (sources, generator) is unchanged, undefined once one changed", () => {
    generateCellTypes(repoRoot);
    const entry = JSON.parse(fs.readFileSync(cacheFile(repoRoot), "utf8")) as { inputs: Record<string, string> };
    expect(Object.keys(entry.inputs)).toEqual(
      expect.arrayContaining([
        path.join(repoRoot, "src/seg/namespace.ts"),
        path.join(repoRoot, "src/seg/kmeans.ts"),
        path.join(repoRoot, "src/ui/build/cell-types.ts"),
      ]),
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cell-types-"));
    try {
      const copy = path.join(dir, "cache.json");
      fs.copyFileSync(cacheFile(repoRoot), copy);
      expect(readCache(copy, repoRoot)).toEqual({
        text: declarations,
        inputs: Object.keys(entry.inputs),
        cached: true,
      });
      // The same entry read for another project (a copied node_modules) is not that project's.
      expect(readCache(copy, path.join(dir, "other-checkout"))).toBeUndefined();
      const kmeans = path.join(repoRoot, "src/seg/kmeans.ts");
      fs.writeFileSync(copy, JSON.stringify({ ...entry, inputs: { ...entry.inputs, [kmeans]: "0".repeat(64) } }));
      expect(readCache(copy, repoRoot)).toBeUndefined();
      fs.writeFileSync(copy, JSON.stringify({ ...entry, typescript: "0.0.0" }));
      expect(readCache(copy, repoRoot)).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });
});

describe("generateCellTypes(root) and a file saved while it generates", () => {
  /** A project of one cell-scope file (plus the generator's files, which are inputs too). */
  function tinyProject(answer: string): { root: string; scope: string } {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "cell-types-race-"));
    const scope = path.join(root, "src/ui/editor/cell-scope.ts");
    fs.mkdirSync(path.dirname(scope), { recursive: true });
    fs.writeFileSync(scope, `export interface CellScope {\n  /** The answer. */\n  answer: ${answer};\n}\n`);
    for (const file of [
      "src/ui/types/observablehq-inputs.d.ts",
      "src/ui/build/cell-types.ts",
      "src/ui/build/ambient-modules.ts",
    ]) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.copyFileSync(path.join(repoRoot, file), path.join(root, file));
    }
    return { root, scope };
  }

  test("the cache keeps the hash of the text the compiler read, so the next call regenerates from the saved file", () => {
    const { root, scope } = tinyProject("number");
    const realRead = fs.readFileSync;
    // The compiler reads cell-scope.ts (without an encoding); right after, the file is saved with a
    // new type, before the generator writes its cache.
    const spy = vi.spyOn(fs, "readFileSync").mockImplementation(((file: fs.PathOrFileDescriptor, options?: unknown) => {
      const text = realRead(file, options as undefined);
      if (file === scope && options === undefined) {
        spy.mockRestore();
        fs.writeFileSync(scope, fs.readFileSync(scope, "utf8").replace("answer: number", "answer: string"));
      }
      return text;
    }) as typeof fs.readFileSync);
    try {
      const first = generateCellTypes(root);
      expect(fs.readFileSync(scope, "utf8")).toContain("answer: string"); // the save happened
      expect(first.text).toContain("CellScope");
      const second = generateCellTypes(root);
      // Served from a cache made of the old text, the declarations would still say number.
      expect(second.cached).toBe(false);
      const types = (text: string) => /answer: (\w+)/.exec(text.slice(text.indexOf("interface CellScope")))?.[1];
      expect(types(first.text)).toBe("number");
      expect(types(second.text)).toBe("string");
      expect(generateCellTypes(root).cached).toBe(true);
    } finally {
      spy.mockRestore();
      fs.rmSync(root, { recursive: true });
    }
  }, 120_000);

  test("a cache copied from another checkout (with its node_modules) is not used: the declarations are this checkout's", () => {
    const a = tinyProject("number");
    const b = tinyProject("string");
    try {
      expect(generateCellTypes(a.root).cached).toBe(false);
      fs.mkdirSync(path.dirname(cacheFile(b.root)), { recursive: true });
      fs.copyFileSync(cacheFile(a.root), cacheFile(b.root));
      // The copy's inputs are a's files, all unchanged: only the project it was made for tells them apart.
      const types = generateCellTypes(b.root);
      expect(types.cached).toBe(false);
      expect(/answer: (\w+)/.exec(types.text.slice(types.text.indexOf("interface CellScope")))?.[1]).toBe("string");
    } finally {
      fs.rmSync(a.root, { recursive: true });
      fs.rmSync(b.root, { recursive: true });
    }
  }, 120_000);
});
