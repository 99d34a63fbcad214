/**
 * The dev server for the browser tests, started as the README says (`npm run dev`: Vite with the
 * repository's vite.config.ts), on a free port of 127.0.0.1 (the browser helper aborts every other
 * host). It runs in its own process group, so stopping it stops npm, the shell and Vite together.
 */
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { REQUEST_LOG_PREFIX, TEST_SITE_ENV } from "./dev-test-plugin.ts";
import { repoRoot } from "./static-server.ts";

/** A running dev server. */
export interface DevServer {
  /** Absolute URL of the site: the dev server serves it from "/". */
  baseUrl: string;
  /** Every path requested (for asserting what was and was not loaded). */
  requests: string[];
  /** What the server printed so far (stdout and stderr, request lines left out). */
  output(): string;
  /** Stops the server's whole process group; resolves when it has exited. */
  close(): Promise<void>;
}

/** How long the server may take to answer its first request (a cold start optimizes dependencies). */
const START_TIMEOUT_MS = 60_000;

/** A port of 127.0.0.1 that was free a moment ago (`--strictPort` fails if it was taken since). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Sends `signal` to the child's whole process group (npm, its shell and Vite). */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Resolves true once `url` answers 200, false when `child` exits first or time runs out. */
async function answers(url: string, child: ChildProcess, deadline: number): Promise<boolean> {
  while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      await response.arrayBuffer();
      if (response.ok) return true;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

async function startOnce(port: number): Promise<DevServer | "port taken"> {
  const child = spawn("npm", ["run", "dev", "--", "--host", "127.0.0.1", "--port", String(port), "--strictPort"], {
    cwd: repoRoot,
    // Its own process group: close() kills npm and everything it started with one signal.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, [TEST_SITE_ENV]: "1", FORCE_COLOR: "0", NO_COLOR: "1" },
  });
  // A test run that ends without close() (a crash, Ctrl+C) must not leave the server running.
  const killOnExit = () => killGroup(child, "SIGKILL");
  process.once("exit", killOnExit);
  const requests: string[] = [];
  let output = "";
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split(/(?<=\n)/)) {
      if (line.startsWith(REQUEST_LOG_PREFIX)) requests.push(line.slice(REQUEST_LOG_PREFIX.length).trimEnd());
      else output += line;
    }
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const close = async () => {
    process.off("exit", killOnExit);
    killGroup(child, "SIGTERM");
    const timer = setTimeout(() => killGroup(child, "SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };
  const baseUrl = `http://127.0.0.1:${port}/`;
  if (await answers(baseUrl, child, Date.now() + START_TIMEOUT_MS)) {
    return { baseUrl, requests, output: () => output, close };
  }
  await close();
  if (/Port \d+ is already in use/i.test(output)) return "port taken";
  throw new Error(
    `browser tests: \`npm run dev\` did not answer on ${baseUrl} within ${START_TIMEOUT_MS} ms:\n${output}`,
  );
}

/**
 * Starts `npm run dev -- --host 127.0.0.1 --port <free> --strictPort` and waits until it answers.
 * With the test plugin on (dev-test-plugin.ts) it also serves `__fixtures__/` and `__test-notebooks__/`.
 *
 * @example
 * const server = await startDevServer();
 * await page.goto(`${server.baseUrl}?notebook=notebooks/segmentation.md`);
 * await server.close();
 */
export async function startDevServer(): Promise<DevServer> {
  // Another process may take the free port before Vite binds it; then try another one.
  for (let attempt = 0; attempt < 3; attempt++) {
    const server = await startOnce(await freePort());
    if (server !== "port taken") return server;
  }
  throw new Error("browser tests: `npm run dev` found no free port on 127.0.0.1 in 3 attempts");
}
