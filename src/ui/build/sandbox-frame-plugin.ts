/**
 * Builds the sandbox frame's code (src/ui/sandbox/frame-main.ts and what it imports) as one classic
 * script and offers a loader of it as a `Blob` as the module `virtual:segbook-sandbox-frame`. Classic,
 * because the frame's origin is opaque: module scripts (and their imports) would need CORS, which a
 * static site does not send; and as a Blob, because the frame may make no request at all: the app
 * fetches it and passes the Blob in by postMessage (src/ui/sandbox/sandbox-frame.ts). In a build the
 * script is a file of its own that the page fetches as data: it is never parsed as JavaScript in the
 * page, and a Blob crosses to the frame as a handle, not as 2 MB of text to copy, decode and store
 * again (that text cost the frame's boot about 0.3 s of CPU). The dev server's module makes the Blob
 * of the text itself. The same nested Vite build runs under `vite build` and the dev server; the dev
 * server rebuilds it when one of its files changes.
 */
import path from "node:path";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { build, type Plugin, type PluginOption, type Rollup } from "vite";

/** The virtual module's id, as imported. */
export const SANDBOX_FRAME_MODULE = "virtual:segbook-sandbox-frame";
const RESOLVED = `\0${SANDBOX_FRAME_MODULE}`;

/** The frame's entry. */
const ENTRY = path.join(import.meta.dirname, "../sandbox/frame-main.ts");

/** The module the frame's bundle imports the kernel worker's code from (as text, for a `blob:` worker). */
export const SANDBOX_KERNEL_WORKER_MODULE = "virtual:segbook-sandbox-kernel-worker";
const KERNEL_WORKER_ENTRY = path.join(import.meta.dirname, "../kernel-worker.ts");

/**
 * The inspector's package "exports" hide its stylesheet, which the frame's styles import
 * (src/ui/sandbox/frame-style.ts); the nested build points at the file itself, as vite.config.ts does.
 */
const ALIASES = [
  {
    find: "@observablehq/inspector/dist/inspector.css",
    replacement: path.join(import.meta.dirname, "../../../node_modules/@observablehq/inspector/dist/inspector.css"),
  },
];

/** One entry built as a single IIFE (no imports, no files): its code, CSS and the files it was built from. */
async function buildClassic(entry: string, name: string, minify: boolean, plugins: PluginOption[]) {
  const result = await build({
    configFile: false,
    logLevel: "warn",
    // The nested build must not pick up the site's public/ folder or write anything.
    publicDir: false,
    plugins,
    resolve: { alias: ALIASES },
    build: {
      write: false,
      minify,
      sourcemap: false,
      emptyOutDir: false,
      lib: { entry, formats: ["iife"], name, fileName: () => `${name}.js` },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rollup.RollupOutput[];
  const files = outputs.flatMap((o) => o.output);
  const chunk = files.find((o): o is Rollup.OutputChunk => o.type === "chunk");
  if (!chunk) throw new Error(`sandbox frame: the nested build of ${path.basename(entry)} made no script`);
  const css = files
    .filter((o): o is Rollup.OutputAsset => o.type === "asset" && o.fileName.endsWith(".css"))
    .map((o) => String(o.source))
    .join("\n");
  return { code: chunk.code, css, files: chunk.moduleIds.filter((id) => !id.startsWith("\0")) };
}

/**
 * Offers the kernel worker (src/ui/kernel-worker.ts) as text to the frame's build: the frame cannot
 * load the site's worker URL (opaque origin, no network), so it starts its kernel workers from
 * `blob:` URLs of this text. `files` collects what it was built from, for the dev server's watch.
 */
function kernelWorkerText(minify: boolean, files: string[]): Plugin {
  const resolved = `\0${SANDBOX_KERNEL_WORKER_MODULE}`;
  return {
    name: "segbook-sandbox-kernel-worker",
    resolveId: (id) => (id === SANDBOX_KERNEL_WORKER_MODULE ? resolved : null),
    async load(id) {
      if (id !== resolved) return null;
      const worker = await buildClassic(KERNEL_WORKER_ENTRY, "segbookKernelWorker", minify, []);
      files.push(...worker.files);
      return `export default ${JSON.stringify(worker.code)};`;
    },
  };
}

/**
 * The frame's bundle as one IIFE: its code and the files it was built from.
 *
 * @example
 * const { code } = await buildFrameBundle(true);
 */
export async function buildFrameBundle(minify: boolean): Promise<{ code: string; files: string[] }> {
  const workerFiles: string[] = [];
  // The data grid (rich output) is a Svelte component.
  const frame = await buildClassic(ENTRY, "segbookSandboxFrame", minify, [svelte(), kernelWorkerText(minify, workerFiles)]);
  // The components' styles come out as a CSS file, which the frame could not load: the script adds
  // them as a <style> element itself (the frame's policy allows inline styles).
  const code = frame.css
    ? `${frame.code}\n;(()=>{const s=document.createElement("style");s.textContent=${JSON.stringify(frame.css)};document.head.append(s)})();\n`
    : frame.code;
  return { code, files: [...frame.files, ...workerFiles] };
}

/** A classic script's Blob of the text `expression` evaluates to (or of a Blob). */
function blobOf(expression: string): string {
  return `new Blob([${expression}], { type: "text/javascript" })`;
}

/**
 * The built site's module: a function fetching the frame's script (at the URL `url` evaluates to) as
 * a Blob. A failed fetch says what failed; the app shows it with what to do.
 */
function frameLoader(url: string): string {
  return `export default async () => {
  const response = await fetch(${url});
  if (!response.ok) throw new Error("the sandbox's script did not load (HTTP " + response.status + ")");
  return ${blobOf("await response.blob()")};
};`;
}

/**
 * The plugin.
 *
 * @example
 * // vite.config.ts
 * plugins: [sandboxFramePlugin()];
 */
export function sandboxFramePlugin(): Plugin {
  let minify = true;
  let build = true;
  let cached: Promise<{ code: string; files: string[] }> | undefined;
  return {
    name: "segbook-sandbox-frame",
    configResolved(config) {
      minify = config.command === "build";
      build = config.command === "build";
    },
    resolveId: (id) => (id === SANDBOX_FRAME_MODULE ? RESOLVED : null),
    async load(id) {
      if (id !== RESOLVED) return null;
      cached ??= buildFrameBundle(minify);
      const { code, files } = await cached.catch((error: unknown) => {
        cached = undefined;
        throw error;
      });
      for (const file of files) this.addWatchFile(file);
      if (!build) return `export default () => Promise.resolve(${blobOf(JSON.stringify(code))});`;
      const file = this.emitFile({ type: "asset", name: "sandbox-frame.js", source: code });
      return frameLoader(`import.meta.ROLLUP_FILE_URL_${file}`);
    },
    // Dev server: a change to one of the frame's files rebuilds the bundle on the next load.
    watchChange(id) {
      if (!cached) return;
      void cached.then(({ files }) => {
        if (files.includes(id)) cached = undefined;
      });
    },
    handleHotUpdate({ file, server }) {
      const mod = server.moduleGraph.getModuleById(RESOLVED);
      if (!mod || !cached) return;
      return cached.then(({ files }) => {
        if (!files.includes(file)) return;
        cached = undefined;
        server.moduleGraph.invalidateModule(mod);
      });
    },
  };
}
