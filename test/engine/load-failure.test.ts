/**
 * describeLoadFailure against a real HTTP server: the reason a script did not load is what the
 * server answers (its status, or its content type when it served the file), or the network error.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { describeLoadFailure } from "../../src/engine/load-failure.ts";

let server: http.Server;
let base: string;
const methods: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    methods.push(req.method ?? "");
    const status = Number(/^\/status\/(\d+)$/.exec(req.url ?? "")?.[1] ?? 404);
    res.writeHead(status, { "Content-Type": req.url === "/status/200" ? "text/html" : "text/plain" }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test.each([
  ["/status/404", "the server answered HTTP 404 Not Found"],
  ["/status/500", "the server answered HTTP 500 Internal Server Error"],
  ["/status/200", "the server answers HTTP 200 (text/html), but the script did not run"],
])("describeLoadFailure(%s) says %j", async (path, reason) => {
  expect(await describeLoadFailure(`${base}${path}`)).toBe(reason);
});

test("describeLoadFailure asks with HEAD, so a large script is not downloaded again", async () => {
  methods.length = 0;
  await describeLoadFailure(`${base}/status/404`);
  expect(methods).toEqual(["HEAD"]);
});

test("describeLoadFailure names the network error when nothing answers", async () => {
  // A port that was free a moment ago: nothing listens there.
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  expect(await describeLoadFailure(`http://127.0.0.1:${port}/x.js`)).toMatch(/^it could not be fetched \(.+\)$/);
});
