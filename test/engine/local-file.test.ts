/**
 * openLocalFile: the native engine's way to open a `path` source in place — SHA-256 streamed from
 * disk, whether a line is over 1 MiB (found across the 1 MiB reads), a lazy Blob, and readPath's
 * messages for a missing file or a directory.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openLocalFile } from "../../src/engine/local-file.ts";

const MiB = 1 << 20;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "segbook-local-file-"));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const line = (length: number) => "x".repeat(length) + "\n";

describe("openLocalFile(absolute, shownAs)", () => {
  it.each([
    ["short lines over many reads", line(60).repeat(50_000), false],
    ["a line just under 1 MiB across a read boundary", line(MiB / 2) + line(MiB - 10) + line(5), false],
    ["a line over 1 MiB in the middle", line(100) + line(MiB + 100) + line(100), true],
    ["a line over 1 MiB spanning three reads", line(10) + line(2 * MiB + 5), true],
    ["a last line over 1 MiB without a newline", line(10) + "y".repeat(MiB + 1), true],
    ["no newline at all, under 1 MiB", "z".repeat(MiB - 1), false],
    ["an empty file", "", false],
  ])("openLocalFile(%s) gives the file's sha256 and longLines", async (title, text, longLines) => {
    const file = path.join(dir, `${title.replace(/\W+/g, "-")}.csv`);
    writeFileSync(file, text);
    const opened = (await openLocalFile(file, "shown.csv"))!;
    expect(opened.sha256).toBe(createHash("sha256").update(text).digest("hex"));
    expect(opened.longLines).toBe(longLines);
    expect(opened.absolutePath).toBe(file);
    expect(await opened.blob.slice(0, 10).text()).toBe(text.slice(0, 10));
    expect(opened.blob.size).toBe(Buffer.byteLength(text));
  });

  it("openLocalFile(missing or directory) names the path as given and the fix", async () => {
    const missing = path.join(dir, "nope.csv");
    await expect(openLocalFile(missing, "data/nope.csv")).rejects.toThrow(
      `loadFile: file not found: "data/nope.csv" (looked for ${missing}); check the path`,
    );
    await expect(openLocalFile(dir, "data")).rejects.toThrow(`loadFile: "data" is a directory (${dir}); pass a file`);
  });

  it("openLocalFile(a device) is null: what can be read only once is read into memory instead", async () => {
    expect(await openLocalFile("/dev/null", "null.csv")).toBeNull();
  });
});
