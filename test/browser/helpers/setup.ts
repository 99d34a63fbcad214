/**
 * Shared setup of a browser test file: one static server and one Chromium for the whole file, a
 * fresh watched page per test.
 */
import { afterAll, beforeAll } from "vitest";
import type { Browser } from "playwright-core";
import { launchChromium, openWatchedPage, type WatchedPage } from "./browser.ts";
import { startStaticServer, type StaticServer } from "./static-server.ts";

/** What a test file gets from {@link useWorkbench}. */
export interface Workbench {
  /** The site's URL (under a sub-path), optionally with `?notebook=<relative url>`. */
  url(notebook?: string): string;
  server(): StaticServer;
  /** A new page with the network closed; closed again after the file's tests. */
  open(): Promise<WatchedPage>;
}

/** Starts the server and Chromium before the file's tests and stops them after. */
export function useWorkbench(): Workbench {
  let server: StaticServer | undefined;
  let browser: Browser | undefined;
  const pages: WatchedPage[] = [];
  beforeAll(async () => {
    server = await startStaticServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await Promise.allSettled(pages.map((p) => p.close()));
    await browser?.close();
    await server?.close();
  });
  return {
    url: (notebook) => `${server!.baseUrl}${notebook ? `?notebook=${encodeURIComponent(notebook)}` : ""}`,
    server: () => server!,
    open: async () => {
      const page = await openWatchedPage(browser!);
      pages.push(page);
      return page;
    },
  };
}
