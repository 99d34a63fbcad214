/**
 * The incremental SHA-256 and the byte/Blob helpers, checked against node:crypto.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Sha256, sha256Blob, sha256Bytes } from "../../src/engine/sha256.ts";

function reference(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function pseudoRandomBytes(length: number, seed: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

describe("sha256", () => {
  it("Sha256.update(bytes).hex() matches node:crypto for every length around the block and padding edges", () => {
    for (let length = 0; length <= 200; length++) {
      const bytes = pseudoRandomBytes(length, length + 1);
      expect(new Sha256().update(bytes).hex(), `length ${length}`).toBe(reference(bytes));
    }
  });

  it("Sha256.update(...) gives the same digest whatever the chunk sizes", () => {
    const bytes = pseudoRandomBytes(100_003, 7);
    for (const chunk of [1, 63, 64, 65, 4096, 99_999]) {
      const hash = new Sha256();
      for (let start = 0; start < bytes.length; start += chunk) hash.update(bytes.subarray(start, start + chunk));
      expect(hash.hex(), `chunk ${chunk}`).toBe(reference(bytes));
    }
  });

  it("sha256Bytes(bytes) and sha256Blob(blob, chunkSize) match node:crypto", async () => {
    const bytes = pseudoRandomBytes(250_000, 3);
    expect(await sha256Bytes(bytes)).toBe(reference(bytes));
    expect(await sha256Blob(new Blob([bytes]), 1000)).toBe(reference(bytes));
    expect(await sha256Blob(new Blob([]))).toBe(reference(new Uint8Array(0)));
  });
});
