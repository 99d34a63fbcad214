/**
 * sha256Bytes and the streaming sha256Blob (hash-wasm's incremental SHA-256), checked against node:crypto.
 */
import { createHash } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sha256Blob, sha256Bytes } from "../../src/engine/sha256.ts";

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
  afterEach(() => vi.unstubAllGlobals());

  it("sha256Blob(blob, chunkSize) matches node:crypto for every length around the block and padding edges", async () => {
    for (let length = 0; length <= 200; length++) {
      const bytes = pseudoRandomBytes(length, length + 1);
      expect(await sha256Blob(new Blob([bytes]), 64), `length ${length}`).toBe(reference(bytes));
    }
  });

  it("sha256Blob(blob, chunkSize) gives the same digest whatever the chunk size", async () => {
    const bytes = pseudoRandomBytes(100_003, 7);
    for (const chunk of [7, 63, 64, 65, 4096, 99_999, 1 << 20]) {
      expect(await sha256Blob(new Blob([bytes]), chunk), `chunk ${chunk}`).toBe(reference(bytes));
    }
  });

  it("sha256Blob(blob) streams a 70 MB Blob across its 8 MB slices to node:crypto's digest, reporting progress", async () => {
    const bytes = pseudoRandomBytes(70 * 1024 * 1024 + 13, 11);
    const fractions: number[] = [];
    expect(await sha256Blob(new Blob([bytes]), undefined, (f) => fractions.push(f))).toBe(reference(bytes));
    expect(fractions.length).toBeGreaterThan(8);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions.at(-1)).toBe(1);
  });

  it("sha256Bytes(bytes) matches node:crypto with Web Crypto and without it (an insecure browser context)", async () => {
    const bytes = pseudoRandomBytes(250_000, 3);
    expect(await sha256Bytes(bytes)).toBe(reference(bytes));
    expect(await sha256Blob(new Blob([]))).toBe(reference(new Uint8Array(0)));
    vi.stubGlobal("crypto", undefined);
    expect(globalThis.crypto?.subtle).toBeUndefined();
    expect(await sha256Bytes(bytes)).toBe(reference(bytes));
    expect(await sha256Bytes(new Uint8Array(0))).toBe(reference(new Uint8Array(0)));
  });
});
