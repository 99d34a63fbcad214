/**
 * SHA-256 in a Web Worker, both ends of its small protocol: {@link serveSha256} runs in the worker
 * (src/ui/data/hash-worker.ts), {@link portHasher} is the page's {@link Sha256Hasher} over it. The
 * page reads a big file slice by slice and transfers each slice to the worker, which hashes with
 * hash-wasm; reading (the page's work) and hashing (the worker's) then overlap, which on a 2-core
 * machine took a 1 GiB file from ~7 s to ~4 s in Chromium (scripts/bench/suite-hash.ts).
 */
import { inThreadHasher, type Sha256Hasher } from "../../engine/sha256.ts";

/** Slices the page may have sent that the worker has not hashed yet: enough to keep it busy. */
const IN_FLIGHT = 3;

/** What both ends need of a Worker, a worker's global scope or a MessagePort. */
export interface HashPort {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: "message", listener: (event: MessageEvent) => void): void;
}

type ToWorker = { type: "update"; slice: ArrayBuffer } | { type: "digest" };
type FromWorker = { type: "hashed" } | { type: "digest"; hex: string } | { type: "error"; message: string };

/**
 * Answers one hash's messages on `port`: every `update` slice is hashed in order and acknowledged,
 * `digest` answers the hex digest. A failure is answered as an error (the page rejects with it).
 * @example serveSha256(self as unknown as HashPort);
 */
export function serveSha256(port: HashPort): void {
  const hasher = inThreadHasher();
  // Messages are handled one at a time in arrival order: each waits for the one before.
  let queue: Promise<unknown> = Promise.resolve();
  port.addEventListener("message", (event: MessageEvent<ToWorker>) => {
    const message = event.data;
    queue = queue
      .then(async () => {
        const hash = await hasher;
        if (message.type === "update") {
          if (!(message.slice instanceof ArrayBuffer)) throw new Error("a slice to hash must be an ArrayBuffer");
          hash.update(message.slice);
          port.postMessage({ type: "hashed" } satisfies FromWorker);
        } else {
          port.postMessage({ type: "digest", hex: await hash.digest() } satisfies FromWorker);
        }
      })
      .catch((error: unknown) => {
        const text = error instanceof Error ? error.message : String(error);
        port.postMessage({ type: "error", message: text } satisfies FromWorker);
      });
  });
}

/**
 * The page's end: a {@link Sha256Hasher} that transfers each slice to the worker on `port` and lets
 * the reader run up to a few slices ahead of the hashing. `onError` of the worker (a script that
 * failed to load) is passed in as `failed`, which rejects whatever waits.
 * @example const sha = await sha256Blob(file, 4 << 20, onProgress, portHasher(worker));
 */
export function portHasher(port: HashPort, failed?: (fail: (error: Error) => void) => void): Sha256Hasher {
  type Waiter<T> = { resolve: (value: T) => void; reject: (error: Error) => void };
  let sent = 0;
  let hashed = 0;
  let failure: Error | undefined;
  let room: Waiter<void> | undefined;
  let result: Waiter<string> | undefined;
  const fail = (error: Error) => {
    failure ??= error;
    room?.reject(failure);
    result?.reject(failure);
    room = result = undefined;
  };
  failed?.(fail);
  port.addEventListener("message", (event: MessageEvent<FromWorker>) => {
    const message = event.data;
    if (message.type === "error") fail(new Error(`SHA-256 in a worker failed: ${message.message}`));
    else if (message.type === "digest") result?.resolve(message.hex);
    else if (++hashed > sent - IN_FLIGHT && room) {
      room.resolve();
      room = undefined;
    }
  });
  return {
    async update(slice) {
      if (failure) throw failure;
      port.postMessage({ type: "update", slice } satisfies ToWorker, [slice]);
      if (++sent - hashed >= IN_FLIGHT) await new Promise<void>((resolve, reject) => (room = { resolve, reject }));
    },
    digest() {
      if (failure) return Promise.reject(failure);
      return new Promise<string>((resolve, reject) => {
        result = { resolve, reject };
        port.postMessage({ type: "digest" } satisfies ToWorker);
      });
    },
  };
}
