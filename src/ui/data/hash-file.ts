/**
 * sha256 of a file the user added, with progress: small files in one Web Crypto call, big ones
 * streamed in slices to a Web Worker that hashes them with hash-wasm's incremental SHA-256 while the
 * page reads the next slice (hash-port.ts), so a large file is never held in memory whole and the
 * read and the hash overlap. Where a worker cannot start, the slices are hashed in the page.
 */
import { sha256Blob, sha256Bytes } from "../../engine/sha256.ts";
import { portHasher } from "./hash-port.ts";
import HashWorker from "./hash-worker.ts?worker";

/** Files up to this size are hashed in one piece (fast native digest). */
const WHOLE_LIMIT = 32 * 1024 * 1024;

/** Slices sent to the worker: measured best of 1, 4 and 8 MB in Chromium (suite-hash.ts). */
const WORKER_SLICE = 4 * 1024 * 1024;

/**
 * Hex sha256 of `blob`; `onProgress` gets the fraction done (0..1) after each slice.
 * @example const sha = await hashFile(file, (f) => (progress = f));
 */
export async function hashFile(blob: Blob, onProgress?: (fraction: number) => void): Promise<string> {
  if (blob.size <= WHOLE_LIMIT) {
    const sha = await sha256Bytes(new Uint8Array(await blob.arrayBuffer()));
    onProgress?.(1);
    return sha;
  }
  let worker: Worker;
  try {
    worker = new HashWorker();
  } catch {
    return sha256Blob(blob, undefined, onProgress);
  }
  let workerFailed = false;
  try {
    const hasher = portHasher(worker, (fail) =>
      worker.addEventListener("error", (event) => {
        event.preventDefault();
        workerFailed = true;
        fail(new Error(event.message || "the hashing worker did not start"));
      }),
    );
    return await sha256Blob(blob, WORKER_SLICE, onProgress, hasher);
  } catch (error) {
    // A worker that could not run (e.g. a policy refusing its script) is no reason to fail the file.
    if (workerFailed) return sha256Blob(blob, undefined, onProgress);
    throw error;
  } finally {
    worker.terminate();
  }
}
