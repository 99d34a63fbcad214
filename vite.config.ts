/**
 * Vite config for the Segbook workbench (a static site) and Vitest's test projects: unit (files
 * sharing worker processes), unit-isolated (a process per file) and browser.
 */
import os from "node:os";
import path from "node:path";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { configDefaults, defineConfig } from "vitest/config";
import { cellTypesPlugin } from "./src/ui/build/cell-types-plugin.ts";
import { duckdbWorkerPlugin } from "./src/ui/build/duckdb-worker-plugin.ts";
import { notebooksPlugin } from "./src/ui/build/notebooks-plugin.ts";
import { referencePlugin } from "./src/ui/build/reference-plugin.ts";
import { sandboxFramePlugin } from "./src/ui/build/sandbox-frame-plugin.ts";

const root = import.meta.dirname;

/**
 * Set only when the browser tests start the dev server (test/browser/helpers/dev-server.ts): it then
 * also serves the test fixtures and test notebooks, and keeps its dependency cache apart from the one
 * of a dev server you may have running.
 */
const testSite = Boolean(process.env.SEGBOOK_TEST_SITE);

/**
 * Unit test files that get a process of their own: they change the process for good (`segbook run`
 * seals the realm's intrinsics, see src/cli/seal-realm.ts) or replace modules, timers and globals.
 */
const ISOLATED = [
  "test/cli/**/*.test.ts",
  "test/runtime/data-notes.test.ts",
  // A wasm panic marks parquet-wasm broken for the rest of the process (load-parquet.ts).
  "test/engine/parquet-wasm-panic.test.ts",
  "test/engine/sha256.test.ts",
  "test/seg/kmeans-kernel.test.ts",
  "test/seg/as-of.test.ts",
  "test/seg/scorecard.test.ts",
];

/** What both unit projects share. */
const unitTests = {
  environment: "node",
  // Vitest's default is one worker fewer than the cores: one on a 2-core machine. The main
  // process is idle while tests run, so two files at a time there: measured 150 s -> 78 s
  // for test/seg, test/notebook and test/format, same CPU time.
  maxWorkers: Math.max(2, os.availableParallelism() - 1),
  // Tests start real engines and read real datasets: generous limits so a busy 2-core CI
  // machine does not fail them. They are not performance checks (see npm run bench).
  testTimeout: 60_000,
  hookTimeout: 60_000,
} as const;

export default defineConfig({
  // Relative base: the built site works from any sub-path (GitHub Pages, a folder on a file server).
  base: "./",
  plugins: [
    svelte(),
    notebooksPlugin(path.join(root, "notebooks")),
    // The editor's declarations for TS cells, generated from the source (cached).
    cellTypesPlugin(root),
    // duckdb-wasm's worker scripts with the main module linked lazily (src/engine/duckdb-link-patch.ts).
    duckdbWorkerPlugin(),
    // The reference generated from the source, at reference/ in the site (and the dev server).
    referencePlugin(),
    // The cell sandbox's classic bundle, as text the app passes into the frame (docs/sandbox.md).
    sandboxFramePlugin(),
    testSite && import("./test/browser/helpers/dev-test-plugin.ts").then((m) => m.devTestPlugin()),
  ],
  ...(testSite && { cacheDir: path.join(root, "node_modules/.vite-test-site") }),
  resolve: {
    alias: [
      // The inspector's package "exports" hide its stylesheet; point at the file itself.
      {
        find: "@observablehq/inspector/dist/inspector.css",
        replacement: path.join(root, "node_modules/@observablehq/inspector/dist/inspector.css"),
      },
    ],
  },
  worker: { format: "es" },
  build: {
    // Monaco and its TypeScript worker are large by nature; they load lazily, after first paint.
    chunkSizeWarningLimit: 8000,
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          ...unitTests,
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, "test/browser/**", ...ISOLATED],
          // One process per worker runs file after file: modules are imported and duckdb-wasm is
          // compiled once per worker instead of once per file (import time was 140 s of 491 s).
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          ...unitTests,
          name: "unit-isolated",
          include: ISOLATED,
        },
      },
      {
        extends: true,
        test: {
          name: "browser",
          environment: "node",
          include: ["test/browser/**/*.test.ts"],
          // One Chromium at a time: the tests share a built site and are heavy (DuckDB-wasm, Monaco).
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
