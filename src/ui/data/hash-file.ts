/**
 * sha256 of a file the user added, with progress: small files in one Web Crypto call, big ones
 * streamed in slices through hash-wasm's incremental SHA-256, so a large file is never held in
 * memory whole.
 */
import { sha256Blob, sha256Bytes } from "../../engine/sha256.ts";

/** Files up to this size are hashed in one piece (fast native digest). */
const WHOLE_LIMIT = 32 * 1024 * 1024;

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
  return sha256Blob(blob, undefined, onProgress);
}
