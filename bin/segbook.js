#!/usr/bin/env node
// Entry point of the `segbook` command: runs the TypeScript sources through tsx, so the CLI and the
// workbench share one code base with no separate build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
// The run is over and reported; a timer or socket a notebook left behind (a cell that never settled)
// must not keep the process, and so a CI job, alive. The unref'd timer fires only if something does.
setTimeout(() => process.exit(), 1000).unref();
