/**
 * A Vite plugin that publishes the reference generated from the source (reference.ts) next to the
 * app: written to `<outDir>/reference/` by every build (`npm run build`, or `vite build --outDir …`),
 * and served at `<base>reference/` by the dev server, generated on the first request and again after
 * a source file or the README changes. TypeDoc is imported only when needed, so starting Vite or Vitest stays fast.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Plugin } from "vite";

const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json; charset=utf-8",
};

/** Every file under `dir`, relative, `/`-separated. */
function listFiles(dir: string, prefix = ""): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix + entry.name;
    if (entry.isDirectory()) files.push(...listFiles(path.join(dir, entry.name), `${rel}/`));
    else files.push(rel);
  }
  return files.sort();
}

/** Generates the reference into a fresh temporary folder and returns it. */
async function generate(): Promise<string> {
  const { generateReference } = await import("./reference.ts");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "segbook-reference-"));
  await generateReference(dir);
  return dir;
}

/**
 * The plugin.
 * @example
 * export default defineConfig({ plugins: [svelte(), referencePlugin()] });
 */
export function referencePlugin(): Plugin {
  /** The dev server's current reference: a promise of its folder, replaced when the source changes. */
  let served: Promise<string> | undefined;
  return {
    name: "segbook-reference",
    configureServer(server) {
      server.watcher.on("change", (file) => {
        // The source's JSDoc, or the README whose contract section the index includes.
        const source = /\.ts$/.test(file) && file.includes(`${path.sep}src${path.sep}`);
        if (!(source || path.basename(file) === "README.md") || !served) return;
        // The next request generates it again; the stale folder goes once nothing is reading it.
        const stale = served;
        served = undefined;
        stale.then(
          (dir) => setTimeout(() => fs.rmSync(dir, { recursive: true, force: true }), 10_000),
          () => {},
        );
      });
      const mount = `${server.config.base.replace(/\/$/, "")}/reference`;
      server.middlewares.use(mount, (req, res, next) => {
        // The pages link relatively: `reference` must be the folder `reference/`.
        const original = (req.originalUrl ?? "").split("?")[0]!;
        if (!original.endsWith("/") && (req.url ?? "/").split("?")[0] === "/") {
          res.statusCode = 301;
          res.setHeader("Location", `${original}/`);
          return res.end();
        }
        const rel = decodeURIComponent((req.url ?? "/").split("?")[0]!).replace(/^\/+/, "") || "index.html";
        served ??= generate();
        served.then(
          (dir) => {
            const file = path.resolve(dir, rel);
            if (!file.startsWith(dir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return next();
            res.setHeader("Content-Type", MIME[path.extname(file)] ?? "application/octet-stream");
            res.setHeader("Cache-Control", "no-cache");
            fs.createReadStream(file).pipe(res);
          },
          (error: unknown) => {
            served = undefined;
            next(error);
          },
        );
      });
    },
    async generateBundle() {
      const dir = await generate();
      try {
        for (const file of listFiles(dir)) {
          this.emitFile({
            type: "asset",
            fileName: `reference/${file}`,
            source: fs.readFileSync(path.join(dir, file)),
          });
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
