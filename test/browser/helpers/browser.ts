/**
 * Headless Chromium for the browser tests, with the network closed: every request that is not to
 * 127.0.0.1 is aborted and recorded, and console errors and uncaught page errors are collected so a
 * test can assert there were none.
 */
import fs from "node:fs";
import { expect } from "vitest";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

/** Debian's Chromium; browsers are never downloaded. */
export const CHROMIUM = "/usr/bin/chromium";

/** The flags every browser test and benchmark launches Chromium with. */
export const CHROMIUM_ARGS: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Launches headless Chromium (with `extraArgs` added), or says how to install it. */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `browser tests: ${CHROMIUM} is missing; install it with \`sudo apt-get install -y chromium\` (npm test installs it when run as root)`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/** A page and what went wrong on it. */
export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** URLs the page tried to fetch from anywhere but 127.0.0.1 (all aborted). */
  blockedRequests: string[];
  /** Text of console.error messages (page and its workers). */
  consoleErrors: string[];
  /** Uncaught exceptions and unhandled rejections. */
  pageErrors: string[];
  close(): Promise<void>;
}

/** Opens a fresh context and page on `browser` (1280x800) with the network closed and errors recorded. */
export async function openWatchedPage(browser: Browser): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: "block" });
  const blockedRequests: string[] = [];
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (new URL(url).hostname === "127.0.0.1") return route.continue();
    blockedRequests.push(url);
    return route.abort("blockedbyclient");
  });
  // A notebook with changes in no file asks before the page is left (beforeunload): a test that
  // navigates away acts as a user who confirms. Other dialogs keep Playwright's default (dismissed).
  // A test that listens to dialogs itself decides alone.
  context.on("page", (opened) =>
    opened.on("dialog", (dialog) => {
      // Page is an EventEmitter (listenerCount exists at run time; Playwright's types leave it out).
      if ((opened as unknown as { listenerCount(event: string): number }).listenerCount("dialog") > 1) return;
      void (dialog.type() === "beforeunload" ? dialog.accept() : dialog.dismiss());
    }),
  );
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("worker", (worker) =>
    worker.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(`[worker] ${message.text()}`);
    }),
  );
  page.on("pageerror", (error) => pageErrors.push(error.stack ?? error.message));
  return { page, context, blockedRequests, consoleErrors, pageErrors, close: () => context.close() };
}

/** Asserts the page made no request off 127.0.0.1 and logged no page or console error. */
export function expectCleanRun(w: WatchedPage): void {
  expect(w.blockedRequests, "requests to anywhere but 127.0.0.1").toEqual([]);
  expect(w.pageErrors, "uncaught page errors").toEqual([]);
  expect(w.consoleErrors, "console errors").toEqual([]);
}
