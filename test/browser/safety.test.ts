/**
 * The built site's Content-Security-Policy: present in dist/index.html, enforced by the browser (an
 * injected inline handler does not run), and loose enough that the default notebook runs clean with
 * no request leaving the page's origin.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { useWorkbench } from "./helpers/setup.ts";
import { distDir } from "./helpers/static-server.ts";
import { cellSnapshots, waitForSettled } from "./helpers/workbench.ts";

const workbench = useWorkbench();

test("dist/index.html carries a Content-Security-Policy without inline scripts", () => {
  const html = fs.readFileSync(path.join(distDir, "index.html"), "utf8");
  const policy = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
  expect(policy).toBeDefined();
  const scriptSrc = policy!.split(";").find((d) => d.trim().startsWith("script-src"));
  expect(scriptSrc).toBeDefined();
  expect(scriptSrc).not.toContain("'unsafe-inline'");
  expect(policy).toContain("object-src 'none'");
  // No inline <script> in the built page (the policy would block it).
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
});

test("every page of the reference carries a policy that allows only the site's scripts and its own inline ones", () => {
  const dir = path.join(distDir, "reference");
  const pages = (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith(".html"));
  expect(pages.length).toBeGreaterThan(10);
  for (const page of pages) {
    const html = fs.readFileSync(path.join(dir, page), "utf8");
    const policy = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    expect(policy, page).toBeDefined();
    const scriptSrc = policy!.split(";").find((d) => d.trim().startsWith("script-src"))!;
    expect(scriptSrc, page).not.toContain("'unsafe-inline'");
    expect(policy, page).toContain("object-src 'none'");
    for (const [, code] of html.matchAll(/<script>([\s\S]*?)<\/script>/g))
      expect(scriptSrc, `${page}: an inline script allowed by its hash`).toContain(
        `'sha256-${createHash("sha256").update(code!).digest("base64")}'`,
      );
  }
});

test("the policy is enforced and the default notebook still runs clean with no off-origin request", async () => {
  const w = await workbench.open();
  await w.page.goto(workbench.url());
  await waitForSettled(w.page);
  expect((await cellSnapshots(w.page)).filter((c) => c.status !== "ok")).toEqual([]);

  const outcome = await w.page.evaluate(async () => {
    const violations: string[] = [];
    document.addEventListener("securitypolicyviolation", (e) => violations.push(e.violatedDirective));
    const g = globalThis as { __injected?: number };
    const host = document.createElement("div");
    host.innerHTML = `<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" onload="globalThis.__injected = 1">`;
    document.body.append(host);
    await new Promise((r) => setTimeout(r, 300));
    host.remove();
    return { injected: g.__injected ?? 0, violations };
  });
  expect(outcome.injected).toBe(0);
  expect(outcome.violations.some((v) => v.startsWith("script-src"))).toBe(true);
  expect(w.blockedRequests, "requests to anywhere but 127.0.0.1").toEqual([]);
  expect(w.pageErrors).toEqual([]);
  // The only console errors allowed are the policy's own report of the injected handler.
  expect(w.consoleErrors.filter((m) => !/Content Security Policy/i.test(m))).toEqual([]);
});
