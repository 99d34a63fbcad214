/**
 * `segbook` command line. `segbook run <notebook.md> [--data NAME=PATH]... [--out DIR] [--json]`
 * runs a notebook headless and exits non-zero naming the first failing cell; `segbook generate`
 * writes the realistic demo shop (see generate-command.ts).
 *
 * Start-up is the user's first impression and CI pays it on every call: this module and what it
 * imports statically stay light (usage, argument checks, no packages), so `--help`, `--version` and
 * bad arguments answer at once. A run's engines, runtime and report writers (run-command.ts) and the
 * generator are imported only when a command needs them.
 */
import { GENERATE_USAGE } from "./generate-usage.ts";
import { DEFAULT_RUN_TIMEOUT_SECONDS } from "./settle-or-stop.ts";
import { parseRunArgs } from "./run-args.ts";
import { appVersion } from "./app-version.ts";

const USAGE = `usage: segbook run <notebook.md> [--data NAME=PATH]... [--out DIR] [--json] [--cell-timeout SECONDS]
                  [--timeout SECONDS] [--engine wasm|native] [--threads N] [--connection NAME=URL]...
                  [--allow-read DIR]... [--allow-host-access]

  --data NAME=PATH  load PATH as table NAME instead of the front matter's source (repeatable)
  --out DIR         write report.json, report.html (text and outputs) and seg.export files into DIR
                    (without it, exports are prepared and listed, not written)
  --json            print a machine-readable report instead of one line per cell
  --cell-timeout S  stop a cell whose loop runs S seconds without pausing (default: never)
  --timeout S       fail the run, naming the cells still running, when it has not finished after
                    S seconds (default: ${DEFAULT_RUN_TIMEOUT_SECONDS})
  --engine E        wasm (default: duckdb-wasm, as in the browser) or native (native DuckDB, all cores)
  --threads N       worker threads for k-means restarts and silhouettes (default: the cores, up to 4;
                    1 runs them in-process); results are the same whatever N
  --connection NAME=URL  run remote SQL cells (engine=NAME) against URL instead of the front matter's
                    (repeatable); a user and password in URL (https://user:pw@host) are used to log in
                    and never printed; otherwise they come from SEGBOOK_<NAME>_USER and
                    SEGBOOK_<NAME>_PASSWORD (NAME in capitals)
  --allow-read DIR  let front matter data paths name files in DIR (default: only the notebook's
                    folder; --data NAME=PATH names one file) (repeatable)
  --allow-host-access  let cells reach the host: TS/JS cells the environment, files, processes and
                    network, SQL cells files, network and extensions, data paths anywhere (default:
                    cells are sandboxed and DuckDB is locked down once the data sources load);
                    notebooks are code: use it only for notebooks you trust

${GENERATE_USAGE}

usage: segbook --version | --help`;

/**
 * Runs the `segbook` command with the arguments after its name (what bin/segbook.js passes).
 * Exit codes: 0 every cell ok, 1 a cell failed, was blocked or never settled (the run timed out, or a
 * cell awaits what can never happen), 2 bad usage or unreadable notebook.
 * @example process.exitCode = await main(process.argv.slice(2));
 */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "--help" || command === "-h" || command === "help") {
    console.log(USAGE);
    return 0;
  }
  if (command === "--version" || command === "-v") {
    console.log(`segbook ${appVersion() ?? "(version unknown: package.json unreadable)"}`);
    return 0;
  }
  if (command === "generate") return (await import("./generate-command.ts")).generateCommand(rest);
  if (command !== "run") {
    console.error(command ? `segbook: unknown command "${command}"\n\n${USAGE}` : USAGE);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  const args = parseRunArgs(rest);
  if ("error" in args) {
    console.error(`segbook run: ${args.error}${args.usage ? `\n\n${USAGE}` : ""}`);
    return 2;
  }
  // The engine starts compiling while the run's other modules load (engine-start.ts).
  const { startEngineEarly, takeEarlyEngine } = await import("./engine-start.ts");
  startEngineEarly(args.engine);
  try {
    return await (await import("./run-command.ts")).runCommand(args);
  } finally {
    // A run that failed before it took the engine (unreadable notebook, unknown --connection) closes it.
    await takeEarlyEngine(args.engine)
      ?.then((engine) => engine.close())
      .catch(() => undefined);
  }
}
