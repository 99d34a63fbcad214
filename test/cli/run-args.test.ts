/**
 * `segbook run`'s arguments, checked in-process (no engine, no child process): every flag's value and
 * default, and each bad argument's message naming the flag and the fix.
 */
import os from "node:os";
import { describe, expect, test } from "vitest";
import { parseRunArgs } from "../../src/cli/run-args.ts";

describe("parseRunArgs(args)", () => {
  test("parseRunArgs([file]) gives every default", () => {
    expect(parseRunArgs(["notebooks/rfm.md"])).toEqual({
      file: "notebooks/rfm.md",
      data: {},
      connections: {},
      outDir: undefined,
      json: false,
      cellTimeoutSeconds: undefined,
      timeoutSeconds: undefined,
      engine: "wasm",
      threads: Math.min(4, os.availableParallelism()),
      allowHostAccess: false,
      allowRead: [],
    });
  });

  test("parseRunArgs reads every flag", () => {
    const args = [
      "my.md",
      "--data",
      "orders=./orders.csv",
      "--data",
      "customers=c.parquet",
      "--out",
      "report/",
      "--json",
      "--cell-timeout",
      "0.5",
      "--timeout",
      "600",
      "--engine",
      "native",
      "--threads",
      "8",
      "--connection",
      "warehouse=https://ana:pw@ch.example.com:8443",
      "--allow-host-access",
      "--allow-read",
      "../shared",
      "--allow-read",
      "/data",
    ];
    expect(parseRunArgs(args)).toEqual({
      file: "my.md",
      data: { orders: "./orders.csv", customers: "c.parquet" },
      connections: {
        warehouse: { url: "https://ch.example.com:8443/", credentials: { user: "ana", password: "pw" } },
      },
      outDir: "report/",
      json: true,
      cellTimeoutSeconds: 0.5,
      timeoutSeconds: 600,
      engine: "native",
      threads: 8,
      allowHostAccess: true,
      allowRead: ["../shared", "/data"],
    });
  });

  test.each([
    [[], "expected exactly one notebook file", true],
    [["a.md", "b.md"], "expected exactly one notebook file", true],
    [["a.md", "--colour"], "Unknown option '--colour'", true],
    [["a.md", "--data", "orders"], '--data expects NAME=PATH (e.g. --data orders=./orders.csv), got "orders"', false],
    [
      ["a.md", "--cell-timeout", "0"],
      '--cell-timeout expects a number of seconds above 0 (e.g. --cell-timeout 60), got "0"',
      false,
    ],
    [
      ["a.md", "--timeout", "Infinity"],
      '--timeout expects a number of seconds above 0 (e.g. --timeout 600), got "Infinity"',
      false,
    ],
    [["a.md", "--engine", "gpu"], '--engine expects wasm or native, got "gpu"', false],
    [
      ["a.md", "--threads", "1.5"],
      '--threads expects a whole number of threads, 1 or more (e.g. --threads 4), got "1.5"',
      false,
    ],
    [["a.md", "--connection", "wh=ftp://ana:hunter2@x"], 'the URL given for "wh" is not one', false],
  ])("parseRunArgs(%j) is refused: %s", (args, message, usage) => {
    const result = parseRunArgs(args);
    expect(result).toMatchObject({ usage });
    expect("error" in result && result.error).toContain(message);
    expect(JSON.stringify(result)).not.toContain("hunter2");
  });
});
