/**
 * The layer rule (scripts/eslint-layers.js, set up in eslint.config.js) through ESLint's own API and
 * the repository's real config: each import below is linted as if it were in the named file, so the
 * test fails if the rule, its table or its config block goes.
 */
import path from "node:path";
import { ESLint } from "eslint";
import { beforeAll, expect, test } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

/** The layer and purity messages ESLint gives `code` as the file `file` (other rules ignored). */
async function layerMessages(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages
    .filter((m) => m.ruleId === "layers/imports" || m.ruleId === "no-restricted-globals")
    .map((m) => m.message);
}

test.each([
  [
    "src/seg/probe.ts",
    'import { hashString } from "../runtime/random.ts";\nhashString("");',
    "src/seg may not import src/runtime",
  ],
  ["src/runtime/probe.ts", 'export { createSeg } from "../seg/namespace.ts";', "src/runtime may not import src/seg"],
  [
    "src/runtime/probe.ts",
    'export type Seg = typeof import("../seg/namespace.ts");',
    "src/runtime may not import src/seg",
  ],
  [
    "src/runtime/probe.ts",
    'export const seg = () => import("../seg/namespace.ts");',
    "src/runtime may not import src/seg",
  ],
  ["src/cli/probe.ts", 'export * from "../ui/notebook-url.ts";', "src/cli may not import src/ui"],
  ["src/report/probe.ts", 'export * from "../ui/notebook-url.ts";', "src/report may not import src/ui"],
  ["src/ui/editor/probe.ts", 'export * from "../../cli/main.ts";', "src/ui may not import src/cli"],
  ["src/engine/probe.ts", 'export * from "../notebook/index.ts";', "src/engine may not import src/notebook"],
  ["src/notebook/probe.ts", 'export * from "../runtime/index.ts";', "src/notebook may not import src/runtime"],
  ["src/engine/probe.ts", 'export { mount } from "svelte";', "src/engine is pure (no DOM, no Svelte)"],
  ["src/seg/probe.ts", 'export { default } from "../ui/App.svelte";', "src/seg is pure (no DOM, no Svelte)"],
  ["src/runtime/probe.ts", 'export * from "../ui/cell-ui.svelte.ts";', "src/runtime is pure (no DOM, no Svelte)"],
  ["src/seg/probe.ts", "export const el = document.createElement('div');", "this folder is pure (no DOM)"],
  ["src/widgets/probe.ts", "export const x = 1;", "src/widgets has no place in LAYERS"],
])("ESLint reports %s with %j", async (file, code, expected) => {
  const messages = await layerMessages(file, code);
  expect(messages).toHaveLength(1);
  expect(messages[0]).toContain(expected);
});

test.each([
  ["src/seg/probe.ts", 'export { hashString } from "../random/index.ts";'],
  ["src/runtime/probe.ts", 'export { hashString } from "../random/index.ts";\nexport * from "./session.ts";'],
  ["src/ui/editor/probe.ts", 'export * from "../../runtime/index.ts";\nexport * from "../../seg/library.ts";'],
  ["src/cli/probe.ts", 'export * from "../report/value-html.ts";\nexport * from "../seg/library.ts";'],
  ["src/main.ts", 'import App from "./ui/App.svelte";\nexport { App };'],
  ["src/ui/probe.svelte.ts", 'export { mount } from "svelte";'],
])("ESLint allows %s to import %j", async (file, code) => {
  expect(await layerMessages(file, code)).toEqual([]);
});
