/**
 * The preflight of `npm test` (scripts/preflight-checks.js): which problems stop the run and with
 * which fix, when Chromium is installed instead, and what it finds on a real folder. No real apt-get:
 * runPreflight's commands are recorded.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import {
  atLeast,
  CHROMIUM,
  decide,
  gatherFacts,
  INSTALL_CHROMIUM,
  parseMinimumVersion,
  REQUIRED_PACKAGES,
  runPreflight,
  type PreflightFacts,
} from "../../scripts/preflight-checks.js";

const repoRoot = path.resolve(import.meta.dirname, "../..");

/** A machine with everything in place. */
const READY: PreflightFacts = {
  nodeVersion: "20.19.0",
  engines: ">=20.19",
  missingPackages: [],
  chromium: true,
  root: false,
  aptGet: true,
  datasetsDir: "/work/shared/datasets",
  missingDatasets: [],
};

test.each([
  [">=20.19", [20, 19, 0]],
  [">= 18", [18, 0, 0]],
  [">=v22.1.3", [22, 1, 3]],
  ["^20.19.0", undefined],
  [undefined, undefined],
])("parseMinimumVersion(%j) is %j", (range, minimum) => {
  expect(parseMinimumVersion(range)).toEqual(minimum);
});

test.each([
  ["20.19.0", true],
  ["20.20.2", true],
  ["22.0.0", true],
  ["20.18.9", false],
  ["18.20.4", false],
])("atLeast(%s, 20.19.0) is %s", (version, expected) => {
  expect(atLeast(version, [20, 19, 0])).toBe(expected);
});

describe("decide", () => {
  test.each<[string, Partial<PreflightFacts>, RegExp[], boolean]>([
    ["everything in place: go ahead", {}, [], false],
    [
      "an old Node.js stops the run",
      { nodeVersion: "18.20.4" },
      [/^Node\.js 20\.19\.0 or newer is needed .*this is 18\.20\.4/],
      false,
    ],
    [
      "no node_modules: run npm ci",
      { missingPackages: ["vite", "vitest"] },
      [/node_modules has no vite, vitest\): run `npm ci`/],
      false,
    ],
    [
      "no Chromium, not root: the one command",
      { chromium: false },
      [/^The browser tests need Debian's Chromium at \/usr\/bin\/chromium: run `sudo apt-get install -y chromium`\.$/],
      false,
    ],
    [
      "no Chromium, root without apt-get: the one command",
      { chromium: false, root: true, aptGet: false },
      [/run `sudo apt-get install -y chromium`/],
      false,
    ],
    ["no Chromium, root with apt-get: install it", { chromium: false, root: true }, [], true],
    [
      "missing datasets name the folder and the files",
      { missingDatasets: ["../shared/datasets/cdnow/CDNOW_master.txt"] },
      [/^Tests read the real datasets in \/work\/shared\/datasets .*missing: cdnow\/CDNOW_master\.txt\./],
      false,
    ],
    [
      "no node_modules and no Chromium as root: stop first, install later",
      { missingPackages: ["vite"], chromium: false, root: true },
      [/run `npm ci`/, /once the above is fixed, npm test installs it/],
      false,
    ],
    [
      "every problem is listed at once",
      {
        nodeVersion: "18.0.0",
        missingPackages: ["vite"],
        chromium: false,
        missingDatasets: ["../shared/datasets/x.csv"],
      },
      [/^Node\.js/, /npm ci/, /sudo apt-get install -y chromium/, /missing: x\.csv/],
      false,
    ],
  ])("%s", (_title, facts, problems, installChromium) => {
    const decision = decide({ ...READY, ...facts });
    expect(decision.problems).toHaveLength(problems.length);
    problems.forEach((pattern, i) => expect(decision.problems[i]).toMatch(pattern));
    expect(decision.installChromium).toBe(installChromium);
  });

  test("an engines range it cannot read leaves the version unchecked", () => {
    expect(decide({ ...READY, engines: "^20", nodeVersion: "12.0.0" }).problems).toEqual([]);
  });
});

describe("runPreflight", () => {
  function world(facts: PreflightFacts[], statuses: number[] = []) {
    const commands: string[] = [];
    const logs: string[] = [];
    let gathered = 0;
    const io = {
      gather: () => facts[Math.min(gathered++, facts.length - 1)]!,
      run: (command: string, args: string[]) => {
        commands.push([command, ...args].join(" "));
        return statuses.shift() ?? 0;
      },
      log: (message: string) => logs.push(message),
    };
    return { io, commands, logs };
  }

  test("goes ahead silently when everything is in place", () => {
    const { io, commands, logs } = world([READY]);
    expect(runPreflight(io)).toBe(0);
    expect(commands).toEqual([]);
    expect(logs).toEqual([]);
  });

  test("as root with apt-get, installs Chromium as .ci/run does, checks again and goes ahead", () => {
    const { io, commands, logs } = world([{ ...READY, chromium: false, root: true }, READY]);
    expect(runPreflight(io)).toBe(0);
    expect(commands).toEqual(INSTALL_CHROMIUM.map(([command, args]) => [command, ...args].join(" ")));
    expect(commands).toEqual(["apt-get update -q", "apt-get install -y -q chromium"]);
    expect(logs[0]).toMatch(/installing Debian's chromium package/);
  });

  test("a failing apt-get stops with the command to run by hand", () => {
    const { io, commands, logs } = world([{ ...READY, chromium: false, root: true }], [0, 100]);
    expect(runPreflight(io)).toBe(1);
    expect(commands).toHaveLength(2);
    expect(logs.at(-1)).toMatch(
      /`apt-get install -y -q chromium` failed \(exit 100\).*`sudo apt-get install -y chromium`/,
    );
  });

  test("an install that leaves no /usr/bin/chromium stops", () => {
    const missing = { ...READY, chromium: false, root: true };
    const { io, logs } = world([missing, missing]);
    expect(runPreflight(io)).toBe(1);
    expect(logs.at(-1)).toContain(`${CHROMIUM} is still missing`);
  });

  test("prints every problem and stops without running anything", () => {
    const { io, commands, logs } = world([{ ...READY, missingPackages: ["vite"], chromium: false }]);
    expect(runPreflight(io)).toBe(1);
    expect(commands).toEqual([]);
    expect(logs).toEqual([
      "npm test cannot start:\n" +
        "  - Dependencies are not installed (node_modules has no vite): run `npm ci`.\n" +
        "  - The browser tests need Debian's Chromium at /usr/bin/chromium: run `sudo apt-get install -y chromium`.",
    ]);
  });
});

describe("gatherFacts", () => {
  test("on a fresh clone (no node_modules, no datasets beside it) it finds both missing", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "segbook-preflight-"));
    try {
      const clone = path.join(dir, "segbook");
      fs.mkdirSync(clone);
      fs.writeFileSync(path.join(clone, "package.json"), JSON.stringify({ engines: { node: ">=20.19" } }));
      const facts = gatherFacts(clone);
      expect(facts.engines).toBe(">=20.19");
      expect(facts.nodeVersion).toBe(process.versions.node);
      expect(facts.missingPackages).toEqual(REQUIRED_PACKAGES);
      expect(facts.datasetsDir).toBe(path.join(dir, "shared/datasets"));
      expect(facts.missingDatasets).toHaveLength(5);
      expect(decide(facts).problems.some((p) => p.includes("run `npm ci`"))).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("in this repository it finds the installed packages, the datasets and this machine's Chromium", () => {
    const facts = gatherFacts(repoRoot);
    expect(facts.missingPackages).toEqual([]);
    expect(facts.missingDatasets).toEqual([]);
    expect(facts.chromium).toBe(fs.existsSync(CHROMIUM));
  });
});
