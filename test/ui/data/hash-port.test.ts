/**
 * serveSha256 and portHasher, the two ends of the app's hashing worker (src/ui/data/hash-port.ts), over
 * a real MessageChannel (the page ↔ worker link) with sha256Blob reading the slices: digests equal
 * node:crypto's, reading runs ahead of the hashing by at most a few slices, a failure rejects.
 */
import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { sha256Blob, type Sha256Hasher } from "../../../src/engine/sha256.ts";
import { portHasher, serveSha256, type HashPort } from "../../../src/ui/data/hash-port.ts";

function bytesOf(length: number, seed: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) bytes[i] = (state = (state * 1103515245 + 12345) >>> 0) >>> 24;
  return bytes;
}

const reference = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

const channels: MessageChannel[] = [];
/** The page's end of a link whose other end is served as hash-worker.ts serves its scope. */
function servedPort(): MessagePort {
  const channel = new MessageChannel();
  channels.push(channel);
  serveSha256(channel.port2 as unknown as HashPort);
  channel.port1.start();
  channel.port2.start();
  return channel.port1;
}

describe("hash-port", () => {
  afterEach(() => channels.splice(0).forEach((c) => (c.port1.close(), c.port2.close())));

  it.each([
    [0, 64],
    [1, 64],
    [55, 64],
    [64, 64],
    [1000, 7],
    [100_003, 4096],
    [3 * 1024 * 1024 + 5, 1 << 20],
  ])("sha256Blob(%i bytes, slices of %i, portHasher(port)) equals node:crypto", async (length, slice) => {
    const bytes = bytesOf(length, length + 3);
    const hasher = portHasher(servedPort() as unknown as HashPort);
    expect(await sha256Blob(new Blob([bytes]), slice, undefined, hasher)).toBe(reference(bytes));
  });

  it("portHasher(port).update(slice) transfers each slice and resolves at once until 3 wait unhashed", async () => {
    const channel = new MessageChannel();
    channels.push(channel);
    channel.port1.start();
    channel.port2.start();
    // A worker end that holds its answers back, so the page's end must stop taking slices at 3.
    const held: MessageEvent[] = [];
    channel.port2.addEventListener("message", (event) => held.push(event));
    const hasher: Sha256Hasher = portHasher(channel.port1 as unknown as HashPort);
    const slices = Array.from({ length: 4 }, (_, i) => bytesOf(1000, i + 1).buffer);
    await hasher.update(slices[0]!);
    await hasher.update(slices[1]!);
    let third = false;
    const waiting = Promise.resolve(hasher.update(slices[2]!)).then(() => (third = true));
    expect(slices.map((s) => s.byteLength)).toEqual([0, 0, 0, 1000]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(third, "the third slice waits while 3 are unhashed").toBe(false);
    expect(held.length).toBe(3);
    // The worker answers one: room for another slice.
    channel.port2.postMessage({ type: "hashed" });
    await waiting;
    expect(third).toBe(true);
  });

  it("portHasher(port, failed) rejects the waiting read with the worker's failure", async () => {
    const channel = new MessageChannel();
    channels.push(channel);
    channel.port1.start();
    // No worker answers (its script never ran): the page's end learns it from `failed`.
    let fail: (error: Error) => void = () => undefined;
    const hasher = portHasher(channel.port1 as unknown as HashPort, (f) => (fail = f));
    const hashing = sha256Blob(new Blob([bytesOf(50_000, 1)]), 1000, undefined, hasher);
    setTimeout(() => fail(new Error("the hashing worker did not start")), 10);
    await expect(hashing).rejects.toThrow("the hashing worker did not start");
    await expect(hasher.digest()).rejects.toThrow("the hashing worker did not start");
  });

  it("serveSha256(port) answers a failure in the worker as an error that portHasher rejects with", async () => {
    const port = servedPort();
    const hasher = portHasher(port as unknown as HashPort);
    // Not bytes: hash-wasm refuses it in the worker, which must answer instead of going silent.
    port.postMessage({ type: "update", slice: { not: "bytes" } });
    await expect(hasher.digest()).rejects.toThrow(/^SHA-256 in a worker failed: /);
  });
});
