import { describe, expect, it } from "vitest";
import { reachableFromPage } from "../../src/ui/connections/page-reach.ts";

describe("reachableFromPage(url)", () => {
  it.each([
    ["https://ch.example.com:8443", true],
    ["http://127.0.0.1:18123", true],
    ["http://localhost:8123", true],
    ["http://10.0.0.5:8123", false],
    ["http://ch.example.com", false],
    ["ftp://ch.example.com", false],
    ["not a url", false],
  ])("%s -> %s", (url, expected) => {
    expect(reachableFromPage(url)).toBe(expected);
  });
});
