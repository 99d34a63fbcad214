/**
 * The cell sandbox frame (src/ui/sandbox, docs/sandbox.md) on the built site with `?sandbox=1`, in
 * headless Chromium, tried from inside the frame as a hostile cell would: the site's storage is out
 * of reach, nothing it sends reaches a loopback listener the test runs (HTTP and UDP), it cannot open
 * windows or navigate, and a `while (true) {}` in it leaves the app free to handle a click that tears
 * the frame down. DuckDB behind the engine port answers queries but is locked against files and URLs.
 */
import dgram from "node:dgram";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import type { WatchedPage } from "./helpers/browser.ts";
import { startHttpServer, type LoopbackServer } from "./helpers/hostile-servers.ts";
import { useWorkbench, type Workbench } from "./helpers/setup.ts";

/** The frame handle the opt-in puts on the window (src/ui/sandbox/sandbox-opt-in.ts). */
interface SandboxHandle {
  ready(): Promise<void>;
  evaluate(source: string): Promise<unknown>;
  run(source: string): { started: Promise<void>; result: Promise<unknown> };
  reset(): Promise<void>;
  open(source: string): Promise<unknown>;
  element: HTMLIFrameElement;
}
type SandboxWindow = Window & { segbookSandbox?: SandboxHandle };

/** The app's handle (NotebookState.#start): with `?sandbox=1` its notebook runs in the frame. */
type AppWindow = SandboxWindow & { segbook?: { notebook: { settled(): Promise<void> } } };

/**
 * Opens the site with the sandbox, waits until its frame has booted and the site's notebook (the
 * default one, run in the frame) has settled, so its loads are over before the test's own.
 */
async function openSandbox(workbench: Workbench): Promise<WatchedPage> {
  const w = await workbench.open();
  await w.page.goto(`${workbench.url()}?sandbox=1`);
  await w.page.waitForFunction(() => Boolean((window as AppWindow).segbookSandbox && (window as AppWindow).segbook));
  await w.page.evaluate(() => (window as AppWindow).segbookSandbox!.ready());
  await w.page.evaluate(() => (window as AppWindow).segbook!.notebook.settled());
  return w;
}

/** Runs `source` in the frame (an async function body with `engine` in scope) and returns its value. */
function inFrame(page: Page, source: string): Promise<unknown> {
  return page.evaluate((s) => (window as SandboxWindow).segbookSandbox!.evaluate(s), source);
}

/** Like {@link inFrame}, but returns the error's name and message (or "no error"). */
function frameError(page: Page, source: string): Promise<string> {
  return page.evaluate(
    (s) =>
      (window as SandboxWindow).segbookSandbox!.evaluate(s).then(
        () => "no error",
        (e: Error) => `${e.name}: ${e.message}`,
      ),
    source,
  );
}

describe.each(["built", "dev"] as const)("the sandbox frame on the %s site", (kind) => {
  const workbench = useWorkbench(kind);

  test("boots from the app's bundle with an opaque origin, in an out-of-process frame", async () => {
    const w = await openSandbox(workbench);
    expect(await inFrame(w.page, "return [self.origin, typeof document, 6 * 7]")).toEqual(["null", "object", 42]);
    // Chromium lists an out-of-process iframe as a target of its own.
    const cdp = await w.context.newCDPSession(w.page);
    const { targetInfos } = (await cdp.send("Target.getTargets")) as { targetInfos: { type: string; url: string }[] };
    expect(targetInfos.filter((t) => t.type === "iframe").map((t) => t.url)).toEqual(["about:srcdoc"]);
    expect(w.blockedRequests).toEqual([]);
    expect(w.pageErrors).toEqual([]);
  });
});

describe("the sandbox frame against a hostile cell", () => {
  const workbench = useWorkbench("built");
  let sink: LoopbackServer;
  let udp: dgram.Socket;
  const datagrams: number[] = [];

  beforeAll(async () => {
    sink = await startHttpServer();
    sink.route("/data.csv", { body: "a\n1\n", headers: { "Access-Control-Allow-Origin": "*" } });
    udp = dgram.createSocket("udp4");
    udp.on("message", (message) => datagrams.push(message.length));
    await new Promise<void>((resolve) => udp.bind(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    await sink?.close();
    udp?.close();
  });

  test("storage of the site is out of reach: each API throws SecurityError", async () => {
    const w = await openSandbox(workbench);
    const attempts: Record<string, string> = {
      indexedDB: "indexedDB.open('segbook')",
      localStorage: "localStorage.getItem('x')",
      sessionStorage: "sessionStorage.getItem('x')",
      "OPFS (navigator.storage.getDirectory)": "await navigator.storage.getDirectory()",
      "Cache Storage": "await caches.keys()",
      cookies: "document.cookie = 'a=1'; if (document.cookie !== '') throw new Error('cookie kept')",
      "the app's document": "parent.document.title",
      "the app's storage through the parent": "parent.localStorage.length",
    };
    const results: Record<string, string> = {};
    for (const [name, source] of Object.entries(attempts)) {
      results[name] = (await frameError(w.page, source)).split(":")[0]!;
    }
    expect(results).toEqual({
      indexedDB: "SecurityError",
      localStorage: "SecurityError",
      sessionStorage: "SecurityError",
      "OPFS (navigator.storage.getDirectory)": "SecurityError",
      "Cache Storage": "SecurityError",
      // A sandboxed document's cookie setter throws too.
      cookies: "SecurityError",
      "the app's document": "SecurityError",
      "the app's storage through the parent": "SecurityError",
    });
  });

  test("nothing the frame sends arrives: fetch, XHR, beacon, EventSource, WebSocket, images, styles, prefetch, a worker's fetch, WebRTC", async () => {
    const w = await openSandbox(workbench);
    const url = (what: string) => `${sink.origin}/${what}?secret=autosave`;
    const ws = sink.origin.replace("http:", "ws:");
    const udpPort = (udp.address() as AddressInfo).port;
    // Each attempt settles on its own failure signal, so the frame is done trying when it returns.
    const outcome = await inFrame(
      w.page,
      `
      const out = {};
      const settle = (target, ok, bad) => new Promise((resolve) => { target[ok] = () => resolve("loaded"); target[bad] = () => resolve("refused"); });
      out.fetch = await fetch(${JSON.stringify(url("fetch"))}).then(() => "sent", (e) => e.name);
      out.xhr = await new Promise((resolve) => { const x = new XMLHttpRequest(); x.onload = () => resolve("sent"); x.onerror = () => resolve("refused"); x.open("GET", ${JSON.stringify(url("xhr"))}); x.send(); });
      // sendBeacon says true (queued): the policy refuses the request later, so only the sink can tell.
      navigator.sendBeacon(${JSON.stringify(url("beacon"))}, "x");
      out.eventSource = await new Promise((resolve) => { try { const s = new EventSource(${JSON.stringify(url("events"))}); s.onopen = () => resolve("open"); s.onerror = () => { s.close(); resolve("refused"); }; } catch (e) { resolve(e.name); } });
      out.webSocket = await new Promise((resolve) => { try { const s = new WebSocket(${JSON.stringify(`${ws}/socket`)}); s.onopen = () => resolve("open"); s.onerror = () => resolve("refused"); } catch (e) { resolve(e.name); } });
      const img = document.createElement("img"); const imgDone = settle(img, "onload", "onerror"); img.src = ${JSON.stringify(url("img"))}; document.body.append(img); out.img = await imgDone;
      const link = document.createElement("link"); link.rel = "stylesheet"; const linkDone = settle(link, "onload", "onerror"); link.href = ${JSON.stringify(url("css"))}; document.head.append(link); out.stylesheet = await linkDone;
      const pre = document.createElement("link"); pre.rel = "prefetch"; const preDone = settle(pre, "onload", "onerror"); pre.href = ${JSON.stringify(url("prefetch"))}; document.head.append(pre); out.prefetch = await preDone;
      const bg = document.createElement("div"); bg.style.backgroundImage = "url(${url("background")})"; bg.textContent = "x"; document.body.append(bg); getComputedStyle(bg).backgroundImage;
      const worker = new Worker(URL.createObjectURL(new Blob(["fetch(" + ${JSON.stringify(JSON.stringify(url("worker")))} + ").then(() => postMessage('sent'), (e) => postMessage(e.name))"], { type: "text/javascript" })));
      out.workerFetch = await new Promise((resolve) => { worker.onmessage = (e) => resolve(e.data); worker.onerror = (e) => resolve("worker refused"); });
      try { const pc = new RTCPeerConnection({ iceServers: [{ urls: "stun:127.0.0.1:${udpPort}" }] }); pc.createDataChannel("x"); await pc.setLocalDescription(await pc.createOffer()); out.webrtc = "offer set"; } catch (e) { out.webrtc = e.name + "/" + typeof webkitRTCPeerConnection; }
      return out;
      `,
    );
    expect(outcome).toEqual({
      fetch: "TypeError",
      xhr: "refused",
      eventSource: "refused",
      webSocket: "refused",
      img: "refused",
      stylesheet: "refused",
      prefetch: "refused",
      workerFetch: "TypeError",
      // Removed from the frame's realm before any cell code runs (CSP does not cover WebRTC).
      webrtc: "ReferenceError/undefined",
    });
    // The background image and anything late: the app (whose policy may reach loopback) sends a
    // control request after all the frame's attempts; it must be the only request that arrived.
    await w.page.evaluate((u) => fetch(u).then((r) => r.text()), `${sink.origin}/control`);
    expect(sink.requests).toEqual(["GET /control"]);
    expect(datagrams).toEqual([]);
  });

  test("the frame cannot open windows, navigate itself or its parent, or submit forms: nothing arrives", async () => {
    const w = await openSandbox(workbench);
    sink.requests.length = 0;
    const popups: string[] = [];
    w.context.on("page", (p) => popups.push(p.url()));
    const outcome = await inFrame(
      w.page,
      `
      const out = {};
      out.windowOpen = String(window.open(${JSON.stringify(`${sink.origin}/open?secret=1`)}));
      try { top.location.href = ${JSON.stringify(`${sink.origin}/top?secret=1`)}; out.top = "no error"; } catch (e) { out.top = e.name; }
      const a = document.createElement("a"); a.href = ${JSON.stringify(`${sink.origin}/link?secret=1`)}; a.target = "_blank"; document.body.append(a); a.click();
      const form = document.createElement("form"); form.method = "post"; form.action = ${JSON.stringify(`${sink.origin}/form`)}; document.body.append(form);
      try { form.submit(); out.form = "submitted?"; } catch (e) { out.form = e.name; }
      return out;
      `,
    );
    expect(outcome).toMatchObject({ windowOpen: "null", top: "SecurityError" });
    // The frame navigating itself (data in the URL) is refused by the app's frame-src 'none'; the frame
    // is left on an error page, which the app notices by its second load event and rebuilds the frame.
    const first = await w.page.evaluate((target) => {
      const sandbox = (window as SandboxWindow).segbookSandbox!;
      const element = sandbox.element;
      element.dataset.first = "yes";
      void sandbox.evaluate(`location.href = ${JSON.stringify(target)}`).catch(() => {});
      return element.isConnected;
    }, `${sink.origin}/navigate?secret=1`);
    expect(first).toBe(true);
    await w.page.waitForFunction(() => !(window as SandboxWindow).segbookSandbox!.element.dataset.first);
    await w.page.evaluate(() => (window as SandboxWindow).segbookSandbox!.ready());
    await w.page.evaluate((u) => fetch(u).then((r) => r.text()), `${sink.origin}/control`);
    expect(sink.requests).toEqual(["GET /control"]);
    expect(popups).toEqual([]);
    // The rebuilt frame works.
    expect(await inFrame(w.page, "return 1 + 1")).toBe(2);
  });

  test("while (true) {} in the frame: a click on the app is handled before the spin ends, tearing the frame down, and a fresh frame answers", async () => {
    const w = await openSandbox(workbench);
    // The app's Stop stands in as a button of the page whose handler tears the sandbox down.
    await w.page.evaluate(() => {
      const stop = document.createElement("button");
      stop.id = "test-stop";
      stop.textContent = "Stop";
      stop.style.cssText = "position: fixed; top: 0; left: 0; z-index: 99999";
      stop.addEventListener("click", () => {
        stop.dataset.clicked = "yes";
        void (window as SandboxWindow).segbookSandbox!.reset();
      });
      document.body.append(stop);
    });
    // Starts the spin and records how it ended; resolves once the frame said it began.
    await w.page.evaluate(async () => {
      const run = (window as SandboxWindow).segbookSandbox!.run("while (true) {}");
      run.result.then(
        () => document.body.setAttribute("data-spin", "returned"),
        (e: Error) => document.body.setAttribute("data-spin", e.name),
      );
      await run.started;
    });
    // The spin never ends by itself: the only way data-spin gets set is the click handler's reset.
    await w.page.click("#test-stop");
    await w.page.waitForSelector("body[data-spin]");
    expect(await w.page.getAttribute("body", "data-spin")).toBe("SandboxStopped");
    expect(await w.page.getAttribute("#test-stop", "data-clicked")).toBe("yes");
    // All sandboxed frames of the site share one process in a tab: the fresh frame answering shows the
    // spinning process is gone.
    await w.page.evaluate(() => (window as SandboxWindow).segbookSandbox!.ready());
    expect(await inFrame(w.page, "return 6 * 7")).toBe(42);
    expect(await w.page.locator("iframe.segbook-sandbox").count()).toBe(1);
  });

  test("engine port: cells query the app's DuckDB, which is locked against files, URLs and setting changes", async () => {
    const w = await openSandbox(workbench);
    sink.requests.length = 0;
    expect(
      await inFrame(w.page, "const t = await engine.query('SELECT 42 AS answer'); return t.getChild('answer').get(0)"),
    ).toBe(42);
    const refusals = {
      remoteCsv: await frameError(w.page, `await engine.query("SELECT * FROM read_csv('${sink.origin}/data.csv')")`),
      settingBack: await frameError(w.page, "await engine.exec('SET enable_external_access = true')"),
      copyTo: await frameError(w.page, "await engine.exec(\"COPY (SELECT 1) TO 'out.csv'\")"),
    };
    expect(refusals.remoteCsv).toMatch(/disabled|Permission/i);
    expect(refusals.settingBack).toMatch(/locked/i);
    expect(refusals.copyTo).toMatch(/disabled|Permission/i);
    await w.page.evaluate((u) => fetch(u).then((r) => r.text()), `${sink.origin}/control`);
    expect(sink.requests).toEqual(["GET /control"]);
  });
});

describe("a notebook in the sandbox frame", () => {
  const workbench = useWorkbench("built");

  test("open() runs SQL, Plot and Markdown cells on the app's engine, with their outputs in the frame and not in the page", async () => {
    const w = await openSandbox(workbench);
    const source = [
      "# In the sandbox",
      "",
      "```sql squares",
      "SELECT range AS n, range * range AS square FROM range(5)",
      "```",
      "",
      "```ts",
      'Plot.barY([{ k: "a", v: 1 }, { k: "b", v: 2 }], { x: "k", y: "v" }).plot()',
      "```",
      "",
      "Rows: ${squares.numRows}, answer ${6 * 7}.",
      "",
    ].join("\n");
    const statuses = (await w.page.evaluate((s) => (window as SandboxWindow).segbookSandbox!.open(s), source)) as {
      kind: string;
      status: string;
      error?: string;
    }[];
    expect(statuses.map((c) => `${c.kind}: ${c.status}${c.error ? ` (${c.error})` : ""}`)).toEqual([
      "md: ok",
      "sql: ok",
      "ts: ok",
      "md: ok",
    ]);
    // Read the frame's DOM from outside (DevTools), not through the app's protocol.
    const frame = w.page.frames().find((f) => f.url() === "about:srcdoc");
    expect(frame).toBeDefined();
    const seen = await frame!.evaluate(() => ({
      cells: document.querySelectorAll(".sandbox-cell").length,
      plotSvgs: document.querySelectorAll('.sandbox-cell[data-kind="ts"] svg').length,
      text: document.body.innerText,
    }));
    expect(seen.cells).toBe(4);
    expect(seen.plotSvgs).toBeGreaterThan(0);
    expect(seen.text).toContain("Rows: 5, answer 42.");
    // The grid of the SQL cell pages rows through the engine port (after the cell settled): the square
    // of 4 shows up once its first page arrived.
    // The grid is virtualized: it asks for rows once it is in view.
    await frame!.evaluate(() => document.querySelector('.sandbox-cell[data-kind="sql"]')!.scrollIntoView());
    await frame!
      .waitForFunction(() => /\b16\b/.test(document.body.innerText), undefined, { timeout: 20_000 })
      .catch(async (error: unknown) => {
        // What the frame showed instead, for whoever reads the failure.
        await w.page.screenshot({ path: "test-results/sandbox-grid.png" });
        throw error;
      });
    expect(await w.page.locator(".sandbox-cell").count()).toBe(0);
    expect(w.pageErrors).toEqual([]);
  });
});

describe("a notebook's data sources in the sandbox frame", () => {
  const workbench = useWorkbench("built");

  /** Opens `source` in the frame; each cell as "kind: status (error)". */
  async function openInFrame(w: WatchedPage, source: string): Promise<string[]> {
    const statuses = (await w.page.evaluate((s) => (window as SandboxWindow).segbookSandbox!.open(s), source)) as {
      kind: string;
      status: string;
      error?: string;
    }[];
    return statuses.map((c) => `${c.kind}: ${c.status}${c.error ? ` (${c.error})` : ""}`);
  }

  test("open() loads the front matter's data in the app; cells see them as tables, and reach no other file", async () => {
    const w = await openSandbox(workbench);
    const fetchedBy: string[] = [];
    w.page.on("request", (request) => {
      // The site may be served under a sub-path: keep the path from notebooks/ on.
      const file = /notebooks\/.*\.csv$/.exec(new URL(request.url()).pathname)?.[0];
      if (file) fetchedBy.push(`${file} by ${request.frame() === w.page.mainFrame() ? "app" : "frame"}`);
    });
    const customers = [
      "---",
      "data:",
      "  customers: notebooks/data/customers.csv",
      "---",
      "",
      "```sql counted",
      "SELECT count(*)::INT AS n FROM customers",
      "```",
      "",
    ].join("\n");
    expect(await openInFrame(w, customers)).toEqual(["sql: ok"]);
    // The app fetched the file; the frame (no network) asked for the table by name only.
    expect(fetchedBy).toEqual(["notebooks/data/customers.csv by app"]);
    const expectedRows = await w.page.evaluate(() =>
      fetch("notebooks/data/customers.csv").then(async (r) => (await r.text()).trim().split("\n").length - 1),
    );
    fetchedBy.length = 0;
    expect(
      await inFrame(w.page, "return (await engine.query('SELECT count(*)::INT AS n FROM customers')).get(0).n"),
    ).toBe(expectedRows);
    // Loaded after the lock (the engine was locked at the frame's first request): the one directory
    // the app registers files under is all DuckDB may read, and nothing of this notebook is left in it.
    expect(
      await inFrame(
        w.page,
        "return (await engine.query(\"SELECT count(*)::INT AS n FROM glob('/segbook-files/*')\")).get(0).n",
      ),
    ).toBe(0);
    const refusals = {
      siteFile: await frameError(w.page, "await engine.query(\"SELECT * FROM read_csv('notebooks/data/orders.csv')\")"),
      unnamed: await frameError(
        w.page,
        "await engine.loadFile('orders', { kind: 'url', url: 'notebooks/data/orders.csv' })",
      ),
    };
    expect(refusals.siteFile).toMatch(/disabled by configuration/);
    expect(refusals.unnamed).toBe(`Error: data "orders" is not a data source of this notebook's front matter`);
    expect(fetchedBy).toEqual([]);

    // The next notebook gets a fresh frame and engine: the first one's table is gone.
    const orders = [
      "---",
      "data:",
      "  orders: notebooks/data/orders.csv",
      "---",
      "",
      "```sql",
      "SELECT count(*) AS n FROM orders",
      "```",
      "",
      "```sql",
      "SELECT * FROM customers",
      "```",
      "",
    ].join("\n");
    const statuses = await openInFrame(w, orders);
    expect(statuses[0]).toBe("sql: ok");
    expect(statuses[1]).toMatch(/^sql: error \(.*customers/);
    expect(fetchedBy).toEqual(["notebooks/data/orders.csv by app"]);
    expect(w.blockedRequests).toEqual([]);
    expect(w.pageErrors).toEqual([]);
  });
});

describe("seg in the sandbox frame", () => {
  const workbench = useWorkbench("built");

  test("seg.kmeans in a frame cell fits on kernel workers started from blob: URLs of the frame", async () => {
    const w = await openSandbox(workbench);
    const workers: string[] = [];
    w.page.on("worker", (worker) => workers.push(worker.url()));
    const source = [
      "---",
      "data:",
      "  customers: notebooks/data/customers.csv",
      "---",
      "",
      "```ts",
      'const clusters = await seg.kmeans(customers, { features: ["age"], k: 3, id: "customer_id" });',
      "```",
      "",
      "Clustered ${clusters.info.sizes.reduce((a, b) => a + b, 0)} customers into ${clusters.info.sizes.length} segments.",
      "",
    ].join("\n");
    const statuses = (await w.page.evaluate((s) => (window as SandboxWindow).segbookSandbox!.open(s), source)) as {
      kind: string;
      status: string;
      error?: string;
    }[];
    expect(statuses.map((c) => `${c.kind}: ${c.status}${c.error ? ` (${c.error})` : ""}`)).toEqual([
      "ts: ok",
      "md: ok",
    ]);
    const customers = await w.page.evaluate(() =>
      fetch("notebooks/data/customers.csv").then(async (r) => (await r.text()).trim().split("\n").length - 1),
    );
    const frame = w.page.frames().find((f) => f.url() === "about:srcdoc");
    expect(await frame!.evaluate(() => document.body.innerText)).toContain(
      `Clustered ${customers} customers into 3 segments.`,
    );
    // The frame's workers have blob: URLs of its opaque origin; the page's own (DuckDB) are site URLs.
    expect(workers.filter((url) => url.startsWith("blob:null/")).length).toBeGreaterThan(0);
    expect(w.blockedRequests).toEqual([]);
    expect(w.pageErrors).toEqual([]);
  });

  test("seg.export in a frame cell is offered by the app and downloads only on the app's button", async () => {
    const w = await openSandbox(workbench);
    const downloads: string[] = [];
    w.page.on("download", (download) => downloads.push(download.suggestedFilename()));
    const source = [
      "---",
      "data:",
      "  customers: notebooks/data/customers.csv",
      "---",
      "",
      "```sql members",
      "SELECT customer_id, region AS segment, age FROM customers ORDER BY customer_id",
      "```",
      "",
      "```ts",
      'await seg.export(members, { file: "members.csv", segment: "segment" });',
      "```",
      "",
    ].join("\n");
    const statuses = (await w.page.evaluate((s) => (window as SandboxWindow).segbookSandbox!.open(s), source)) as {
      kind: string;
      status: string;
      error?: string;
    }[];
    expect(statuses.map((c) => `${c.kind}: ${c.status}${c.error ? ` (${c.error})` : ""}`)).toEqual([
      "sql: ok",
      "ts: ok",
    ]);
    const csvButton = w.page.getByRole("button", { name: "Download members.csv", exact: true });
    await csvButton.waitFor();
    await expect(w.page.getByRole("button", { name: "Download members.csv.manifest.json" }).count()).resolves.toBe(1);
    // Prepared, not downloaded: the frame cannot download, and the app waits for the click.
    expect(downloads).toEqual([]);
    const [download] = await Promise.all([w.page.waitForEvent("download"), csvButton.click()]);
    expect(download.suggestedFilename()).toBe("members.csv");
    const lines = readFileSync((await download.path())!, "utf8")
      .trim()
      .split("\n");
    const customers = await w.page.evaluate(() =>
      fetch("notebooks/data/customers.csv").then(async (r) => (await r.text()).trim().split("\n").length - 1),
    );
    expect(lines[0]).toBe("customer_id,segment,age");
    expect(lines.length - 1).toBe(customers);
    // The next notebook is a fresh frame: the old run's offers are withdrawn.
    await w.page.evaluate((s) => (window as SandboxWindow).segbookSandbox!.open(s), "```sql\nSELECT 1\n```\n");
    expect(await w.page.getByRole("button", { name: /^Download / }).count()).toBe(0);
    expect(w.pageErrors).toEqual([]);
  });
});
