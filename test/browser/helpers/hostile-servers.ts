/**
 * Real loopback servers for the hostile-notebook tests: the built site with extra routes (redirects,
 * pages that frame it, notebooks outside its notebook base), and HTTPS servers on other origins
 * (data a notebook names, a place a cell tries to send data to). HTTPS because the site's static
 * policy lets pages connect to `https:` anywhere: only a narrowed policy refuses another https
 * origin. Their certificate is self-signed, made here with openssl for 127.0.0.1; the Chromium these
 * tests launch ignores certificate errors ({@link INSECURE_CERT_ARGS}).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { assertBuilt, mountedFile, MOUNTS, sendFile, SUB_PATH } from "./static-server.ts";

/** Chromium arguments for pages that talk to the self-signed HTTPS servers. */
export const INSECURE_CERT_ARGS = ["--ignore-certificate-errors"];

/** One answer of a route: a status, headers and a body. */
export interface RouteAnswer {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
}

/** A running server with routes a test can add while it runs. */
export interface LoopbackServer {
  /** Origin, like "https://127.0.0.1:40123". */
  origin: string;
  /** Every request: method and path with query. */
  requests: string[];
  /** Answers `path` (exact, without query) with `answer`. */
  route(path: string, answer: RouteAnswer): void;
  close(): Promise<void>;
}

function listen(server: http.Server, scheme: "http" | "https", fallback?: http.RequestListener) {
  const routes = new Map<string, RouteAnswer>();
  const requests: string[] = [];
  server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    requests.push(`${req.method} ${req.url}`);
    const pathname = new URL(req.url ?? "/", "http://x").pathname;
    const answer = routes.get(pathname);
    if (answer) {
      res.writeHead(answer.status ?? 200, { "Cache-Control": "no-store", ...answer.headers });
      res.end(req.method === "HEAD" ? undefined : answer.body);
      return;
    }
    if (fallback) return fallback(req, res);
    res.writeHead(404, { "Access-Control-Allow-Origin": "*" }).end("not found");
  });
  return new Promise<LoopbackServer>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        origin: `${scheme}://127.0.0.1:${port}`,
        requests,
        route: (p, a) => void routes.set(p, a),
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/** A self-signed certificate for 127.0.0.1 (made once per process). */
let certificate: { key: Buffer; cert: Buffer } | undefined;
function selfSigned(): { key: Buffer; cert: Buffer } {
  if (certificate) return certificate;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "segbook-cert-"));
  const key = path.join(dir, "key.pem");
  const cert = path.join(dir, "cert.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      key,
      "-out",
      cert,
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
    ],
    { stdio: "ignore" },
  );
  certificate = { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
  fs.rmSync(dir, { recursive: true, force: true });
  return certificate;
}

/**
 * An HTTPS server on a free port of 127.0.0.1 that answers only its routes (404 otherwise).
 *
 * @example
 * const data = await startHttpsServer();
 * data.route("/people.csv", { body: "id\n1\n", headers: { "Access-Control-Allow-Origin": "*" } });
 */
export function startHttpsServer(): Promise<LoopbackServer> {
  return listen(https.createServer(selfSigned()), "https");
}

/**
 * A plain HTTP server on a free port of 127.0.0.1 that answers only its routes.
 *
 * @example
 * const framer = await startHttpServer();
 * framer.route("/frame.html", { body: `<iframe src="${site.baseUrl}"></iframe>` });
 */
export function startHttpServer(): Promise<LoopbackServer> {
  return listen(http.createServer(), "http");
}

/**
 * The built site as the standard test server serves it (under {@link SUB_PATH}, with the test mounts
 * and the test site's settings), plus routes a test adds. `baseUrl` is the site's address.
 *
 * @example
 * const site = await startSiteWithRoutes();
 * site.route(`${SUB_PATH}notebooks/moved.md`, { status: 302, headers: { Location: "https://elsewhere/x.md" } });
 */
export async function startSiteWithRoutes(): Promise<LoopbackServer & { baseUrl: string }> {
  assertBuilt();
  const server = await listen(http.createServer(), "http", (req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const file = urlPath.startsWith(SUB_PATH) ? mountedFile(urlPath.slice(SUB_PATH.length), MOUNTS) : undefined;
    if (!file) return void res.writeHead(404).end(`not found: ${urlPath}`);
    sendFile(req, res, file);
  });
  return { ...server, baseUrl: `${server.origin}${SUB_PATH}` };
}
