/**
 * The `segbook` command as users start it, `node bin/segbook.js …` in a child process, runs the CLI
 * compiled into build/cli/ (bin/cli-build.js): `--help` loads no engine, runtime or package; a
 * notebook runs through it, worker threads included, exactly as from the TypeScript sources; and an
 * edited source is never run stale. Which modules a process loaded is read from Node's own module
 * hooks (helpers/module-log.mjs), not inferred from timings: nothing here measures time.
 */
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildCli, buildState, EXTERNAL_PACKAGES, stampedInput } from "../../bin/cli-build.js";
import { root, segbookInProcess } from "./segbook-bin.ts";

const moduleLog = path.join(root, "test/cli/helpers/module-log.mjs");
const temporary: string[] = [];
const temp = (prefix: string) => {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
};

/** What a `segbook` process did, and the URLs of the modules it loaded. */
interface Started {
  code: number | null;
  stdout: string;
  stderr: string;
  modules: string[];
}

/** Starts `node <checkout>/bin/segbook.js ...args` from the repository root, with `env` added. */
function start(args: string[], options: { checkout?: string; env?: Record<string, string> } = {}): Promise<Started> {
  const log = path.join(temp("segbook-modules-"), "modules.txt");
  writeFileSync(log, "");
  const bin = path.join(options.checkout ?? root, "bin/segbook.js");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", pathToFileURL(moduleLog).href, bin, ...args], {
      cwd: root,
      env: { ...process.env, TZ: "UTC", SEGBOOK_TEST_MODULE_LOG: log, ...options.env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const modules = readFileSync(log, "utf8").split("\n").filter(Boolean);
      resolve({ code, stdout, stderr, modules });
    });
  });
}

/** The loaded modules under `folder` of the checkout (e.g. "build/cli/"), as paths from it. */
const loadedFrom = (modules: string[], folder: string, checkout = root) => {
  const prefix = pathToFileURL(path.join(checkout, folder)).href + "/";
  return modules.filter((url) => url.startsWith(prefix)).map((url) => url.slice(prefix.length));
};

/** A report with what differs from run to run (times) taken out. */
function withoutTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTimes);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== "durationMs")
        .map(([key, v]) => [key, withoutTimes(v)]),
    );
  }
  return value;
}

beforeAll(async () => {
  // What `npm ci` leaves (the prepare script); a build made stale by an edit is rebuilt first, so
  // these tests see the fast path (the rebuild itself is tested on a copy below).
  if (buildState() !== "fresh") await buildCli();
});

afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

describe("bin/segbook.js", () => {
  test("segbook --help prints the usage from build/cli/main.js and loads no package, engine or runtime", async () => {
    const started = await start(["--help"]);
    const inProcess = await segbookInProcess("--help");
    expect(started.code).toBe(0);
    expect(started.stderr).toBe("");
    expect(started.stdout).toBe(inProcess.stdout);
    expect(started.stdout).toMatch(/^usage: segbook run <notebook\.md> /);
    expect(started.stdout).toContain("usage: segbook generate --customers N --out DIR");
    expect(loadedFrom(started.modules, "build/cli")).toContain("main.js");
    // Compiled, and only the command's light start: no TypeScript source, no tsx, no package at all
    // (duckdb-wasm, arrow, arquero, Plot, linkedom), none of the run's chunks.
    expect(loadedFrom(started.modules, "src")).toEqual([]);
    expect(started.modules.filter((url) => url.includes("/node_modules/"))).toEqual([]);
    expect(loadedFrom(started.modules, "build/cli").filter((f) => /^(run-command|native|clickhouse)-/.test(f))).toEqual(
      [],
    );
  });

  test.each([
    [["--version"], 0, `segbook ${JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).version}\n`, ""],
    [["run", "x.md", "--engine", "gpu"], 2, "", 'segbook run: --engine expects wasm or native, got "gpu"\n'],
    [["run", "x.md", "--connection", "warehouse=ftp://ana:pw@x"], 2, "", 'the URL given for "warehouse" is not one'],
  ])("segbook %j exits %i at once, loading no package", async (args, code, stdout, stderr) => {
    const started = await start(args);
    expect(started.code).toBe(code);
    expect(started.stdout).toBe(stdout);
    if (stderr) expect(started.stderr).toContain(stderr);
    else expect(started.stderr).toBe("");
    expect(started.modules.filter((url) => url.includes("/node_modules/"))).toEqual([]);
  });

  test("segbook run <shipped notebook> --threads 2 --json through the compiled command equals the run from the sources", async () => {
    const args = ["run", "notebooks/psychographic.md", "--threads", "2", "--json"];
    const [compiled, sources] = await Promise.all([start(args), start(args, { env: { SEGBOOK_FROM_SOURCE: "1" } })]);
    for (const run of [compiled, sources]) {
      expect(run.stderr).toBe("");
      expect(run.code, run.stdout).toBe(0);
    }
    // Worker threads ran k-means restarts from the compiled kernel thread; nothing came from src/.
    expect(loadedFrom(compiled.modules, "build/cli")).toEqual(expect.arrayContaining(["main.js", "kernel-thread.js"]));
    expect(loadedFrom(compiled.modules, "src")).toEqual([]);
    expect(loadedFrom(sources.modules, "src")).toEqual(
      expect.arrayContaining(["cli/main.ts", "cli/thread-kernels.ts"]),
    );
    expect(loadedFrom(sources.modules, "build/cli")).toEqual([]);
    // Pure JavaScript packages run from the bundle's chunks: only the external ones load from node_modules.
    const packagesLoaded = new Set(
      compiled.modules
        .filter((url) => url.includes("/node_modules/"))
        .map((url) => stampedInput(`node_modules/${url.split("/node_modules/").pop()}`).slice(13, -13)),
    );
    expect([...packagesLoaded].filter((name) => !EXTERNAL_PACKAGES.includes(name))).toEqual([]);
    expect(loadedFrom(sources.modules, "node_modules")).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^@observablehq\/plot\//),
        expect.stringMatching(/^apache-arrow\//),
      ]),
    );
    const [a, b] = [JSON.parse(compiled.stdout), JSON.parse(sources.stdout)];
    expect(a.cells.length).toBeGreaterThan(5);
    expect(withoutTimes(a)).toEqual(withoutTimes(b));
  }, 240_000);
});

describe("bin/segbook.js on a checkout whose sources changed", () => {
  /** A checkout of its own (bin, src, package.json, tsconfig.json; node_modules linked): never built. */
  function checkout(): string {
    const dir = temp("segbook-checkout-");
    for (const part of ["bin", "src", "package.json", "tsconfig.json"]) {
      cpSync(path.join(root, part), path.join(dir, part), { recursive: true });
    }
    symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
    return dir;
  }
  const MAIN = "src/cli/main.ts";
  const edit = (dir: string, from: string, to: string) => {
    const file = path.join(dir, MAIN);
    const text = readFileSync(file, "utf8");
    expect(text).toContain(from);
    writeFileSync(file, text.replace(from, to));
  };

  test("builds a missing build, rebuilds after an edit with a note, and runs the edit", async () => {
    const dir = checkout();
    const first = await start(["--help"], { checkout: dir });
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(
      /^segbook: the command was not built yet; built it into build\/cli\/ \(\d+(\.\d)? s\)\n$/,
    );
    expect(loadedFrom(first.modules, "build/cli", dir)).toContain("main.js");

    const again = await start(["--help"], { checkout: dir });
    expect(again.stderr).toBe("");
    expect(again.stdout).toBe(first.stdout);
    // A fresh build is imported as is: esbuild is not even loaded.
    expect(again.modules.filter((url) => url.includes("/esbuild/"))).toEqual([]);

    edit(dir, "usage: segbook --version | --help", "usage: segbook --version | --help (edited)");
    const edited = await start(["--help"], { checkout: dir });
    expect(edited.stderr).toMatch(
      /^segbook: its sources changed since the last build; rebuilt it into build\/cli\/ \(\d+(\.\d)? s\)\n$/,
    );
    expect(edited.stdout).toContain("usage: segbook --version | --help (edited)");
    expect(loadedFrom(edited.modules, "src", dir)).toEqual([]);

    const afterEdit = await start(["--help"], { checkout: dir });
    expect(afterEdit.stderr).toBe("");
    expect(afterEdit.stdout).toBe(edited.stdout);
  }, 120_000);

  test("runs the sources through tsx, saying so, when the build cannot be written", async () => {
    const dir = checkout();
    // build/ is a file: build/cli can never be made (as on a read-only install).
    writeFileSync(path.join(dir, "build"), "");
    edit(dir, "usage: segbook --version | --help", "usage: segbook --version | --help (from source)");
    const started = await start(["--help"], { checkout: dir });
    expect(started.code).toBe(0);
    expect(started.stderr).toMatch(
      /^segbook: could not build it into build\/cli\/ \(.+\); running from the TypeScript sources instead \(slower start\)\n$/,
    );
    expect(started.stdout).toContain("usage: segbook --version | --help (from source)");
    expect(loadedFrom(started.modules, "src", dir)).toContain("cli/main.ts");
  }, 120_000);

  test("stampedInput(file) stands a bundled package's file for by the package's package.json, a source by itself", () => {
    expect(stampedInput("node_modules/d3-array/src/bisect.js")).toBe("node_modules/d3-array/package.json");
    expect(stampedInput("node_modules/@observablehq/plot/src/plot.js")).toBe(
      "node_modules/@observablehq/plot/package.json",
    );
    expect(stampedInput("node_modules/a/node_modules/b/index.js")).toBe("node_modules/a/node_modules/b/package.json");
    expect(stampedInput("src/cli/main.ts")).toBe("src/cli/main.ts");
  });

  test("buildState(dir) is stale once a source the command imports is deleted, missing without inputs.json", async () => {
    const dir = checkout();
    await buildCli(dir);
    expect(buildState(dir)).toBe("fresh");
    rmSync(path.join(dir, "src/cli/generate-usage.ts"));
    expect(buildState(dir)).toBe("stale");
    rmSync(path.join(dir, "build/cli/inputs.json"));
    expect(buildState(dir)).toBe("missing");
  }, 120_000);
});
