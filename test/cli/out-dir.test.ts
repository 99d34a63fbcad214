/**
 * writeInside (src/cli/out-dir.ts), what `segbook run --out` writes through: plain names are written
 * and replaced; a planted symbolic link, a hard link to a file elsewhere and names leaving the folder
 * are refused without touching anything outside it.
 */
import { linkSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { writeInside } from "../../src/cli/out-dir.ts";

/** A fresh --out folder `out` beside a file `victim.txt` that must never change. */
function folders(): { out: string; victim: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "segbook-out-dir-"));
  const victim = path.join(dir, "victim.txt");
  writeFileSync(victim, "keep me");
  return { out: path.join(dir, "out"), victim };
}

describe("writeInside", () => {
  test("writeInside(out, name, data) creates the folder, writes, then replaces the file", async () => {
    const { out } = folders();
    expect(await writeInside(out, "report.json", "first, longer text")).toBe(path.join(out, "report.json"));
    await writeInside(out, "report.json", "second");
    expect(readFileSync(path.join(out, "report.json"), "utf8")).toBe("second");
  });

  test.each([
    [
      "a symbolic link",
      (victim: string, target: string) => symlinkSync(victim, target),
      /it is a symbolic link \(to .*victim\.txt\)/,
    ],
    ["a hard link", (victim: string, target: string) => linkSync(victim, target), /it is a hard link to another file/],
  ])("writeInside refuses %s planted in --out", async (_, plant, message) => {
    const { out, victim } = folders();
    await writeInside(out, "other.txt", "x");
    plant(victim, path.join(out, "report.html"));
    await expect(writeInside(out, "report.html", "pwned")).rejects.toThrow(message);
    expect(readFileSync(victim, "utf8")).toBe("keep me");
  });

  test.each(["../victim.txt", "sub/report.json", "..", "/etc/passwd"])(
    "writeInside refuses the name %j",
    async (name) => {
      const { out, victim } = folders();
      await expect(writeInside(out, name, "pwned")).rejects.toThrow(
        /refusing to write .* outside .*; pass a plain file name/,
      );
      expect(readFileSync(victim, "utf8")).toBe("keep me");
    },
  );
});
