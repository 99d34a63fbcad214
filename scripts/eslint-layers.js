/**
 * The architecture's import directions, as an ESLint rule (`layers/imports`, set up in
 * eslint.config.js). Each folder under src/ may import only the folders listed for it in LAYERS; a
 * relative import is resolved against the importing file, so `../../runtime/x.ts` from src/ui/editor
 * counts as `runtime`. The pure folders (everything but ui and the entry) may not import Svelte.
 * A folder missing from LAYERS is an error too, so a new folder gets its place in the table.
 */
import path from "node:path";

/** Folder under src/ -> the folders under src/ it may import (besides itself). "" is src/main.ts. */
export const LAYERS = {
  random: [],
  engine: [],
  format: ["engine"],
  notebook: ["engine", "format", "random"],
  seg: ["engine", "format", "notebook", "random"],
  runtime: ["engine", "format", "notebook", "random"],
  demo: ["engine", "format", "notebook", "random"],
  report: ["engine", "format", "notebook", "random", "runtime", "seg"],
  cli: ["demo", "engine", "format", "notebook", "random", "report", "runtime", "seg"],
  ui: ["demo", "engine", "format", "notebook", "random", "report", "runtime", "seg"],
  // Documentation entry points only (TypeDoc reads them); nothing imports them.
  reference: ["engine", "runtime", "seg"],
  "": ["ui", "demo", "engine", "format", "notebook", "random", "report", "runtime", "seg"],
};

/** Folders that render with Svelte; every other folder is pure (no Svelte, runs in Node as well). */
const SVELTE_FOLDERS = new Set(["ui", ""]);

const SRC = path.resolve(import.meta.dirname, "../src");

/** The folder under src/ a path is in ("" for a file directly in src/), or undefined outside src/. */
function folderOf(file) {
  const relative = path.relative(SRC, file);
  if (relative.startsWith("..") || path.isAbsolute(relative)) return undefined;
  const parts = relative.split(path.sep);
  return parts.length > 1 ? parts[0] : "";
}

function isSvelte(specifier) {
  const bare = specifier.replace(/\?.*$/, "");
  return bare === "svelte" || bare.startsWith("svelte/") || /\.svelte(\.ts|\.js)?$/.test(bare);
}

/** @type {import("eslint").Rule.RuleModule} */
const imports = {
  meta: {
    type: "problem",
    docs: { description: "keeps each folder of src/ to the imports its layer allows (see scripts/eslint-layers.js)" },
    schema: [],
    messages: {
      layer:
        "src/{{from}} may not import src/{{to}} ({{specifier}}): src/{{from}} may import {{allowed}}. See LAYERS in scripts/eslint-layers.js.",
      svelte: "src/{{from}} is pure (no DOM, no Svelte) and may not import {{specifier}}; Svelte belongs in src/ui.",
      unknown: "src/{{from}} has no place in LAYERS (scripts/eslint-layers.js): add it with the folders it may import.",
    },
  },
  create(context) {
    const file = context.filename;
    const from = folderOf(file);
    if (from === undefined) return {};
    const name = from === "" ? "main.ts" : from;
    const allowed = LAYERS[from];
    if (!allowed) {
      return {
        Program(node) {
          context.report({ node, messageId: "unknown", data: { from: name } });
        },
      };
    }
    const check = (node, specifier) => {
      if (typeof specifier !== "string") return;
      if (!SVELTE_FOLDERS.has(from) && isSvelte(specifier)) {
        context.report({ node, messageId: "svelte", data: { from: name, specifier } });
        return;
      }
      if (!specifier.startsWith(".")) return;
      const to = folderOf(path.resolve(path.dirname(file), specifier.replace(/\?.*$/, "")));
      if (to === undefined || to === from || allowed.includes(to)) return;
      const list = allowed.length ? allowed.map((f) => `src/${f}`).join(", ") : "no other folder";
      context.report({
        node,
        messageId: "layer",
        data: { from: name, to: to === "" ? "main.ts" : to, specifier, allowed: list },
      });
    };
    const source = (node) => node.source && check(node.source, node.source.value);
    return {
      ImportDeclaration: source,
      ExportNamedDeclaration: source,
      ExportAllDeclaration: source,
      ImportExpression: (node) => node.source.type === "Literal" && check(node.source, node.source.value),
      // `typeof import("../runtime/session.ts")` in a type.
      TSImportType: (node) => {
        const literal = node.source ?? node.argument?.literal;
        if (literal?.type === "Literal") check(node, literal.value);
      },
    };
  },
};

/** The plugin eslint.config.js registers as `layers`. */
export const layersPlugin = { rules: { imports } };
