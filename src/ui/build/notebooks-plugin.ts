/**
 * A small Vite plugin that publishes the repository's top-level `notebooks/` folder next to the app:
 * served at `<base>notebooks/` by the dev server and copied to `dist/notebooks/` by the build, with a
 * generated `notebooks/index.json` listing every notebook and its title. The folder stays the single
 * source of truth (no copy in `public/`), so editing a notebook file shows on reload in dev.
 */
import fs from "node:fs";
import path from "node:path";
import type { Plugin } from "vite";
import { notebookTitle, parse } from "../../notebook/index.ts";

/** One entry of `notebooks/index.json`. */
export interface NotebookIndexEntry {
  /** Path relative to the `notebooks/` folder, with `/` separators. */
  path: string;
  title: string;
  /** The front matter's `description`, when it has one. */
  description?: string;
  /** The front matter's `requires` (data not shipped with the site), when it has one. */
  requires?: string;
  /** Set on the notebook the app opens when no `?notebook=` is given. */
  default?: true;
}

/** The notebook opened by default, relative to `notebooks/`. */
export const DEFAULT_NOTEBOOK = "welcome.md";

const MIME: Record<string, string> = {
  ".md": "text/markdown; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".tsv": "text/tab-separated-values; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".parquet": "application/vnd.apache.parquet",
};

/** Every file under `dir` (following symlinks, so data can be linked in), relative, `/`-separated. */
function listFiles(dir: string, prefix = ""): string[] {
  if (!fs.existsSync(dir)) return [];
  const files: string[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    if (name.startsWith(".")) continue;
    const full = path.join(dir, name);
    const rel = prefix + name;
    if (fs.statSync(full).isDirectory()) files.push(...listFiles(full, `${rel}/`));
    else files.push(rel);
  }
  return files;
}

/** The index of every `.md` notebook under `dir`, titles and descriptions read with the project's own parser. */
export function notebookIndex(dir: string): NotebookIndexEntry[] {
  return listFiles(dir)
    .filter((file) => file.endsWith(".md"))
    .map((file) => {
      const { notebook } = parse(fs.readFileSync(path.join(dir, file), "utf8"));
      const { description, requires } = notebook.frontMatter;
      return {
        path: file,
        title: notebookTitle(notebook),
        ...(description !== undefined && { description }),
        ...(requires !== undefined && { requires }),
        ...(file === DEFAULT_NOTEBOOK && { default: true as const }),
      };
    });
}

/** The plugin; `dir` is the notebooks folder (default: `notebooks/` at the project root). */
export function notebooksPlugin(dir = path.resolve("notebooks")): Plugin {
  return {
    name: "segbook-notebooks",
    configureServer(server) {
      const root = path.resolve(dir);
      // `base: "./"` is served from "/" in dev; mount under whatever base the server really uses.
      const mount = `${server.config.base.replace(/\/$/, "")}/notebooks`;
      server.middlewares.use(mount, (req, res, next) => {
        const rel = decodeURIComponent((req.url ?? "/").split("?")[0]!).replace(/^\/+/, "");
        if (rel === "index.json") {
          res.setHeader("Content-Type", MIME[".json"]!);
          res.end(JSON.stringify(notebookIndex(root), null, 2));
          return;
        }
        const file = path.resolve(root, rel);
        // Never serve anything outside the folder, whatever `..` the URL holds.
        if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return next();
        res.setHeader("Content-Type", MIME[path.extname(file)] ?? "application/octet-stream");
        res.setHeader("Cache-Control", "no-cache");
        fs.createReadStream(file).pipe(res);
      });
    },
    generateBundle() {
      for (const file of listFiles(dir)) {
        this.emitFile({ type: "asset", fileName: `notebooks/${file}`, source: fs.readFileSync(path.join(dir, file)) });
      }
      this.emitFile({
        type: "asset",
        fileName: "notebooks/index.json",
        source: `${JSON.stringify(notebookIndex(dir), null, 2)}\n`,
      });
    },
  };
}
