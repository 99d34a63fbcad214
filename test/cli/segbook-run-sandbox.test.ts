/**
 * A hostile notebook under `segbook run`, started as users start it (bin/segbook.js in a child
 * process): each TS cell tries one way to the host — the environment, files, child processes, worker
 * threads, the network (against a real loopback HTTP and UDP listener this test starts, which must
 * receive nothing), module imports, the constructor escape out of the vm context, writes outside
 * --out, a timer that outlives the run — and each fails with a clear message while the notebook's
 * own data, SQL and exports keep working. Data paths outside the notebook's folder and links in
 * --out are refused naming the path and the flag; --allow-host-access restores full access.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createSocket, type Socket } from "node:dgram";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RunReport } from "../../src/cli/run-notebook.ts";
import { SEALED_MESSAGE } from "../../src/cli/seal-realm.ts";
import { root } from "./segbook-bin.ts";

const SECRET = "segbook-sandbox-secret-5b1f";
const bin = path.join(root, "bin/segbook.js");

/** Runs `segbook ...args` as a user would, with SECRET in its environment. */
function segbook(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: root,
      env: { ...process.env, TZ: "UTC", SEGBOOK_SANDBOX_SECRET: SECRET },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const ENV = /^segbook run: cells cannot reach the process \(environment, files, exit\); cells run without host access/;
const IMPORT = /^segbook run: cells cannot import modules \(import\(\)\); .*--allow-host-access/;
const REQUIRE = /^segbook run: cells cannot reach Node modules \(require\)/;
const SEALED = new RegExp(`^${SEALED_MESSAGE.replace(/[()]/g, "\\$&")}$`);

/** Each attack, one TS cell; `%HTTP%`, `%UDP%`, `%SECRET%` and the `%…%` paths are filled in. */
const attacks: { name: string; code: string; error: RegExp }[] = [
  { name: "process.env", code: "const leaked = process.env.SEGBOOK_SANDBOX_SECRET;", error: ENV },
  { name: "globalThis.process", code: "const leaked = globalThis.process.env.SEGBOOK_SANDBOX_SECRET;", error: ENV },
  { name: "typeof process", code: 'const leaked = typeof process === "object" ? 1 : 0;', error: ENV },
  { name: "eval('process')", code: 'const leaked = eval("process").env;', error: ENV },
  {
    name: "require('node:fs')",
    code: 'const leaked = require("node:fs").readFileSync("/etc/passwd", "utf8");',
    error: REQUIRE,
  },
  {
    name: "import('node:fs') of /etc/passwd",
    code: 'const leaked = (await import("node:fs")).readFileSync("/etc/passwd", "utf8");',
    error: IMPORT,
  },
  {
    name: "import statement of node:fs/promises",
    code: 'import { readFile } from "node:fs/promises";\nconst leaked = await readFile("%BESIDE%", "utf8");',
    error: IMPORT,
  },
  {
    name: "import('node:fs') of ../",
    code: 'const leaked = (await import("node:fs")).readFileSync("%PARENT%", "utf8");',
    error: IMPORT,
  },
  {
    name: "import('node:fs') write outside --out",
    code: '(await import("node:fs")).writeFileSync("%OUTSIDE%", "pwned");',
    error: IMPORT,
  },
  {
    name: "child_process.execSync('id')",
    code: 'const leaked = (await import("node:child_process")).execSync("id").toString();',
    error: IMPORT,
  },
  {
    name: "child_process spawn/fork via import in Function",
    code: "const leaked = await Function('return import(\"node:child_process\")')();",
    error: IMPORT,
  },
  { name: "worker_threads", code: 'const { Worker: W } = await import("node:worker_threads");', error: IMPORT },
  {
    name: "new Worker",
    code: 'const leaked = new Worker("data:text/javascript,1");',
    error: /cells cannot reach worker threads \(Worker\)/,
  },
  {
    name: "fetch",
    code: 'const leaked = await fetch("http://127.0.0.1:%HTTP%/fetch?s=%SECRET%");',
    error: /cells cannot reach the network \(fetch\)/,
  },
  {
    name: "http.request",
    code: 'const http = await import("node:http");\nhttp.get("http://127.0.0.1:%HTTP%/http");',
    error: IMPORT,
  },
  {
    name: "net.connect",
    code: 'const net = await import("node:net");\nnet.connect(%HTTP%, "127.0.0.1");',
    error: IMPORT,
  },
  {
    name: "dgram",
    code: 'const dgram = await import("node:dgram");\ndgram.createSocket("udp4").send("x", %UDP%, "127.0.0.1");',
    error: IMPORT,
  },
  { name: "dns", code: 'const leaked = await (await import("node:dns/promises")).lookup("localhost");', error: IMPORT },
  {
    name: "WebSocket",
    code: 'const leaked = new WebSocket("ws://127.0.0.1:%HTTP%/ws");',
    error: /cells cannot reach the network \(WebSocket\)/,
  },
  {
    name: "EventSource",
    code: 'const leaked = new EventSource("http://127.0.0.1:%HTTP%/es");',
    error: /cells cannot reach the network \(EventSource\)/,
  },
  {
    name: "({}).constructor.constructor",
    code: 'const leaked = ({}).constructor.constructor("return process")().env;',
    error: ENV,
  },
  {
    name: "db.constructor.constructor",
    code: 'const leaked = db.constructor.constructor("return process")().env;',
    error: SEALED,
  },
  {
    name: "an async host function's constructor",
    code: 'const leaked = await db.query.constructor("return process")();',
    error: SEALED,
  },
  {
    name: "a library's prototype chain",
    code: 'const leaked = Object.getPrototypeOf(Plot.plot).constructor("return globalThis")().process;',
    error: SEALED,
  },
  {
    name: "a host error's constructor",
    code: 'let leaked;\ntry { await db.query("SELEC nope") } catch (e) { leaked = e.constructor.constructor("return process")() }',
    error: SEALED,
  },
  {
    name: "a host array's constructor",
    code: 'const leaked = (await regions.rows(1)).constructor.constructor("return process")();',
    error: SEALED,
  },
  {
    name: "a getter planted on the host's Object.prototype",
    code: 'Object.defineProperty(Object.getPrototypeOf(db), "Bun", { get() { return this.process; } });',
    error: /Cannot define property Bun, object is not extensible/,
  },
  {
    name: "a host intrinsic wrapped (Object.keys)",
    code: "db.constructor.keys = (o) => Object.getOwnPropertyNames(o);",
    error: /Cannot assign to read only property 'keys'/,
  },
  {
    name: "a host iterator's next wrapped",
    code: "Object.getPrototypeOf((await regions.rows(1))[Symbol.iterator]()).next = () => ({ done: true });",
    error: /Cannot assign to read only property 'next'/,
  },
  {
    name: "Error.prepareStackTrace of the host",
    code: 'try { await db.query("SELEC nope") } catch (e) { e.constructor.prepareStackTrace = (_, sites) => sites; }',
    error: /Cannot assign to read only property 'prepareStackTrace'/,
  },
  {
    name: "db.engine.loadFile of /etc/passwd",
    code: 'await db.engine.loadFile("passwd", { kind: "path", path: "/etc/passwd" });',
    error: /^segbook run: cells cannot load files themselves \(db\.engine\.loadFile\)/,
  },
  {
    name: "db.engine.loadFile of a URL",
    code: 'await db.engine.loadFile("remote", { kind: "url", url: "http://127.0.0.1:%HTTP%/load" });',
    error: /^segbook run: cells cannot load files themselves \(db\.engine\.loadFile\)/,
  },
  {
    name: "db.engine.sniffCsv of /etc/passwd",
    code: 'await db.engine.sniffCsv({ kind: "path", path: "/etc/passwd" });',
    error: /^segbook run: cells cannot load files themselves \(db\.engine\.sniffCsv\)/,
  },
  {
    name: "db.engine's loadFile replaced",
    code: "db.engine.loadFile = async () => undefined;",
    error: /Cannot assign to read only property 'loadFile'/,
  },
  {
    name: "aq.loadCSV of /etc/passwd",
    code: 'const leaked = await aq.loadCSV("/etc/passwd");',
    error: /aq\.loadCSV reads files and URLs itself, which cells cannot/,
  },
  {
    name: "seg.export to ../",
    code: 'await seg.export(regions, { file: "../escaped.csv" });',
    error: /\.\.\/escaped\.csv/,
  },
];

/** A notebook with data, one SQL cell, an export, a lingering timer and every attack. */
function hostileNotebook(dir: string, ports: { http: number; udp: number }): string {
  const fill = (code: string) =>
    code
      .replaceAll("%HTTP%", String(ports.http))
      .replaceAll("%UDP%", String(ports.udp))
      .replaceAll("%SECRET%", SECRET)
      .replaceAll("%BESIDE%", path.join(dir, "beside.txt"))
      .replaceAll("%PARENT%", path.join(dir, "..", path.basename(dir) + "-parent.txt"))
      .replaceAll("%OUTSIDE%", path.join(dir, "outside.txt"));
  const cells = [
    "```sql regions\nSELECT customer_id, region FROM customers ORDER BY customer_id\n```",
    '```ts\nawait seg.export(regions, { file: "regions.csv" });\n```',
    // A timer that would tick after the run: it must print nothing once the run's summary is out.
    '```ts\nconst ticker = setInterval(() => console.log("LATE-TICK"), 50);\n```',
    // Each cell's own names (a name defined twice would block them all).
    ...attacks.map((a, i) => "```ts\n" + fill(a.code).replaceAll("leaked", `leaked${i}`) + "\n```"),
  ];
  const file = path.join(dir, "hostile.md");
  writeFileSync(file, "---\ntitle: hostile\ndata:\n  customers: customers.csv\n---\n\n" + cells.join("\n\n") + "\n");
  return file;
}

describe("segbook run sandboxes a hostile notebook's cells", () => {
  let server: Server;
  let udp: Socket;
  const arrived: string[] = [];
  let dir: string;
  let out: string;
  let run: { code: number | null; stdout: string; stderr: string };
  let report: RunReport;

  beforeAll(async () => {
    server = createServer((request, response) => {
      arrived.push(`http ${request.url}`);
      response.end("ok");
    });
    server.on("connection", () => arrived.push("tcp connection"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    udp = createSocket("udp4");
    udp.on("message", (message) => arrived.push(`udp ${message.toString()}`));
    await new Promise<void>((resolve) => udp.bind(0, "127.0.0.1", resolve));
    dir = mkdtempSync(path.join(tmpdir(), "segbook-sandbox-"));
    writeFileSync(path.join(dir, "customers.csv"), "customer_id,region\n1,north\n2,south\n");
    writeFileSync(path.join(dir, "beside.txt"), "beside the notebook");
    writeFileSync(path.join(dir, "..", path.basename(dir) + "-parent.txt"), "above the notebook");
    out = path.join(dir, "out");
    const file = hostileNotebook(dir, {
      http: (server.address() as { port: number }).port,
      udp: udp.address().port,
    });
    run = await segbook("run", file, "--out", out, "--threads", "2");
    // The report the run wrote (stdout holds the cells' lines and the ticker's output).
    report = JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as RunReport;
  }, 240_000);

  afterAll(() => {
    server?.close();
    udp?.close();
  });

  test("the run exits 1 naming a failed cell, and its own data, SQL and export work", () => {
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^FAILED .*hostile\.md:\d+:\d+: cell 4 \(ts, line \d+\) failed: segbook run: cells cannot reach the process/m,
    );
    const byLabel = (prefix: string) => report.cells.find((c) => c.label.startsWith(prefix))!;
    expect(byLabel('data "customers"').status).toBe("ok");
    expect(byLabel("cell 1 ").status).toBe("ok");
    expect(byLabel("cell 2 ").status).toBe("ok");
    expect(byLabel("cell 3 ").status).toBe("ok");
    expect(readFileSync(path.join(out, "regions.csv"), "utf8")).toContain("north");
  });

  test.each(attacks.map((attack, i) => ({ ...attack, cell: i + 4 })))(
    "a cell trying $name fails with a clear message",
    ({ cell, error }) => {
      const state = report.cells.find((c) => c.label.startsWith(`cell ${cell} `))!;
      expect(state.status).toBe("error");
      expect(state.error!.message).toMatch(error);
      expect(state.error!.message).not.toContain("__segbook");
    },
  );

  test("nothing reached the loopback listeners and nothing was written or leaked", () => {
    expect(arrived).toEqual([]);
    expect(existsSync(path.join(dir, "outside.txt"))).toBe(false);
    expect(existsSync(path.join(dir, "escaped.csv"))).toBe(false);
    expect(run.stdout).not.toContain(SECRET);
    expect(JSON.stringify(report)).not.toContain(SECRET);
    expect(JSON.stringify(report)).not.toContain("root:");
  });

  test("a timer a cell started prints nothing after the run's summary", () => {
    const lines = run.stdout.trim().split("\n");
    const summary = lines.findIndex((line) => line.startsWith("FAILED "));
    expect(summary).toBeGreaterThan(0);
    expect(lines.slice(summary + 1)).toEqual([]);
  });
});

describe("segbook run data paths and --out links", () => {
  test("a front matter path outside the notebook's folder is refused naming it and --allow-read; the flag allows it", async () => {
    const base = mkdtempSync(path.join(tmpdir(), "segbook-sandbox-paths-"));
    const dir = path.join(base, "notebooks");
    mkdirSync(dir);
    writeFileSync(path.join(base, "secrets.csv"), "token\nabc\n");
    // A link committed beside the notebook pointing out of its folder reads nothing either.
    symlinkSync(base, path.join(dir, "linked"));
    const file = path.join(dir, "paths.md");
    // Pinning a file's sha256 lets a notebook read it from anywhere: its author already has the bytes.
    const sha = createHash("sha256").update("token\nabc\n").digest("hex");
    writeFileSync(
      file,
      "---\ndata:\n  passwd: /etc/passwd\n  up: ../secrets.csv\n  linked: linked/secrets.csv\n" +
        `  pinned:\n    path: ../secrets.csv\n    sha256: ${sha}\n` +
        "---\n\n```sql\nSELECT * FROM up\n```\n",
    );
    // A pin that does not match reads nothing, not even under the sha256 rule.
    const guessed = path.join(dir, "guessed.md");
    writeFileSync(guessed, `---\ndata:\n  guessed:\n    path: /etc/passwd\n    sha256: ${"f".repeat(64)}\n---\n`);
    const [refused, allowed, wrongPin] = await Promise.all([
      segbook("run", file, "--json", "--threads", "1"),
      segbook(
        ...["run", file, "--json", "--threads", "1", "--allow-read", base],
        ...["--data", `passwd=${path.join(base, "secrets.csv")}`],
      ),
      segbook("run", guessed, "--json", "--threads", "1"),
    ]);
    expect(refused.code).toBe(1);
    const cells = (JSON.parse(refused.stdout) as RunReport).cells;
    const error = (name: string) => cells.find((c) => c.label === `data "${name}"`)!.error!.message;
    expect(error("passwd")).toMatch(
      /^data "passwd": \/etc\/passwd is outside the notebook's folder, and a notebook may only name data in its own folder \(or pin its sha256\); to let this run read it, pass --allow-read \/etc or --data passwd=PATH/,
    );
    expect(error("up")).toMatch(/^data "up": \.\.\/secrets\.csv is outside the notebook's folder.*--allow-read /);
    expect(error("linked")).toMatch(/^data "linked": linked\/secrets\.csv \(a link to .*secrets\.csv\) is outside/);
    const guessedData = (JSON.parse(wrongPin.stdout) as RunReport).cells.find((c) => c.label === 'data "guessed"')!;
    expect(wrongPin.code).toBe(1);
    expect(guessedData.error!.message).toMatch(
      /^data "guessed": \/etc\/passwd is outside the notebook's folder and its sha256 is not the one the front matter pins, so it is not read; .*--allow-read \/etc/,
    );
    const pinned = cells.find((c) => c.label === 'data "pinned"')!;
    expect(pinned.status).toBe("ok");
    expect(pinned.notes).toContain(
      "read from outside the notebook's folder (../secrets.csv): its bytes match the front matter's sha256",
    );
    expect(allowed.stderr).toBe("");
    expect(allowed.code, allowed.stdout).toBe(0);
  }, 240_000);

  test("a symlink planted in --out is never written through", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "segbook-sandbox-out-"));
    writeFileSync(path.join(dir, "customers.csv"), "customer_id,region\n1,north\n");
    writeFileSync(path.join(dir, "victim.txt"), "keep me");
    const out = path.join(dir, "out");
    mkdirSync(out);
    symlinkSync(path.join(dir, "victim.txt"), path.join(out, "regions.csv"));
    symlinkSync(path.join(dir, "victim.txt"), path.join(out, "report.html"));
    const file = path.join(dir, "export.md");
    writeFileSync(
      file,
      '---\ndata:\n  customers: customers.csv\n---\n\n```ts\nawait seg.export(customers, { file: "regions.csv" });\n```\n',
    );
    const { code, stdout, stderr } = await segbook("run", file, "--out", out, "--threads", "1");
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /--out: refusing to write .*regions\.csv: it is a symbolic link \(to .*victim\.txt\); --out never follows links out of its folder/,
    );
    expect(stderr).toMatch(/^segbook run: --out: refusing to write .*report\.html: it is a symbolic link/);
    expect(readFileSync(path.join(dir, "victim.txt"), "utf8")).toBe("keep me");
  }, 240_000);

  test("segbook run --allow-host-access gives a trusted notebook's cells the host back", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "segbook-sandbox-trusted-"));
    const file = path.join(dir, "trusted.md");
    writeFileSync(
      file,
      '```ts\nconst secret = process.env.SEGBOOK_SANDBOX_SECRET;\nconst id = (await import("node:child_process")).execSync("id").toString();\nconsole.log(`host: ${secret} ${id.includes("uid=")}`);\n```\n',
    );
    const [sandboxed, trusted] = await Promise.all([
      segbook("run", file, "--threads", "1"),
      segbook("run", file, "--threads", "1", "--allow-host-access"),
    ]);
    expect(sandboxed.code).toBe(1);
    expect(sandboxed.stdout).not.toContain(SECRET);
    expect(trusted.stderr).toBe("");
    expect(trusted.code).toBe(0);
    expect(trusted.stdout).toContain(`host: ${SECRET} true`);
  }, 240_000);
});
