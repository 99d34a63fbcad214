/**
 * SHA-256 throughput of a large file in Chromium: the app's own hashing as a file added to the data
 * panel is hashed (src/ui/data/hash-file.ts: the page reads 4 MB slices with `sha256Blob` and transfers
 * them to the hashing worker, hash-port.ts, which runs hash-wasm's incremental SHA-256), bundled with
 * esbuild and run in a blank page of headless Chromium on a 1 GiB file on disk, picked with a file
 * input as a user adds one.
 * Baselines in the same run: the same hashing in the page's own thread (how the app hashed before),
 * Web Crypto's one-shot digest of the same bytes in the same page (it needs
 * the whole file in memory, which is why the app streams big files), and node:crypto in Node.
 */
import crypto from "node:crypto";
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { launchChromium } from "../../test/browser/helpers/browser.ts";
import { median, type Figure } from "./harness.ts";

const SIZE = 1024 ** 3;
const CHUNK = 64 * 1024 ** 2;
/** The slice hash-file.ts sends to its worker. */
const WORKER_SLICE = 4 * 1024 ** 2;
const root = path.resolve(import.meta.dirname, "../..");

/**
 * The same bytes in page and Node: chunk `i` filled from a fixed xorshift stream. Kept as source text,
 * so the page runs exactly this code (a function's own text would carry the TS loader's helpers).
 */
const FILL_SOURCE = `(bytes, seed) => {
  let x = seed | 1;
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 2);
  for (let i = 0; i < words.length; ++i) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
}`;
const fill = new Function(`return ${FILL_SOURCE}`)() as (bytes: Uint8Array, seed: number) => void;

/**
 * Times hashing 1 GiB in Chromium (ours and Web Crypto) and in Node; `runs` each.
 * @example figures.push(...(await hashSuite(3)));
 */
export async function hashSuite(runs = 3): Promise<Figure[]> {
  const bundle = (contents: string) =>
    build({
      stdin: { contents, resolveDir: root, loader: "ts" },
      bundle: true,
      format: "iife",
      write: false,
      platform: "browser",
    }).then((result) => result.outputFiles[0]!.text);
  const script = await bundle(
    `import { sha256Blob } from "./src/engine/sha256.ts"; import { portHasher } from "./src/ui/data/hash-port.ts";
     globalThis.sha256Blob = sha256Blob; globalThis.portHasher = portHasher;`,
  );
  // The app's hashing worker (src/ui/data/hash-worker.ts), started from a blob: URL here instead of Vite's asset.
  const workerScript = await bundle(`import "./src/ui/data/hash-worker.ts";`);

  // The file, written once; node:crypto times the same bytes chunk by chunk as they are made.
  const dir = mkdtempSync(path.join(tmpdir(), "segbook-hash-"));
  const file = path.join(dir, "big.bin");
  const chunk = new Uint8Array(CHUNK);
  const nodeTimes: number[] = [];
  let nodeDigest = "";
  for (let r = 0; r < runs; ++r) {
    const hash = crypto.createHash("sha256");
    const fd = r === 0 ? openSync(file, "w") : undefined;
    let spent = 0;
    for (let i = 0; i < SIZE / CHUNK; ++i) {
      fill(chunk, i + 1);
      if (fd !== undefined) writeSync(fd, chunk);
      const start = performance.now();
      hash.update(chunk);
      spent += performance.now() - start;
    }
    if (fd !== undefined) closeSync(fd);
    const start = performance.now();
    nodeDigest = hash.digest("hex");
    nodeTimes.push(spent + performance.now() - start);
  }

  const server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html" });
    response.end('<!doctype html><title>hash</title><input type="file">');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    // Served from 127.0.0.1, a secure context as the site is: Web Crypto exists there.
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.addScriptTag({ content: script });
    await page.setInputFiles("input", file);
    const result = await page.evaluate(
      async ({ runs, workerScript, slice }) => {
        const blob = document.querySelector("input")!.files![0]!;
        const { sha256Blob, portHasher } = globalThis as unknown as {
          sha256Blob: (b: Blob, chunk?: number, progress?: undefined, hasher?: unknown) => Promise<string>;
          portHasher: (port: Worker) => unknown;
        };
        const workerUrl = URL.createObjectURL(new Blob([workerScript], { type: "text/javascript" }));
        const ours: number[] = [];
        const inPage: number[] = [];
        const webCrypto: number[] = [];
        let digest = "";
        let pageDigest = "";
        let webDigest = "";
        for (let r = 0; r < runs; ++r) {
          let start = performance.now();
          // As hash-file.ts does it: a worker per file, ended when the digest is in.
          const worker = new Worker(workerUrl);
          digest = await sha256Blob(blob, slice, undefined, portHasher(worker));
          worker.terminate();
          ours.push(performance.now() - start);
          start = performance.now();
          pageDigest = await sha256Blob(blob);
          inPage.push(performance.now() - start);
          start = performance.now();
          const buffer = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
          webCrypto.push(performance.now() - start);
          webDigest = [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
        }
        return { ours, inPage, webCrypto, digest, pageDigest, webDigest };
      },
      { runs, workerScript, slice: WORKER_SLICE },
    );
    if (result.digest !== nodeDigest || result.pageDigest !== nodeDigest || result.webDigest !== nodeDigest) {
      throw new Error(
        `bench: sha256 differs: ours ${result.digest}, in the page ${result.pageDigest}, Web Crypto ${result.webDigest}, node ${nodeDigest}`,
      );
    }
    const ours = median(result.ours);
    return [
      {
        suite: "hash",
        name: "SHA-256 of a 1 GiB file in Chromium (the app's hashing worker, 4 MB slices)",
        median: ours,
        runs,
        unit: "ms",
        baselines: {
          "the same in the page's thread (sha256Blob, 8 MB slices; the app before)": median(result.inPage),
          "Web Crypto digest of the whole file read into memory (same page)": median(result.webCrypto),
          "node:crypto in Node": median(nodeTimes),
        },
        note: "hash-wasm's incremental SHA-256 as the data panel hashes a file it adds: the page reads the file on disk slice by slice and transfers each slice to a worker that hashes it (src/ui/data/hash-port.ts); digests checked equal",
        extra: { "MB/s ours": SIZE / 1e6 / (ours / 1000) },
      },
    ];
  } finally {
    await browser.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
