/**
 * The notebooks plugin (src/ui/build/notebooks-plugin.ts): the build copies notebooks/ into dist with
 * an index.json of titles, and the dev server serves the same under the base.
 */
import fs from "node:fs";
import path from "node:path";
import { createServer, type ViteDevServer } from "vite";
import { afterAll, beforeAll, expect, test } from "vitest";
import { notebookTitle, parse } from "../../src/notebook/index.ts";
import { assertBuilt, distDir, repoRoot } from "./helpers/static-server.ts";

const notebooksDir = path.join(repoRoot, "notebooks");

/** The index as it must be, computed here from the files with the project's parser. */
function expectedIndex() {
  const notebooks = fs
    .readdirSync(notebooksDir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".md"));
  return notebooks.sort().map((file) => {
    const { notebook } = parse(fs.readFileSync(path.join(notebooksDir, file), "utf8"));
    const { description, requires } = notebook.frontMatter;
    return {
      path: file,
      title: notebookTitle(notebook),
      ...(description !== undefined && { description }),
      ...(requires !== undefined && { requires }),
      ...(file === "welcome.md" && { default: true }),
    };
  });
}

let server: ViteDevServer;
let devUrl: string;

beforeAll(async () => {
  assertBuilt();
  server = await createServer({
    configFile: path.join(repoRoot, "vite.config.ts"),
    root: repoRoot,
    logLevel: "silent",
    server: { host: "127.0.0.1", port: 0, strictPort: false, hmr: false, watch: null },
  });
  await server.listen();
  devUrl = server.resolvedUrls!.local[0]!;
});

afterAll(async () => {
  await server?.close();
});

test("vite build writes dist/notebooks/index.json with each notebook's title and description and marks welcome.md default", () => {
  const index = JSON.parse(fs.readFileSync(path.join(distDir, "notebooks/index.json"), "utf8"));
  expect(index).toEqual(expectedIndex());
  expect(index.find((e: { default?: boolean }) => e.default)?.path).toBe("welcome.md");
});

test("vite build copies every file of notebooks/ byte for byte into dist/notebooks/", () => {
  const files = fs
    .readdirSync(notebooksDir, { recursive: true, encoding: "utf8" })
    .filter((f) => fs.statSync(path.join(notebooksDir, f)).isFile());
  expect(files).toContain("welcome.md");
  for (const file of files) {
    expect(
      fs.readFileSync(path.join(distDir, "notebooks", file)).equals(fs.readFileSync(path.join(notebooksDir, file))),
      file,
    ).toBe(true);
  }
});

test("the dev server serves notebooks/index.json and notebook files at <base>notebooks/", async () => {
  const index = await fetch(new URL("notebooks/index.json", devUrl));
  expect(index.status).toBe(200);
  expect(await index.json()).toEqual(expectedIndex());

  const welcome = await fetch(new URL("notebooks/welcome.md", devUrl));
  expect(welcome.status).toBe(200);
  expect(welcome.headers.get("content-type")).toMatch(/^text\/markdown/);
  expect(await welcome.text()).toBe(fs.readFileSync(path.join(notebooksDir, "welcome.md"), "utf8"));

  const data = await fetch(new URL("notebooks/data/customers.csv", devUrl));
  expect(data.status).toBe(200);
  expect(data.headers.get("content-type")).toMatch(/^text\/csv/);
});
