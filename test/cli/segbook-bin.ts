/**
 * Running the `segbook` command from tests, from the repository root with TZ=UTC: the real bin script
 * in a child process (synchronously, or asynchronously so a test can run two at once), or in this
 * process through `main`, the function bin/segbook.js calls. A child process pays for a Node start
 * and loading the engine and runtime before the notebook's first cell, so tests use it only for the
 * commands as the README writes them; the rest run in-process.
 */
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { vi } from "vitest";
import { buildCli, buildState } from "../../bin/cli-build.js";

/** The repository root (commands run there, so notebook paths are relative to it). */
export const root = path.resolve(import.meta.dirname, "../..");
const bin = path.join(root, "bin/segbook.js");
const env = { ...process.env, TZ: "UTC" };

// The bin runs the compiled command (build/cli); after an edit it would rebuild on its first start
// and say so on stderr, in whichever test starts first. Rebuilt once here instead, so what tests see
// on stderr is the command's own (segbook-compiled.test.ts tests the rebuild itself).
if (buildState() !== "fresh") await buildCli();

/** What a `segbook` command did. */
export interface SegbookResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `segbook ...args` and waits for it. */
export function segbook(...args: string[]): SegbookResult {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: "utf8", env });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs `segbook ...args` without blocking the test's thread. */
export function segbookAsync(...args: string[]): Promise<SegbookResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Runs `segbook ...args` in this process, from the repository root, through the CLI's own `main`:
 * the exit code it returns (bin/segbook.js sets it as the process's) and what it printed on
 * console.log (stdout) and console.error (stderr). Calls must not overlap (they share the console
 * and the working directory), so await each.
 *
 * @example
 * const { code, stderr } = await segbookInProcess("run", "x.md", "--threads", "0");
 */
export async function segbookInProcess(...args: string[]): Promise<SegbookResult & { code: number }> {
  // Imported here, not at the top: files that only start processes need not load the CLI.
  const { main } = await import("../../src/cli/main.ts");
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...parts) => void out.push(parts.join(" ")));
  const error = vi.spyOn(console, "error").mockImplementation((...parts) => void err.push(parts.join(" ")));
  const cwd = process.cwd();
  process.chdir(root);
  try {
    const code = await main(args);
    // As a process would print them: one line per call.
    return { code, stdout: out.map((line) => `${line}\n`).join(""), stderr: err.map((line) => `${line}\n`).join("") };
  } finally {
    process.chdir(cwd);
    log.mockRestore();
    error.mockRestore();
  }
}
