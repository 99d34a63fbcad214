/**
 * A tiny static file server for the browser tests: the built site under a sub-path (so relative URLs
 * are really exercised), plus the test fixtures and test notebooks next to it. Only 127.0.0.1.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";

/** Repository root. */
export const repoRoot = path.resolve(import.meta.dirname, "../../..");

/**
 * Where the built site is: `dist/`, or `SEGBOOK_DIST` so several builds (e.g. parallel work with
 * `vite build --outDir /tmp/x`) can be tested side by side without overwriting each other.
 */
export const distDir = process.env.SEGBOOK_DIST ? path.resolve(process.env.SEGBOOK_DIST) : path.join(repoRoot, "dist");

/** The sub-path the site is served under; nothing in the site may assume "/". */
export const SUB_PATH = "/some/sub/path/";

const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".md": "text/markdown; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".tsv": "text/tab-separated-values; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".ndjson": "application/x-ndjson; charset=utf-8",
  ".parquet": "application/vnd.apache.parquet",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".ttf": "font/ttf",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
};

/**
 * What the tests serve beside the site, as URL prefix (relative to the site) -> folder: the test
 * fixtures and the test notebooks (`__test-notebooks__/people.md` reads `../__fixtures__/people.csv`).
 * The dev server mounts the same (test/browser/helpers/dev-test-plugin.ts).
 */
export const TEST_MOUNTS: readonly (readonly [prefix: string, dir: string])[] = [
  ["__fixtures__/", path.join(repoRoot, "test/fixtures")],
  ["__test-notebooks__/", path.join(repoRoot, "test/browser/notebooks")],
  // The shared datasets beside the repository (never copied into it), for tests only; 127.0.0.1 only.
  ["__datasets__/", path.resolve(repoRoot, "../shared/datasets")],
  // The test site's settings (a single file over the built one): its notebook base also holds the
  // test notebooks, as an intranet host's IT would list its own folders (src/ui/persistence/site-config.ts).
  ["segbook-site.json", path.join(repoRoot, "test/browser/site/segbook-site.json")],
];

/** URL prefix (under {@link SUB_PATH}) -> folder; the first matching prefix wins. */
export const MOUNTS = [...TEST_MOUNTS, ["", distDir] as const];

/** A running server. */
export interface StaticServer {
  /** Absolute URL of the site, ending in {@link SUB_PATH}. */
  baseUrl: string;
  /** Every path requested (for asserting what was and was not loaded). */
  requests: string[];
  close(): Promise<void>;
}

/** Throws a message that says how to fix it when the site has not been built. */
export function assertBuilt(): void {
  if (!fs.existsSync(path.join(distDir, "index.html"))) {
    throw new Error(
      `browser tests: ${path.relative(repoRoot, distDir)}/index.html is missing; build the site first with \`npm run build\` (npm test does it for you)`,
    );
  }
}

/**
 * The file a path relative to the site names in `mounts`, or undefined when there is none (or the
 * path climbs out of its folder with `..`).
 *
 * @example
 * mountedFile("__fixtures__/people.csv", TEST_MOUNTS); // "<repo>/test/fixtures/people.csv"
 */
export function mountedFile(rel: string, mounts: readonly (readonly [string, string])[]): string | undefined {
  if (rel === "" || rel.endsWith("/")) rel += "index.html";
  for (const [prefix, dir] of mounts) {
    // A prefix without a trailing slash mounts one file.
    if (!prefix.endsWith("/") && prefix !== "") {
      if (rel === prefix) return dir;
      continue;
    }
    if (!rel.startsWith(prefix)) continue;
    const file = path.resolve(dir, rel.slice(prefix.length));
    // No escaping the mounted folder with `..`.
    if (!file.startsWith(dir + path.sep)) return undefined;
    return fs.existsSync(file) && fs.statSync(file).isFile() ? file : undefined;
  }
  return undefined;
}

function resolveFile(urlPath: string): string | undefined {
  if (!urlPath.startsWith(SUB_PATH)) return undefined;
  return mountedFile(urlPath.slice(SUB_PATH.length), MOUNTS);
}

/** The byte range of a `Range: bytes=a-b` header (one range only), undefined when absent. */
function rangeOf(header: string | undefined, size: number): [number, number] | "invalid" | undefined {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match) return undefined;
  const [, from = "", to = ""] = match;
  let start: number;
  let end: number;
  if (from === "") {
    // "bytes=-n": the last n bytes.
    start = Math.max(0, size - Number(to));
    end = size - 1;
  } else {
    start = Number(from);
    end = to === "" ? size - 1 : Math.min(Number(to), size - 1);
  }
  return start > end || start >= size ? "invalid" : [start, end];
}

/**
 * Answers a GET or HEAD for `file` as a static host would: its content type, `Range` requests
 * (DuckDB reads remote files with HEAD + Range), no caching.
 *
 * @example
 * http.createServer((req, res) => sendFile(req, res, "/repo/test/fixtures/people.csv"));
 */
export function sendFile(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  file: string,
  caching: "none" | "revalidate" | "max-age" = "none",
): void {
  const { size, mtimeMs } = fs.statSync(file);
  const headers: Record<string, string> = {
    "Content-Type": MIME[path.extname(file).toLowerCase()] ?? "application/octet-stream",
    "Accept-Ranges": "bytes",
    "Cache-Control": { none: "no-store", revalidate: "no-cache", "max-age": "max-age=600" }[caching],
  };
  if (caching !== "none") {
    // As nginx or Apache answer a static file by default: a validator, and 304 when it still holds.
    const etag = `"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`;
    headers.ETag = etag;
    headers["Last-Modified"] = new Date(mtimeMs).toUTCString();
    if (req.headers["if-none-match"] === etag) {
      res.writeHead(304, headers).end();
      return;
    }
  }
  // DuckDB reads remote files with HEAD + Range requests, as it would from any real static host.
  const range = rangeOf(req.headers.range, size);
  if (range === "invalid") {
    res.writeHead(416, { "Content-Range": `bytes */${size}` }).end();
    return;
  }
  const [start, end] = range ?? [0, size - 1];
  headers["Content-Length"] = String(Math.max(0, end - start + 1));
  if (range) headers["Content-Range"] = `bytes ${start}-${end}/${size}`;
  res.writeHead(range ? 206 : 200, headers);
  if (req.method === "HEAD" || size === 0) res.end();
  else fs.createReadStream(file, { start, end }).pipe(res);
}

/** Options of {@link startStaticServer}. */
export interface StaticServerOptions {
  /**
   * "none" (the default, for tests): `Cache-Control: no-store`, every visit is a first visit.
   * "revalidate": what a static host does by default (an ETag, `no-cache`, 304 when unchanged), so a
   * second visit reuses the browser's HTTP cache (and the code Chromium compiled from it).
   */
  caching?: "none" | "revalidate" | "max-age";
}

/** Starts the server on a random free port of 127.0.0.1. */
export async function startStaticServer(options: StaticServerOptions = {}): Promise<StaticServer> {
  assertBuilt();
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    let urlPath: string;
    try {
      urlPath = decodeURIComponent(new URL(req.url ?? "/", "http://127.0.0.1").pathname);
    } catch {
      res.writeHead(400).end("bad request");
      return;
    }
    requests.push(urlPath);
    const file = resolveFile(urlPath);
    if (!file || (req.method !== "GET" && req.method !== "HEAD")) {
      res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end(`not found: ${urlPath}`);
      return;
    }
    sendFile(req, res, file, options.caching);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}${SUB_PATH}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
