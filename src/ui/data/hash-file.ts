/**
 * sha256 of a file the user added, with progress: small files in one Web Crypto call, big ones in
 * slices through the incremental hash, so a large file is never held in memory whole.
 */
import { Sha256, sha256Bytes } from "../../engine/sha256.ts";

/** Files up to this size are hashed in one piece (fast native digest). */
const WHOLE_LIMIT = 32 * 1024 * 1024;
const SLICE = 8 * 1024 * 1024;

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
  const hash = new Sha256();
  for (let start = 0; start < blob.size; start += SLICE) {
    hash.update(new Uint8Array(await blob.slice(start, start + SLICE).arrayBuffer()));
    onProgress?.(Math.min(1, (start + SLICE) / blob.size));
  }
  return hash.hex();
}
