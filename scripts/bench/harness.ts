/**
 * The benchmark harness: runs a measurement several times and keeps the median, so one slow run
 * (GC, the other core busy) does not decide a figure. Nothing here asserts a time.
 */
import os from "node:os";

/** One measured figure. */
export interface Figure {
  suite: string;
  name: string;
  /** Median over `runs` runs, in milliseconds (or the unit given). */
  median: number;
  runs: number;
  unit: "ms" | "kB" | "M rows";
  /** What it is compared with, by name -> median in the same unit. */
  baselines?: Record<string, number>;
  note?: string;
  /** Values measured beside the time (e.g. inertia ours/sklearn), by name; shown with the note. */
  extra?: Record<string, number>;
  /** Day it was measured (YYYY-MM-DD); figures kept from an earlier run keep theirs. */
  date?: string;
}

/** Median of numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs `fn` `runs` times (after `warmup` unmeasured runs) and returns the median wall time in ms. */
export async function time(fn: () => Promise<unknown> | unknown, runs = 5, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; ++i) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; ++i) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** The machine the figures were taken on. */
export function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model ?? "unknown CPU"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}
