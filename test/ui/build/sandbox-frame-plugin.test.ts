/**
 * The sandbox frame's bundle (src/ui/build/sandbox-frame-plugin.ts): one classic script, because an
 * opaque-origin frame cannot load module scripts from a static site (no CORS) and may load nothing at
 * all: no `import`, no `import()`, no `import.meta`, no URL of a chunk or worker file.
 */
import { parse } from "acorn";
import { simple } from "acorn-walk";
import { describe, expect, test } from "vitest";
import { buildFrameBundle } from "../../../src/ui/build/sandbox-frame-plugin.ts";

describe("buildFrameBundle", () => {
  test("makes one classic script that imports and loads nothing", async () => {
    const { code, files } = await buildFrameBundle(true);
    // A module-only construct fails to parse as a script.
    const ast = parse(code, { ecmaVersion: "latest", sourceType: "script" });
    const dynamicImports: string[] = [];
    simple(ast, {
      ImportExpression: (node) => void dynamicImports.push(code.slice(node.start - 80, node.end + 40)),
      // `import.meta` only: `new.target` (Svelte's dev checks) is a MetaProperty too and is fine.
      MetaProperty: (node) => {
        if (node.meta.name === "import") dynamicImports.push(code.slice(node.start - 80, node.end + 40));
      },
    });
    expect(dynamicImports).toEqual([]);
    expect(code).not.toMatch(/new URL\([^)]*import\.meta|\/assets\//);
    expect(files.some((f) => f.endsWith("src/ui/sandbox/frame-main.ts"))).toBe(true);
    // seg's kernel worker is in it as text (started from a blob: URL in the frame), built from its files.
    expect(files.some((f) => f.endsWith("src/ui/kernel-worker.ts"))).toBe(true);
  });
});
