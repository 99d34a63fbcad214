/**
 * SHA-256 of file contents, hex encoded. Bytes already in memory go to Web Crypto when it is there
 * (Node, and browser pages in a secure context): one native call. A `Blob`/`File` streams through
 * hash-wasm's incremental SHA-256 (WebAssembly, compiled from a module embedded in the bundle, so no
 * network request), because Web Crypto has no streaming digest and a big file should not be read
 * into memory just to be hashed. The page's CSP allows this through 'wasm-unsafe-eval'. hash-wasm is
 * imported on first use, so its ~13 KB of embedded WebAssembly stays out of the first paint.
 */

/** Slice size for streaming a Blob: big enough to amortize the read, small enough to keep memory flat. */
const SLICE = 8 * 1024 * 1024;

function toHex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * Hex SHA-256 of bytes held in memory.
 * @example await sha256Bytes(new TextEncoder().encode("abc")) // "ba7816bf…"
 */
export async function sha256Bytes(bytes: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (subtle) return toHex(await subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  const { createSHA256 } = await import("hash-wasm");
  const hash = await createSHA256();
  return hash.init().update(bytes).digest("hex");
}

/**
 * Where {@link sha256Blob} hashes the slices it reads: in this thread (the default) or elsewhere — the
 * app hashes big files in a Web Worker (src/ui/data/hash-port.ts), so reading the next slice (work of
 * this thread) and hashing the last one run at the same time instead of taking turns.
 */
export interface Sha256Hasher {
  /**
   * Takes the next slice and may keep (transfer) its buffer, which the caller does not use again.
   * Resolves when the hasher is ready for another slice (a worker resolves at once while few slices
   * wait, which is what lets reading run ahead).
   */
  update(slice: ArrayBuffer): void | Promise<void>;
  /** The hex digest of every slice given, in order. */
  digest(): Promise<string>;
}

/**
 * hash-wasm's incremental SHA-256 in this thread as a {@link Sha256Hasher}.
 * @example const hasher = await inThreadHasher(); hasher.update(bytes.buffer); await hasher.digest();
 */
export async function inThreadHasher(): Promise<Sha256Hasher> {
  const { createSHA256 } = await import("hash-wasm");
  const hash = await createSHA256();
  hash.init();
  return {
    update: (slice) => void hash.update(new Uint8Array(slice)),
    digest: async () => hash.digest("hex"),
  };
}

/**
 * Hex SHA-256 of a Blob/File, read in slices of `chunkSize` bytes so a large file is never held in
 * memory whole; `onProgress` gets the fraction done (0..1) after each slice; `hasher` is where the
 * slices are hashed (default: {@link inThreadHasher}).
 * @example const sha = await sha256Blob(file, undefined, (f) => (progress = f));
 */
export async function sha256Blob(
  blob: Blob,
  chunkSize = SLICE,
  onProgress?: (fraction: number) => void,
  hasher?: Sha256Hasher,
): Promise<string> {
  const hash = hasher ?? (await inThreadHasher());
  const read = (start: number) => (start < blob.size ? blob.slice(start, start + chunkSize).arrayBuffer() : undefined);
  // The next slice is read while this one is hashed, so time is max(disk, hash), not their sum.
  let next = read(0);
  for (let start = 0; next; start += chunkSize) {
    const chunk = await next;
    next = read(start + chunkSize);
    try {
      await hash.update(chunk);
    } catch (error) {
      // The read ahead is dropped with the hash; its own failure must not surface unhandled.
      next?.catch(() => undefined);
      throw error;
    }
    onProgress?.(Math.min(1, (start + chunkSize) / blob.size));
  }
  onProgress?.(1);
  return hash.digest();
}
