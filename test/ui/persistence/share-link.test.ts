/**
 * Share links (src/ui/persistence/share-link.ts): the notebook text survives the fragment byte for
 * byte, and damaged links say so.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { deflateSync } from "fflate";
import {
  MAX_SHARED_BYTES,
  fromBase64Url,
  inflateBounded,
  readShareFragment,
  shareFragment,
  shareUrl,
  toBase64Url,
} from "../../../src/ui/persistence/share-link.ts";
import { repoRoot } from "../../browser/helpers/static-server.ts";

const welcome = fs.readFileSync(path.join(repoRoot, "notebooks/welcome.md"), "utf8");

describe("shareFragment / readShareFragment", () => {
  test.each([
    ["the shipped welcome notebook", welcome],
    ["an empty notebook", ""],
    ["non-ASCII text and emoji", '# Ümlaut — 東京 🚀\n\n```ts\nconst s = "ß";\n```\n'],
    ["CRLF line endings and a trailing space", "---\r\ntitle: x\r\n---\r\n\r\ntext \r\n"],
    ["a lone surrogate-free long text", "x".repeat(200_000) + "\n"],
  ])("round-trips %s byte for byte", (_name, text) => {
    const fragment = shareFragment({ text, from: "notebooks/welcome.md" });
    expect(fragment).toMatch(/^nb=[A-Za-z0-9_-]*&from=notebooks%2Fwelcome.md$/);
    const back = readShareFragment(`#${fragment}`);
    expect(back).toEqual({ text, from: "notebooks/welcome.md" });
    expect(Buffer.from((back as { text: string }).text, "utf8").equals(Buffer.from(text, "utf8"))).toBe(true);
  });

  test("compresses: the welcome notebook's link is much shorter than its text", () => {
    expect(shareFragment({ text: welcome }).length).toBeLessThan(welcome.length * 0.7);
  });

  test("readShareFragment returns undefined for a fragment without a notebook", () => {
    expect(readShareFragment("")).toBeUndefined();
    expect(readShareFragment("#section-2")).toBeUndefined();
  });

  test.each([
    ["a cut-off link", shareFragment({ text: welcome }).slice(0, 60)],
    ["characters outside base64url", "nb=abc$def"],
  ])("readShareFragment reports %s as a damaged link", (_name, fragment) => {
    const result = readShareFragment(fragment);
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toMatch(/share link is damaged/);
  });
});

describe("readShareFragment bounds the unpacked size", () => {
  test("readShareFragment refuses a link that inflates beyond MAX_SHARED_BYTES, with a clear message", () => {
    // 64 MB of zeros packs into about 64 KB: a link crafted to exhaust the tab when unpacked.
    const bomb = `nb=${toBase64Url(deflateSync(new Uint8Array(64 * 1024 * 1024), { level: 9 }))}`;
    expect(bomb.length).toBeLessThan(200_000);
    const result = readShareFragment(bomb);
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toBe(
      "This share link unpacks to more than 4 MB of notebook text, more than a share link may carry, so it was not opened. Ask for the .md file instead.",
    );
  });

  test("readShareFragment opens a notebook of exactly MAX_SHARED_BYTES", () => {
    const text = "a".repeat(MAX_SHARED_BYTES);
    expect(readShareFragment(shareFragment({ text }))).toEqual({ text });
  });

  test("inflateBounded(packed, limit) stops at the limit instead of unpacking everything", () => {
    const packed = deflateSync(new Uint8Array(10_000_000));
    expect(() => inflateBounded(packed, 100_000)).toThrow();
    expect(inflateBounded(packed, 10_000_000).length).toBe(10_000_000);
  });
});

describe("shareUrl", () => {
  test("shareUrl drops the page's query and puts the notebook in the fragment", () => {
    const url = shareUrl("https://example.org/app/?notebook=notebooks/x.md#old", { text: "# Hi\n" });
    expect(url.startsWith("https://example.org/app/#nb=")).toBe(true);
    expect(readShareFragment(new URL(url).hash)).toEqual({ text: "# Hi\n" });
  });
});

describe("toBase64Url / fromBase64Url", () => {
  test("round-trips every byte value and lengths 0..5 (all padding cases)", () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(fromBase64Url(toBase64Url(all))).toEqual(all);
    for (let n = 0; n <= 5; n++) {
      const bytes = all.subarray(250 - n, 250);
      const encoded = toBase64Url(bytes);
      expect(encoded).not.toMatch(/[+/=]/);
      expect(fromBase64Url(encoded)).toEqual(bytes);
    }
  });
});
