/**
 * Notebook origins (src/ui/persistence/origin.ts): which notebooks run at once, and their keys.
 */
import { expect, test } from "vitest";
import { newNotebookHref, newNotebookId } from "../../../src/ui/notebook-url.ts";
import {
  identityKey,
  isTrustedOrigin,
  originLabel,
  provenanceLocation,
  type NotebookOrigin,
} from "../../../src/ui/persistence/origin.ts";

const BASE = "https://example.org/team/segbook/index.html";

test.each<[string, NotebookOrigin, boolean]>([
  ["a shipped notebook", { kind: "url", url: "https://example.org/team/segbook/notebooks/welcome.md" }, true],
  ["another path on the same origin", { kind: "url", url: "https://example.org/other/x.md" }, false],
  ["the site's folder but not its notebook base", { kind: "url", url: "https://example.org/team/segbook/x.md" }, false],
  ["out of the base with ..", { kind: "url", url: "https://example.org/team/segbook/notebooks/../up/x.md" }, false],
  [
    "out of the base with %2e%2e",
    { kind: "url", url: "https://example.org/team/segbook/notebooks/%2e%2e/x.md" },
    false,
  ],
  [
    "a sibling folder sharing the prefix",
    { kind: "url", url: "https://example.org/team/segbook/notebooks-old/x.md" },
    false,
  ],
  ["another origin", { kind: "url", url: "https://evil.example/x.md" }, false],
  ["another port", { kind: "url", url: "https://example.org:8443/team/segbook/notebooks/x.md" }, false],
  ["a data: URL", { kind: "url", url: "data:text/markdown,%23%20x" }, false],
  ["a share link", { kind: "share", url: "https://example.org/team/segbook/notebooks/welcome.md" }, false],
  ["a file from disk", { kind: "file", name: "x.md", url: "https://example.org/team/segbook/notebooks/x.md" }, false],
  [
    "a new notebook made here",
    { kind: "new", id: "lq3x9a", url: "https://example.org/team/segbook/notebooks/untitled.md" },
    true,
  ],
])("isTrustedOrigin: %s -> %s", (_name, origin, trusted) => {
  expect(isTrustedOrigin(origin, BASE, ["https://example.org/team/segbook/notebooks/"])).toBe(trusted);
});

test("identityKey keys addresses by URL, files by name and share links by content hash", () => {
  expect(identityKey({ kind: "url", url: "https://a/b.md" })).toBe("url:https://a/b.md");
  expect(identityKey({ kind: "file", name: "b.md", url: "https://a/b.md" })).toBe("file:b.md");
  expect(identityKey({ kind: "share", url: "https://a/b.md" }, "abc")).toBe("share:abc");
  expect(identityKey({ kind: "new", id: "lq3x9a", url: "https://a/untitled.md" })).toBe("new:lq3x9a");
});

test("originLabel shows paths under the base relative to it", () => {
  expect(originLabel({ kind: "url", url: "https://example.org/team/segbook/notebooks/w.md" }, BASE)).toBe(
    "notebooks/w.md",
  );
  expect(originLabel({ kind: "url", url: "https://other.org/w.md" }, BASE)).toBe("https://other.org/w.md");
  expect(originLabel({ kind: "file", name: "mine.md", url: "https://a/mine.md" }, BASE)).toBe("mine.md");
  expect(originLabel({ kind: "share", url: "https://a/x.md" }, BASE)).toBe("a share link");
  expect(originLabel({ kind: "new", id: "x", url: "https://a/untitled.md" }, BASE)).toBe(
    "new notebook (not saved to a file)",
  );
});

test.each([
  ["?new=lq3x9a", "lq3x9a"],
  ["?new", ""],
  ["?notebook=notebooks/x.md", undefined],
  ["", undefined],
])("newNotebookId(%j) is %j", (search, id) => {
  expect(newNotebookId(search)).toBe(id);
});

test("newNotebookHref(id) is the address newNotebookId reads back", () => {
  expect(newNotebookId(newNotebookHref("a b"))).toBe("a b");
});

test.each<[string, NotebookOrigin, string]>([
  [
    "a notebook under the base",
    { kind: "url", url: "https://example.org/team/segbook/notebooks/w.md" },
    "notebooks/w.md",
  ],
  [
    "an address with a query, fragment and credentials",
    { kind: "url", url: "https://ana:secret@other.org/w.md?token=abc#nb=xyz" },
    "https://other.org/w.md",
  ],
  ["a file from this computer", { kind: "file", name: "mine.md", url: "https://a/mine.md" }, "file mine.md"],
  [
    "a share link (never its text)",
    { kind: "share", url: "https://example.org/team/segbook/notebooks/w.md#nb=AAAA" },
    "share link of notebooks/w.md",
  ],
  ["a new notebook", { kind: "new", id: "x", url: "https://a/untitled.md" }, "new notebook (not saved to a file)"],
])("provenanceLocation names %s without secrets", (_, origin, expected) => {
  const location = provenanceLocation(origin, BASE);
  expect(location).toBe(expected);
  expect(location).not.toMatch(/secret|token|nb=/);
});
