// @ts-check
/**
 * The first step of `npm test`: in well under a second, checks that the machine can run the tests
 * (Node.js version, `npm ci` done, Debian's Chromium, the shared datasets) and either installs
 * Chromium (as root on Debian, as .ci/run does) or stops at once saying what to run, instead of
 * failing after minutes of type checks and unit tests. The checks are in preflight-checks.js.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { gatherFacts, runPreflight } from "./preflight-checks.js";

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), "..");

process.exitCode = runPreflight({
  gather: () => gatherFacts(root),
  run: (command, args) =>
    spawnSync(command, args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } }).status ??
    1,
  log: (message) => console.error(message),
});
