/**
 * Decoding a query result (Arrow IPC bytes) without holding the page: a result of millions of rows
 * arrives as hundreds of record batches, and decoding them all in one go took ~120 ms of the page's
 * thread for 1M x 9 doubles — over the 200 ms budget once a garbage collection joined it. Large
 * results are decoded batch by batch, giving the event loop a turn every few milliseconds.
 */
import { RecordBatchReader, Table, tableFromIPC, type RecordBatch } from "apache-arrow";

/** Results smaller than this decode in one go (well under a millisecond's work per MB). */
const CHUNKED_FROM_BYTES = 4 * 2 ** 20;

/** Longest stretch of decoding between turns of the event loop. */
const SLICE_MS = 8;

/** Lets other tasks (input, rendering, worker messages) run; a macrotask, not a microtask. */
function nextTask(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (scheduler?.yield) return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * The Table in `bytes` (an Arrow IPC stream), decoded in slices of the event loop when large.
 * `sliceMs` (default 8) is the longest stretch between turns.
 */
export async function decodeIpc(bytes: Uint8Array, sliceMs = SLICE_MS): Promise<Table> {
  if (bytes.byteLength < CHUNKED_FROM_BYTES) return tableFromIPC(bytes);
  const reader = RecordBatchReader.from(bytes);
  const batches: RecordBatch[] = [];
  let sliceStart = performance.now();
  for (const batch of reader) {
    batches.push(batch);
    if (performance.now() - sliceStart >= sliceMs) {
      await nextTask();
      sliceStart = performance.now();
    }
  }
  // No batches: let tableFromIPC build the empty table with its schema, as before.
  return batches.length > 0 ? new Table(batches) : tableFromIPC(bytes);
}
