/**
 * `segbook` command line. `segbook run <notebook.md> [--data NAME=PATH]... [--out DIR] [--json]`
 * runs a notebook headless and exits non-zero naming the first failing cell; `segbook generate`
 * writes the realistic demo shop (see generate-command.ts).
 */
import os from "node:os";
import path from "node:path";
import { writeInside } from "./out-dir.ts";
import { parseArgs } from "node:util";
import { runNotebookFile, type CellReport, type RunReport } from "./run-notebook.ts";
import { reportHtml } from "./report-html.ts";
import { generateCommand, GENERATE_USAGE } from "./generate-command.ts";
import { fileSize } from "../seg/export-summary.ts";
import { DEFAULT_RUN_TIMEOUT_SECONDS } from "./settle-or-stop.ts";
import { parseConnectionFlags, type ConnectionOverride } from "./cli-connections.ts";

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

${GENERATE_USAGE}`;

/**
 * Exit codes: 0 every cell ok, 1 a cell failed, was blocked or never settled (the run timed out, or a
 * cell awaits what can never happen), 2 bad usage or unreadable notebook.
 */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "--help" || command === "-h" || command === "help") {
    console.log(USAGE);
    return 0;
  }
  if (command === "generate") return generateCommand(rest);
  if (command !== "run") {
    console.error(command ? `segbook: unknown command "${command}"\n\n${USAGE}` : USAGE);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        data: { type: "string", multiple: true },
        out: { type: "string" },
        json: { type: "boolean" },
        "cell-timeout": { type: "string" },
        timeout: { type: "string" },
        engine: { type: "string" },
        "allow-host-access": { type: "boolean" },
        "allow-read": { type: "string", multiple: true },
        threads: { type: "string" },
        connection: { type: "string", multiple: true },
      },
    });
  } catch (error) {
    console.error(`segbook run: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length) {
    console.error(`segbook run: expected exactly one notebook file\n\n${USAGE}`);
    return 2;
  }
  const data: Record<string, string> = {};
  for (const entry of parsed.values.data ?? []) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(entry);
    if (!match) {
      console.error(`segbook run: --data expects NAME=PATH (e.g. --data orders=./orders.csv), got "${entry}"`);
      return 2;
    }
    data[match[1]!] = match[2]!;
  }
  let connections: Record<string, ConnectionOverride>;
  try {
    connections = parseConnectionFlags(parsed.values.connection ?? []);
  } catch (error) {
    console.error(`segbook run: ${(error as Error).message}`);
    return 2;
  }
  const json = parsed.values.json === true;
  const timeout = parsed.values["cell-timeout"];
  const cellTimeoutSeconds = timeout === undefined ? undefined : Number(timeout);
  if (cellTimeoutSeconds !== undefined && !(cellTimeoutSeconds > 0)) {
    console.error(
      `segbook run: --cell-timeout expects a number of seconds above 0 (e.g. --cell-timeout 60), got "${timeout}"`,
    );
    return 2;
  }
  const runTimeout = parsed.values.timeout;
  const timeoutSeconds = runTimeout === undefined ? undefined : Number(runTimeout);
  if (timeoutSeconds !== undefined && !(timeoutSeconds > 0 && Number.isFinite(timeoutSeconds))) {
    console.error(
      `segbook run: --timeout expects a number of seconds above 0 (e.g. --timeout 600), got "${runTimeout}"`,
    );
    return 2;
  }
  const engine = parsed.values.engine ?? "wasm";
  if (engine !== "wasm" && engine !== "native") {
    console.error(`segbook run: --engine expects wasm or native, got "${engine}"`);
    return 2;
  }
  const threadsText = parsed.values.threads;
  const threads = threadsText === undefined ? Math.min(4, os.availableParallelism()) : Number(threadsText);
  if (!Number.isInteger(threads) || threads < 1) {
    console.error(
      `segbook run: --threads expects a whole number of threads, 1 or more (e.g. --threads 4), got "${threadsText}"`,
    );
    return 2;
  }
  let run;
  try {
    run = await runNotebookFile(file, {
      engine,
      threads,
      data,
      connections,
      ...(parsed.values.out ? { outDir: parsed.values.out } : {}),
      ...(cellTimeoutSeconds !== undefined && { cellTimeoutSeconds }),
      ...(timeoutSeconds !== undefined && { timeoutSeconds }),
      ...(parsed.values["allow-host-access"] && { allowHostAccess: true }),
      ...(parsed.values["allow-read"] && { allowRead: parsed.values["allow-read"] }),
      onSettled: json ? undefined : (c) => console.log(formatLine(c)),
    });
  } catch (error) {
    console.error(`segbook run: cannot run ${file}: ${(error as Error).message}`);
    return 2;
  }
  const { report, session, close } = run;
  try {
    if (parsed.values.out) {
      const out = parsed.values.out;
      await writeInside(out, "report.json", `${JSON.stringify(report, null, 2)}\n`);
      await writeInside(out, "report.html", await reportHtml(run.notebook, session));
    }
  } catch (error) {
    // E.g. a link planted in --out (out-dir.ts): said plainly, and the run fails.
    console.error(`segbook run: ${(error as Error).message}`);
    report.ok = false;
  } finally {
    await close();
  }
  if (json) console.log(JSON.stringify(report, null, 2));
  else console.log(summary(report));
  return report.ok ? 0 : 1;
}

function formatLine(c: CellReport): string {
  const time = c.durationMs === undefined ? "" : ` ${c.durationMs.toFixed(0)} ms`;
  const detail = c.error ? `: ${c.error.message}` : c.blockedBy?.length ? `: blocked by ${c.blockedBy.join(", ")}` : "";
  const notes = (c.notes ?? []).map((note) => `\n        note: ${note}`).join("");
  const exports = (c.exports ?? []).map((e) => `\n        export: ${exportLine(e)}`).join("");
  return `${c.status.padEnd(7)} ${c.label}${time}${detail}${notes}${exports}`;
}

/** `segments.csv (4,312 rows, 182 KB) prepared, not written; add --out DIR to write it and its manifest`. */
function exportLine(e: NonNullable<CellReport["exports"]>[number]): string {
  const what = `${e.file} (${e.rows.toLocaleString("en-US")} rows, ${fileSize(e.bytes)})`;
  if (e.location === null) return `${what} prepared, not written; add --out DIR to write it and its manifest`;
  return `${what} written to ${path.relative(process.cwd(), e.location) || e.location} with its manifest`;
}

function summary(report: RunReport): string {
  const lines: string[] = [];
  for (const issue of report.issues) lines.push(`${issue.severity} ${report.notebook}:${issue.line}: ${issue.message}`);
  const failed = report.cells.filter((c) => c.status !== "ok").length;
  if (report.unsettled) {
    const why =
      report.unsettled.reason === "timeout"
        ? "the run timed out (--timeout) with cells still running"
        : "cells never settled (they await a promise nothing is left to resolve)";
    lines.push(`FAILED ${report.notebook}: ${why}: ${report.unsettled.cells.join(", ")}`);
  } else if (report.firstFailure) {
    const f = report.firstFailure;
    const at = f.error?.fileLine ? `:${f.error.fileLine}${f.error.column ? `:${f.error.column}` : ""}` : "";
    lines.push(`FAILED ${report.notebook}${at}: ${f.label} failed: ${f.error?.message ?? "blocked"}`);
  } else if (!report.ok && failed === 0) {
    lines.push(`FAILED ${report.notebook}: the notebook has format errors; see above`);
  } else if (!report.ok) {
    lines.push(`FAILED ${report.notebook}: ${failed} cell(s) did not run; see the format errors above`);
  } else {
    lines.push(`ok ${report.notebook}: ${report.cells.length} cells in ${report.durationMs.toFixed(0)} ms`);
  }
  return lines.join("\n");
}
