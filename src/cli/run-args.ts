/**
 * The arguments of `segbook run`, checked before anything heavy loads: a mistyped flag is answered
 * at once, without starting an engine. Pure: no console, no process.
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { parseConnectionFlags, type ConnectionOverride } from "./connection-flags.ts";

/** What `segbook run` was asked to do, every flag checked. */
export interface RunArgs {
  file: string;
  data: Record<string, string>;
  connections: Record<string, ConnectionOverride>;
  outDir: string | undefined;
  json: boolean;
  cellTimeoutSeconds: number | undefined;
  timeoutSeconds: number | undefined;
  engine: "wasm" | "native";
  threads: number;
  allowHostAccess: boolean;
  /** Folders front matter data paths may name besides the notebook's own (`--allow-read`). */
  allowRead: string[];
}

/** A bad argument: the message names the flag and the fix; `usage` says whether to print the usage after it. */
export interface RunArgsError {
  error: string;
  usage: boolean;
}

/**
 * Reads the arguments after `segbook run`.
 * @example parseRunArgs(["notebooks/rfm.md", "--threads", "2"]) // {file: "notebooks/rfm.md", threads: 2, engine: "wasm", …}
 * @example parseRunArgs(["x.md", "--engine", "gpu"]) // {error: '--engine expects wasm or native, got "gpu"', usage: false}
 */
export function parseRunArgs(args: readonly string[]): RunArgs | RunArgsError {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
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
    return { error: (error as Error).message, usage: true };
  }
  const { values, positionals } = parsed;
  const [file, ...extra] = positionals;
  if (!file || extra.length) return { error: "expected exactly one notebook file", usage: true };
  const data: Record<string, string> = {};
  for (const entry of values.data ?? []) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(entry);
    if (!match) {
      return { error: `--data expects NAME=PATH (e.g. --data orders=./orders.csv), got "${entry}"`, usage: false };
    }
    data[match[1]!] = match[2]!;
  }
  let connections: Record<string, ConnectionOverride>;
  try {
    connections = parseConnectionFlags(values.connection ?? []);
  } catch (error) {
    return { error: (error as Error).message, usage: false };
  }
  const cellTimeout = values["cell-timeout"];
  const cellTimeoutSeconds = cellTimeout === undefined ? undefined : Number(cellTimeout);
  if (cellTimeoutSeconds !== undefined && !(cellTimeoutSeconds > 0)) {
    return {
      error: `--cell-timeout expects a number of seconds above 0 (e.g. --cell-timeout 60), got "${cellTimeout}"`,
      usage: false,
    };
  }
  const runTimeout = values.timeout;
  const timeoutSeconds = runTimeout === undefined ? undefined : Number(runTimeout);
  if (timeoutSeconds !== undefined && !(timeoutSeconds > 0 && Number.isFinite(timeoutSeconds))) {
    return {
      error: `--timeout expects a number of seconds above 0 (e.g. --timeout 600), got "${runTimeout}"`,
      usage: false,
    };
  }
  const engine = values.engine ?? "wasm";
  if (engine !== "wasm" && engine !== "native") {
    return { error: `--engine expects wasm or native, got "${engine}"`, usage: false };
  }
  const threadsText = values.threads;
  const threads = threadsText === undefined ? Math.min(4, os.availableParallelism()) : Number(threadsText);
  if (!Number.isInteger(threads) || threads < 1) {
    return {
      error: `--threads expects a whole number of threads, 1 or more (e.g. --threads 4), got "${threadsText}"`,
      usage: false,
    };
  }
  return {
    file,
    data,
    connections,
    outDir: values.out || undefined,
    json: values.json === true,
    cellTimeoutSeconds,
    timeoutSeconds,
    engine,
    threads,
    allowHostAccess: values["allow-host-access"] === true,
    allowRead: values["allow-read"] ?? [],
  };
}
