/**
 * Stage 4 and the crash path of docs/sandbox.md on the built site with `?sandbox=1`: outputs in the
 * sandbox frame take the page's theme (light, dark, and a change made with the app's toggle); the
 * grid's CSV and Copy in the frame become offers the app saves or copies on its own click (the frame
 * itself downloads nothing); and a frame whose process dies (a cell exhausting the heap) or that
 * navigates away is replaced by an empty one, with a message in the app and the cells it had not
 * finished marked as stopped, while a long spin is not taken for a crash. `segbookSandbox.open` puts
 * a text in the app's notebook, which runs it in the frame, and gives the app's cell statuses.
 */
import { readFileSync } from "node:fs";
import { mkdirSync } from "node:fs";
import { describe, expect, test } from "vitest";
import type { CDPSession, Frame } from "playwright-core";
import type { WatchedPage } from "./helpers/browser.ts";
import { useWorkbench, type Workbench } from "./helpers/setup.ts";
import { waitForSettled } from "./helpers/workbench.ts";

/** The frame handle the opt-in puts on the window (src/ui/sandbox/sandbox-opt-in.ts). */
interface SandboxHandle {
  ready(): Promise<void>;
  evaluate(source: string): Promise<unknown>;
  open(source: string): Promise<OpenedCell[]>;
}
/** One cell's status as `open` gives it. */
type OpenedCell = { kind: string; status: string; error?: string };
type SandboxWindow = Window & { segbookSandbox?: SandboxHandle; openOutcome?: string | OpenedCell[] };

/** Where the screenshots go (for a person to look at; nothing compares pixels). */
const SHOTS = "test-results/sandbox-looks";

/** Opens the site (with `notebook` in the page, if given) with the sandbox and waits until its frame has booted. */
async function openSandbox(workbench: Workbench, notebook?: string): Promise<WatchedPage> {
  const w = await workbench.open();
  await w.page.goto(notebook ? `${workbench.url(notebook)}&sandbox=1` : `${workbench.url()}?sandbox=1`);
  await w.page.waitForFunction(() => Boolean((window as SandboxWindow).segbookSandbox));
  await w.page.evaluate(() => (window as SandboxWindow).segbookSandbox!.ready());
  return w;
}

/** "kind: status (error)", one per cell. */
function described(statuses: OpenedCell[]): string[] {
  return statuses.map((c) => `${c.kind}: ${c.status}${c.error ? ` (${c.error})` : ""}`);
}

/** Puts `source` in the app's notebook (run in the frame) and returns each cell as "kind: status". */
async function openNotebook(w: WatchedPage, source: string): Promise<string[]> {
  return described(await w.page.evaluate((s) => (window as SandboxWindow).segbookSandbox!.open(s), source));
}

/** The frame, as DevTools sees it (for clicks and reads from outside the app's protocol). */
function sandboxFrame(w: WatchedPage): Frame {
  const frame = w.page.frames().find((f) => f.url() === "about:srcdoc");
  if (!frame) throw new Error("no sandbox frame in the page");
  return frame;
}

/** Waits until the frame's grid shows its rows (it asks for them once in view, through the engine port). */
async function gridRows(frame: Frame): Promise<void> {
  await frame.evaluate(() => document.querySelector('.sandbox-cell[data-kind="sql"]')!.scrollIntoView());
  await frame.waitForFunction(() => /row 12/.test(document.body.innerText), undefined, { timeout: 20_000 });
  await frame.evaluate(() => scrollTo(0, 0));
}

/**
 * A picture of the whole notebook in the frame: the frame laid over the page and the window made as
 * tall as its content (Chromium leaves an out-of-process frame blank outside the window), then put back.
 */
async function screenshotFrame(w: WatchedPage, frame: Frame, path: string): Promise<void> {
  const height = await frame.evaluate(() => document.documentElement.scrollHeight);
  const element = w.page.locator("iframe.segbook-sandbox");
  const viewport = w.page.viewportSize()!;
  const before = await element.evaluate((e, h) => {
    const style = (e as HTMLElement).style;
    const old = style.cssText;
    style.cssText += `; position: fixed; inset: 0; z-index: 100; height: ${h}px`;
    return old;
  }, height);
  await w.page.setViewportSize({ width: viewport.width, height });
  // A resized out-of-process frame paints a moment later: wait for two of its frames.
  await frame.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  await w.page.screenshot({ path, animations: "disabled" });
  await w.page.setViewportSize(viewport);
  await element.evaluate((e, old) => ((e as HTMLElement).style.cssText = old), before);
}

/**
 * A notebook with a Markdown heading, text, code and a table, a SQL table (grid) and a Plot; a page
 * without the sandbox opens the same file, so its outputs can be compared with the frame's.
 */
const LOOKS_PATH = "__test-notebooks__/sandbox-looks.md";

/** The looks notebook's text, fetched by the page. */
function looksNotebook(w: WatchedPage): Promise<string> {
  return w.page.evaluate((path) => fetch(path).then((r) => r.text()), LOOKS_PATH);
}

/** The computed colours and fonts that make an output's look, read in one document. */
function looksIn(): Record<string, string> {
  const style = (selector: string) => {
    const element = document.querySelector(selector);
    if (!element) throw new Error(`no ${selector}`);
    return getComputedStyle(element);
  };
  const grid = document.querySelector(".grid-bar") ? style(".grid-bar") : undefined;
  return {
    background: getComputedStyle(document.documentElement).backgroundColor,
    text: style(".markdown").color,
    font: style(".markdown").fontFamily,
    code: style(".markdown code").backgroundColor,
    tableBorder: style(".markdown td").borderTopColor,
    gridBar: grid?.backgroundColor ?? "",
    gridText: grid?.color ?? "",
    gridFont: grid?.fontSize ?? "",
    scheme: getComputedStyle(document.documentElement).colorScheme,
  };
}

/**
 * What the same look should be in the page: the theme's variables resolved in the page's own
 * document (an element styled with them, removed again), so a frame without the theme fails.
 */
function pageTheme(): Record<string, string> {
  const probe = (css: string, property: "color" | "backgroundColor" | "fontFamily" | "borderTopColor" | "fontSize") => {
    const element = document.createElement("div");
    element.style.cssText = css;
    document.body.append(element);
    const value = getComputedStyle(element)[property];
    element.remove();
    return value;
  };
  return {
    background: getComputedStyle(document.documentElement).backgroundColor,
    text: getComputedStyle(document.body).color,
    font: getComputedStyle(document.body).fontFamily,
    code: probe("background: var(--surface)", "backgroundColor"),
    tableBorder: probe("border: 1px solid var(--border)", "borderTopColor"),
    gridBar: probe("background: var(--surface)", "backgroundColor"),
    gridText: probe("color: var(--muted)", "color"),
    gridFont: probe("font-size: 0.75rem", "fontSize"),
    scheme: document.documentElement.dataset.theme ?? "",
  };
}

/**
 * The look of the looks notebook's outputs under `root` (the page's notebook, or the frame's): what
 * makes them read the same, leaving out what depends on the column's width.
 */
function outputLooks(root: string): Record<string, string> {
  const scope = document.querySelector(root);
  if (!scope) throw new Error(`no ${root}`);
  const pick = (selector: string, properties: string[]) => {
    const element = scope.querySelector(selector);
    if (!element) throw new Error(`no ${selector} in ${root}`);
    const style = getComputedStyle(element);
    return Object.fromEntries(properties.map((p) => [`${selector} ${p}`, style.getPropertyValue(p)]));
  };
  const text = ["color", "font-family", "font-size", "font-weight", "line-height"];
  return {
    ...pick(".markdown h1", [...text, "margin-top", "margin-bottom"]),
    ...pick(".markdown p", text),
    ...pick(".markdown code", [...text, "background-color", "padding-left", "border-radius"]),
    ...pick(".markdown td", [...text, "border-top-color", "padding-left"]),
    ...pick(".data-grid", ["border-top-color", "border-radius", "background-color"]),
    ...pick(".grid-bar", [...text, "background-color", "height"]),
    ...pick(".grid-bar button", [...text, "background-color", "border-top-color", "height"]),
    ...pick(".grid-header", ["background-color", "height"]),
    ...pick(".column-name", text),
    ...pick(".grid-row .grid-cell:not(.row-number)", [...text, "height"]),
    ...pick(".grid-row .row-number", text),
    ...pick("svg[class^=plot]", ["color", "font-family", "font-size", "width", "height", "background-color"]),
  };
}

describe("outputs in the sandbox frame take the page's look", () => {
  const workbench = useWorkbench("built");

  test("open(): Markdown, a grid and a Plot in the frame have the page's colours and fonts, light and dark, following the app's theme toggle", async () => {
    mkdirSync(SHOTS, { recursive: true });
    // With ?sandbox=1 the page shows no outputs: a second page without it runs the same notebook in
    // the page as the reference, in the same theme.
    const reference = await workbench.open();
    await reference.page.goto(workbench.url(LOOKS_PATH));
    await waitForSettled(reference.page);
    await reference.page.locator("main .data-grid .grid-row").first().waitFor({ timeout: 30_000 });
    const w = await openSandbox(workbench, LOOKS_PATH);
    expect(await openNotebook(w, await looksNotebook(w))).toEqual(["md: ok", "sql: ok", "ts: ok"]);
    // The page itself renders none of them.
    expect(await w.page.locator("main .data-grid, main svg[class^=plot]").count()).toBe(0);
    const frame = sandboxFrame(w);
    await gridRows(frame);
    const seen: Record<string, Record<string, string>> = {};
    for (const theme of ["light", "dark"] as const) {
      // The app's own toggle: the page's theme changes, and the frame is told.
      for (const page of [w.page, reference.page]) {
        if ((await page.evaluate(() => document.documentElement.dataset.theme ?? "light")) !== theme)
          await page.locator("[data-theme-toggle]").click();
      }
      await frame.waitForFunction((t) => document.documentElement.dataset.theme === t, theme);
      await reference.page.waitForFunction((t) => (document.documentElement.dataset.theme ?? "light") === t, theme);
      const expected = await w.page.evaluate(pageTheme);
      // Read inside the frame through the app's own protocol, as cell code would see it.
      const inFrame = (await w.page.evaluate(
        (s) => (window as SandboxWindow).segbookSandbox!.evaluate(s),
        `return (${looksIn.toString()})()`,
      )) as Record<string, string>;
      expect({ theme, ...inFrame }).toEqual({ theme, ...expected, scheme: theme });
      // The same outputs in the reference page and in the frame read the same.
      const inPage = await reference.page.evaluate(outputLooks, "main");
      const framed = (await w.page.evaluate(
        (s) => (window as SandboxWindow).segbookSandbox!.evaluate(s),
        `return (${outputLooks.toString()})("main")`,
      )) as Record<string, string>;
      expect({ theme, ...framed }).toEqual({ theme, ...inPage });
      seen[theme] = inFrame;
      await screenshotFrame(w, frame, `${SHOTS}/frame-${theme}.png`);
      await reference.page.screenshot({ path: `${SHOTS}/page-${theme}.png`, fullPage: true });
    }
    // The two themes differ where they should (a frame stuck in one would pass neither twice).
    expect(seen.dark!.background).not.toBe(seen.light!.background);
    expect(seen.dark!.text).not.toBe(seen.light!.text);
    // Plot's text follows the theme's colour too (Plot draws with currentColor).
    const plotText = await frame.evaluate(() => getComputedStyle(document.querySelector("svg[class^=plot]")!).color);
    expect(plotText).toBe(seen.dark!.text);
    // System fonts only: the frame asked for nothing (its policy would refuse, and this would list it).
    expect(w.blockedRequests).toEqual([]);
    expect(w.consoleErrors.filter((e) => /Content Security Policy|Refused/.test(e))).toEqual([]);
    expect(w.pageErrors).toEqual([]);
  });
});

describe("saving and copying from the sandbox frame", () => {
  const workbench = useWorkbench("built");

  test("the frame grid's CSV and Copy buttons: the app offers them, downloads and copies only on its own click", async () => {
    const w = await openSandbox(workbench);
    await w.context.grantPermissions(["clipboard-read", "clipboard-write"]);
    const downloads: string[] = [];
    w.page.on("download", (download) => downloads.push(download.suggestedFilename()));
    expect(await openNotebook(w, await looksNotebook(w))).toEqual(["md: ok", "sql: ok", "ts: ok"]);
    const frame = sandboxFrame(w);
    await gridRows(frame);

    await frame.locator('button[data-download="csv"]').click();
    const save = w.page.getByRole("button", { name: "Save squares.csv", exact: true });
    await save.waitFor();
    // The frame said where to save it, and nothing was downloaded by the click in the frame.
    await frame.getByText("squares.csv is ready").waitFor();
    expect(downloads).toEqual([]);
    const [download] = await Promise.all([w.page.waitForEvent("download"), save.click()]);
    expect(download.suggestedFilename()).toBe("squares.csv");
    const lines = readFileSync((await download.path())!, "utf8")
      .trim()
      .split("\n");
    expect(lines[0]).toBe("n,square,label");
    expect(lines.length - 1).toBe(25);
    expect(lines).toContain("12,144,row 12");
    // One download: the app's.
    expect(downloads).toEqual(["squares.csv"]);
    // The button worked once.
    expect(await save.count()).toBe(0);

    await frame.locator("button", { hasText: /^Copy$/ }).click();
    const copy = w.page.getByRole("button", { name: /^Copy \d+ rows$/ });
    await copy.waitFor();
    // What the grid had visible: its first rows, tab-separated, with the header.
    await w.page.evaluate(() => navigator.clipboard.writeText("before"));
    await copy.click();
    await w.page
      .getByRole("status")
      .filter({ hasText: /^Copied \d+ rows$/ })
      .waitFor();
    const copied = (await w.page.evaluate(() => navigator.clipboard.readText())).split("\n");
    expect(copied[0]).toBe("n\tsquare\tlabel");
    expect(copied[1]).toBe("0\t0\trow 0");

    // The next notebook is a fresh frame: nothing of the old one's offers is left.
    await frame.locator('button[data-download="csv"]').click();
    await save.waitFor();
    await openNotebook(w, "```sql\nSELECT 1 AS x\n```\n");
    expect(await w.page.getByRole("button", { name: /^(Save|Copy) / }).count()).toBe(0);
    expect(w.pageErrors).toEqual([]);
  });
});

/** Runs `expression` in the page through DevTools (Playwright's own calls refuse after a frame crash). */
async function cdpValue<T>(cdp: CDPSession, expression: string): Promise<T> {
  const { result, exceptionDetails } = (await cdp.send("Runtime.evaluate", {
    expression,
    awaitPromise: true,
    returnByValue: true,
  })) as { result: { value: T }; exceptionDetails?: { text: string } };
  if (exceptionDetails) throw new Error(`in the page: ${exceptionDetails.text}`);
  return result.value;
}

/** Polls `expression` in the page until it is truthy. */
async function cdpWaitFor(cdp: CDPSession, expression: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cdpValue<boolean>(cdp, `Boolean(${expression})`))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Starts `open(source)` without waiting; its outcome lands in `window.openOutcome`: the cells'
 * statuses, or the name of what it rejected with.
 */
function startOpen(w: WatchedPage, source: string): Promise<void> {
  return w.page.evaluate((s) => {
    const win = window as SandboxWindow;
    win.openOutcome = undefined;
    void win.segbookSandbox!.open(s).then(
      (statuses) => (win.openOutcome = statuses),
      (e: Error) => (win.openOutcome = e.name),
    );
  }, source);
}

/** The app's cells (not the frame's) as "kind: status", read through DevTools. */
const APP_CELLS = `[...document.querySelectorAll("[data-cell-id]")].map((e) => e.getAttribute("data-cell-kind") + ": " + e.getAttribute("data-cell-status"))`;

/** What the app shows for a cell whose run the lost frame took with it (frame-session.ts STOPPED_BY_RESET). */
const STOPPED = /^The sandbox was stopped before this cell finished\. Run it again to retry\.$/;

/** The alert's text when shown, or "" (read through DevTools). */
const LOST_NOTICE = `(() => { const n = document.querySelector(".segbook-sandbox-lost"); return n && !n.hidden ? n.textContent : ""; })()`;

describe("the sandbox frame's crash path", () => {
  const workbench = useWorkbench("built");

  test("a cell exhausting the heap: the app says the sandbox stopped and what to do, the cell shows it was stopped, and an empty frame answers without re-running it", async () => {
    const w = await openSandbox(workbench);
    // Playwright treats the frame's crash as the page's and refuses its calls afterwards; DevTools
    // still reaches the page, which is alive.
    const cdp = await w.context.newCDPSession(w.page);
    const boots = await w.page.evaluate(() => document.querySelectorAll("iframe.segbook-sandbox").length);
    expect(boots).toBe(1);
    await startOpen(
      w,
      [
        "# Before the crash",
        "",
        "```ts",
        "const hoard = [];",
        "for (;;) hoard.push(new Array(1e6).fill(Math.random()));",
        "```",
        "",
      ].join("\n"),
    );
    // Filling the heap takes about ten seconds here; the heartbeat notices within six more.
    await cdpWaitFor(cdp, LOST_NOTICE, 90_000);
    const notice = await cdpValue<string>(cdp, LOST_NOTICE);
    expect(notice).toMatch(/^The sandbox stopped: .*memory.*nothing was re-run\. Change the cell/);
    // open() settles with the app's cells (it does not reject: the app's notebook lives on).
    await cdpWaitFor(cdp, "window.openOutcome", 10_000);
    const opened = await cdpValue<OpenedCell[]>(cdp, "window.openOutcome");
    // The spinning cell shows that the sandbox stopped under it. The heading may have finished
    // first, or have had its report held behind the spin (the frame's messages leave between tasks):
    // then it did not finish as far as the app knows, and says so too. Nothing is left running.
    expect(opened.map((c) => c.kind)).toEqual(["md", "ts"]);
    expect(opened[1]).toMatchObject({ status: "error", error: expect.stringMatching(STOPPED) });
    for (const cell of opened) {
      if (cell.status !== "ok") expect(cell).toMatchObject({ status: "error", error: expect.stringMatching(STOPPED) });
    }
    // The app's own cells say so too.
    expect(await cdpValue<string[]>(cdp, APP_CELLS)).toEqual(opened.map((c) => `${c.kind}: ${c.status}`));
    expect(await cdpValue<string>(cdp, `document.querySelector('[data-cell-kind="ts"]').textContent`)).toContain(
      "The sandbox was stopped before this cell finished",
    );
    // A fresh frame answers, and it is empty: the notebook was not run again.
    const fresh = await cdpValue<[string, number]>(
      cdp,
      `segbookSandbox.ready().then(() => segbookSandbox.evaluate("return [self.origin, document.querySelectorAll('.sandbox-cell').length]"))`,
    );
    expect(fresh).toEqual(["null", 0]);
    expect(await cdpValue<number>(cdp, `document.querySelectorAll("iframe.segbook-sandbox").length`)).toBe(1);
    // The app is usable: the next notebook runs in the new frame.
    expect(
      await cdpValue<string[]>(
        cdp,
        "segbookSandbox.open('```sql\\nSELECT 42 AS answer\\n```\\n').then((s) => s.map((c) => c.status))",
      ),
    ).toEqual(["ok"]);
    expect(await cdpValue<string[]>(cdp, APP_CELLS)).toEqual(["sql: ok"]);
    await cdp.detach();
  });

  test("a cell that navigates the frame: the app says the sandbox stopped, and an empty frame answers", async () => {
    const w = await openSandbox(workbench);
    await startOpen(w, '```ts\nlocation.href = "https://example.invalid/next";\n```\n');
    const notice = w.page.locator(".segbook-sandbox-lost");
    await notice.waitFor({ state: "visible" });
    expect(await notice.textContent()).toMatch(/^The sandbox stopped: a cell tried to open another page/);
    const fresh = await w.page.evaluate(() =>
      (window as SandboxWindow)
        .segbookSandbox!.ready()
        .then(() =>
          (window as SandboxWindow).segbookSandbox!.evaluate(
            "return document.querySelectorAll('.sandbox-cell').length",
          ),
        ),
    );
    expect(fresh).toBe(0);
    // Dismissed by the user.
    await notice.getByRole("button", { name: "Dismiss" }).click();
    expect(await notice.isVisible()).toBe(false);
  });

  test("a cell that holds the frame's thread longer than the heartbeat's timeout is not taken for a crash", async () => {
    const w = await openSandbox(workbench);
    const statuses = await openNotebook(
      w,
      "```ts\nconst until = performance.now() + 8000;\nwhile (performance.now() < until) {}\n```\n\n```sql\nSELECT 1 AS done\n```\n",
    );
    expect(statuses).toEqual(["ts: ok", "sql: ok"]);
    expect(await w.page.locator(".segbook-sandbox-lost").isVisible()).toBe(false);
    expect(await w.page.evaluate(() => (window as SandboxWindow).segbookSandbox!.evaluate("return 6 * 7"))).toBe(42);
  });
});
