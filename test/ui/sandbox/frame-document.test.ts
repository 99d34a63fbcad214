/**
 * The sandbox frame's document (src/ui/sandbox/frame-document.ts): its policy allows no network, and
 * its inline boot script is allowed by both policies it lives under (its own and the page's, which a
 * srcdoc frame inherits), so a change to the script without the hash in index.html fails here.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { BOOT_SCRIPT, frameCsp, frameSrcdoc, scriptHash } from "../../../src/ui/sandbox/frame-document.ts";

const root = path.resolve(import.meta.dirname, "../../..");

/** A policy's directives by name. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

describe("scriptHash", () => {
  test("is the SHA-256 a browser computes for the inline script", async () => {
    const expected = `sha256-${createHash("sha256").update(BOOT_SCRIPT).digest("base64")}`;
    expect(await scriptHash(BOOT_SCRIPT)).toBe(expected);
  });
});

describe("frameCsp", () => {
  const policy = directives(frameCsp("sha256-abc="));

  test.each([
    ["default-src", ["'none'"]],
    ["connect-src", ["'none'"]],
    ["script-src", ["'sha256-abc='", "blob:", "'unsafe-eval'"]],
    ["worker-src", ["blob:"]],
    ["img-src", ["data:", "blob:"]],
    ["media-src", ["data:", "blob:"]],
    ["font-src", ["data:"]],
    ["frame-src", ["'none'"]],
    ["form-action", ["'none'"]],
    ["base-uri", ["'none'"]],
  ])("%s is %j", (name, sources) => {
    expect(policy.get(name)).toEqual(sources);
  });

  test("names no scheme or host that could reach the network", () => {
    const all = [...policy.values()].flat();
    expect(all.filter((s) => /^(https?:|wss?:|\*|'self')/.test(s))).toEqual([]);
  });
});

describe("frameSrcdoc", () => {
  test("holds the policy with the boot script's hash and the boot script itself", async () => {
    const doc = await frameSrcdoc();
    const hash = await scriptHash(BOOT_SCRIPT);
    expect(doc).toContain(`content="${frameCsp(hash)}"`);
    expect(doc).toContain(`<script>${BOOT_SCRIPT}</script>`);
    // Nothing in the document loads anything.
    expect(doc).not.toMatch(/\s(src|href)=/);
  });

  test("the page's policy (index.html), which the srcdoc inherits, allows the boot script by its hash", async () => {
    const html = fs.readFileSync(path.join(root, "index.html"), "utf8");
    const content = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? "";
    expect(directives(content).get("script-src")).toContain(`'${await scriptHash(BOOT_SCRIPT)}'`);
  });
});
