/**
 * Shared setup of a browser test file: one site (the built site on a static server, or the dev
 * server) and one Chromium for the whole file, a fresh watched page per test.
 */
import { afterAll, beforeAll } from "vitest";
import type { Browser } from "playwright-core";
import { launchChromium, openWatchedPage, type WatchedPage } from "./browser.ts";
import { startDevServer } from "./dev-server.ts";
import { startStaticServer } from "./static-server.ts";

/**
 * Which site a test drives: `"built"` is `dist/` (or `SEGBOOK_DIST`) under a sub-path on a static
 * server, `"dev"` is `npm run dev` (from "/"). Both serve the test fixtures at `__fixtures__/` and the
 * test notebooks at `__test-notebooks__/`, relative to the site.
 */
export type SiteKind = "built" | "dev";

/** A running site. */
export interface Site {
  kind: SiteKind;
  /** Absolute URL of the site, ending in "/". */
  baseUrl: string;
  /** Every path requested (for asserting what was and was not loaded). */
  requests: string[];
  /** What the server printed (the dev server's terminal output; nothing for the static server). */
  output(): string;
  close(): Promise<void>;
}

/**
 * Starts the built site's static server or the dev server.
 *
 * @example
 * for (const kind of ["built", "dev"] as const) {
 *   const site = await startSite(kind);
 *   await page.goto(`${site.baseUrl}?notebook=notebooks/rfm.md`);
 *   await site.close();
 * }
 */
export async function startSite(kind: SiteKind): Promise<Site> {
  if (kind === "dev") {
    const server = await startDevServer();
    return { kind, ...server };
  }
  const server = await startStaticServer();
  return { kind, ...server, output: () => "" };
}

/** What a test file gets from {@link useWorkbench}. */
export interface Workbench {
  /** The site's URL, optionally with `?notebook=<relative url>`. */
  url(notebook?: string): string;
  server(): Site;
  /** A new page with the network closed; closed again after the file's tests. */
  open(): Promise<WatchedPage>;
}

/**
 * Starts the site (`kind`, the built one by default) and Chromium before the file's tests and stops
 * them after.
 *
 * @example
 * // one journey, both sites
 * describe.each(["built", "dev"] as const)("%s site", (kind) => {
 *   const workbench = useWorkbench(kind);
 *   test("the default notebook runs", async () => {
 *     const w = await workbench.open();
 *     await w.page.goto(workbench.url());
 *   });
 * });
 */
export function useWorkbench(kind: SiteKind = "built"): Workbench {
  let site: Site | undefined;
  let browser: Browser | undefined;
  const pages: WatchedPage[] = [];
  beforeAll(async () => {
    site = await startSite(kind);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await Promise.allSettled(pages.map((p) => p.close()));
    await browser?.close();
    await site?.close();
  });
  return {
    url: (notebook) => `${site!.baseUrl}${notebook ? `?notebook=${encodeURIComponent(notebook)}` : ""}`,
    server: () => site!,
    open: async () => {
      const page = await openWatchedPage(browser!);
      pages.push(page);
      return page;
    },
  };
}
