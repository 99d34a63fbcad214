/**
 * Bytes already in memory, seen as the part of a Blob that parquet-wasm's `ParquetFile.fromFile`
 * uses (`size`, `slice`, `arrayBuffer`): each column chunk it asks for is copied out of the bytes
 * alone. A real Blob would first copy the whole file, and Node reads every slice of a Blob through a
 * stream of its own: for a 17 MB file with 3 of 10 columns wanted that took longer than the decoding.
 */

/** The slice of a Blob parquet-wasm reads (see the module comment). */
export interface BytesBlob {
  readonly size: number;
  slice(start?: number, end?: number): BytesBlob;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * `bytes` as a {@link BytesBlob}; slices share the bytes, and only `arrayBuffer()` copies (its range).
 * @example
 * const file = await parquetWasm.ParquetFile.fromFile(bytesBlob(bytes) as unknown as Blob);
 */
export function bytesBlob(bytes: Uint8Array): BytesBlob {
  return {
    size: bytes.length,
    // Blob.slice's rules: negative positions count from the end, out-of-range ones are clamped.
    slice(start = 0, end = bytes.length) {
      const at = (position: number) =>
        Math.min(bytes.length, Math.max(0, position < 0 ? bytes.length + position : position));
      return bytesBlob(bytes.subarray(at(start), Math.max(at(start), at(end))));
    },
    // A copy of exactly this range. Not bytes.slice(): on a Node Buffer (a small file read with
    // readFile lives in a shared 8 KB pool) slice is a view, and .buffer would be the whole pool.
    arrayBuffer: async () => new Uint8Array(bytes).buffer,
  };
}
