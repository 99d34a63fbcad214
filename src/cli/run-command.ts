/**
 * `segbook run` once its arguments are checked (run-args.ts): runs the notebook, writes `--out`, prints
 * one line per cell or the JSON report. main.ts imports this module only when a run starts, so
 * `segbook --help` and bad arguments never load the engines, the runtime or the report writers.
 */
import path from "node:path";
import { runNotebookFile, type CellReport, type RunReport } from "./run-notebook.ts";
import { reportHtml } from "./report-html.ts";
import { writeInside } from "./out-dir.ts";
import { fileSize } from "../seg/export-summary.ts";
import type { RunArgs } from "./run-args.ts";

/**
 * Runs the notebook as `args` says and prints the outcome. Exit codes: 0 every cell ok, 1 a cell
 * failed, was blocked or never settled, 2 the notebook could not be run (unreadable file, unknown
 * `--connection` name).
 * @example process.exitCode = await runCommand(parseRunArgs(["notebooks/rfm.md"]) as RunArgs);
 */
export async function runCommand(args: RunArgs): Promise<number> {
  const { file, json } = args;
  let run;
  try {
    run = await runNotebookFile(file, {
      engine: args.engine,
      threads: args.threads,
      data: args.data,
      connections: args.connections,
      ...(args.outDir !== undefined && { outDir: args.outDir }),
      ...(args.cellTimeoutSeconds !== undefined && { cellTimeoutSeconds: args.cellTimeoutSeconds }),
      ...(args.timeoutSeconds !== undefined && { timeoutSeconds: args.timeoutSeconds }),
      ...(args.allowHostAccess && { allowHostAccess: true }),
      ...(args.allowRead.length > 0 && { allowRead: args.allowRead }),
      onSettled: json ? undefined : (c) => console.log(formatLine(c)),
    });
  } catch (error) {
    console.error(`segbook run: cannot run ${file}: ${(error as Error).message}`);
    return 2;
  }
  const { report, session, close } = run;
  try {
    if (args.outDir !== undefined) {
      const out = args.outDir;
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
