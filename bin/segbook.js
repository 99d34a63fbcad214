#!/usr/bin/env node
// Entry point of the `segbook` command. It runs the CLI compiled into build/cli/ (bin/cli-build.js,
// run by `npm ci` and `npm run build`): plain JavaScript that loads only what the command needs, so a
// start is Node's start plus those modules, not tsx transpiling the sources' whole import graph.
//
// Never stale, never silently: before each start the build's recorded inputs are compared with the
// sources (one stat per file). When a source changed, or the build is missing (`npm ci
// --ignore-scripts`, a fresh clone), the command is rebuilt on the spot, with a one-line note on
// stderr, and the developer runs what they just wrote; the next start is fast again. Rebuilding beats
// falling back to the sources every time: an edit costs one build (a second or two of esbuild,
// packages included) instead of tsx's seconds at every start until someone remembers `npm run
// build`. Only when building is impossible (a read-only install, esbuild missing) does the command
// run from the TypeScript sources through tsx, saying so. SEGBOOK_FROM_SOURCE=1 asks for the sources outright.
import { buildCli, buildState, OUT_DIR } from "./cli-build.js";

/** The CLI's `main`, compiled when possible. */
async function loadMain() {
  if (process.env.SEGBOOK_FROM_SOURCE === "1") return fromSources();
  const state = buildState();
  if (state !== "fresh") {
    try {
      const seconds = await buildCli();
      const what =
        state === "missing"
          ? "the command was not built yet; built it"
          : "its sources changed since the last build; rebuilt it";
      console.error(`segbook: ${what} into ${OUT_DIR}/ (${seconds} s)`);
    } catch (error) {
      return fromSources(`could not build it into ${OUT_DIR}/ (${firstLine(error)})`);
    }
  }
  try {
    return (await import("../build/cli/main.js")).main;
  } catch (error) {
    // A build another process was replacing at this very moment; the next start rebuilds if needed.
    if (error?.code !== "ERR_MODULE_NOT_FOUND") throw error;
    return fromSources(`its build in ${OUT_DIR}/ is incomplete (${firstLine(error)})`);
  }
}

/** The CLI's `main` from the TypeScript sources, through tsx; `why` is said on stderr when given. */
async function fromSources(why) {
  if (why) console.error(`segbook: ${why}; running from the TypeScript sources instead (slower start)`);
  const { register } = await import("tsx/esm/api");
  register();
  return (await import("../src/cli/main.ts")).main;
}

function firstLine(error) {
  return String(error?.message ?? error).split("\n")[0];
}

const main = await loadMain();
process.exitCode = await main(process.argv.slice(2));
// The run is over and reported; a timer or socket a notebook left behind (a cell that never settled)
// must not keep the process, and so a CI job, alive. The unref'd timer fires only if something does.
setTimeout(() => process.exit(), 1000).unref();
