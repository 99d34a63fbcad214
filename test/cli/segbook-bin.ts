/**
 * Running the real `segbook` command (bin/segbook.js) from tests, from the repository root with
 * TZ=UTC: synchronously, or asynchronously so a test can run two at once.
 */
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";

/** The repository root (commands run there, so notebook paths are relative to it). */
export const root = path.resolve(import.meta.dirname, "../..");
const bin = path.join(root, "bin/segbook.js");
const env = { ...process.env, TZ: "UTC" };

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
