/**
 * ambientModule(): a package's declaration file as a `declare module "name" { … }` block that
 * TypeScript accepts in one global script, with relative imports renamed to module names.
 */
import ts from "typescript";
import { describe, expect, test } from "vitest";
import { ambientModule } from "../../../src/ui/build/ambient-modules.ts";

const resolve = (specifier: string) => (specifier === "./table.js" ? "pkg/dist/table" : undefined);

describe("ambientModule(name, text, resolve)", () => {
  test.each([
    {
      what: "relative specifiers become module names; `declare` inside the block goes",
      text: 'import { Table } from "./table.js";\nexport declare function from(x: unknown): Table;\n',
      expected:
        'declare module "pkg" {\nimport { Table } from "pkg/dist/table";\nexport function from(x: unknown): Table;\n\n}\n',
    },
    {
      what: "package specifiers stay; `import()` types are renamed too",
      text: 'export declare const t: import("./table.js").Table;\nexport type { X } from "other";\n',
      expected:
        'declare module "pkg" {\nexport const t: import("pkg/dist/table").Table;\nexport type { X } from "other";\n\n}\n',
    },
    {
      what: "a UMD global (`export as namespace`) goes",
      text: "export declare const version: string;\nexport as namespace Pkg;\n",
      expected: 'declare module "pkg" {\nexport const version: string;\n\n\n}\n',
    },
    {
      what: "a rest parameter's stray `?` goes (a grammar error outside skipLibCheck)",
      text: "export declare function f(...values?: number[]): void;\n",
      expected: 'declare module "pkg" {\nexport function f(...values: number[]): void;\n\n}\n',
    },
    {
      what: "a global script (no imports or exports) is returned as it is",
      text: "declare const GLOBAL: number;\n",
      expected: "declare const GLOBAL: number;\n",
    },
  ])("$what", ({ text, expected }) => {
    const out = ambientModule("pkg", text, resolve);
    expect(out).toBe(expected);
    const parsed = ts.createSourceFile("out.d.ts", out, ts.ScriptTarget.Latest, true);
    expect((parsed as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics).toEqual([]);
  });

  test("an unresolvable relative specifier is an error naming the module and the specifier", () => {
    expect(() => ambientModule("pkg", 'export * from "./missing.js";\n', resolve)).toThrow(
      'pkg: cannot resolve "./missing.js"',
    );
  });
});
