/**
 * Generates the reference (HTML) of `seg`, the cell builtins and table handles from the TypeScript
 * source with TypeDoc. The entry is src/reference/index.ts; the doc comments are the source's own
 * JSDoc. Every link in the output is relative, so the site works under any sub-path.
 */
import path from "node:path";
import {
  Application,
  Converter,
  LogLevel,
  ReferenceType,
  Reflection,
  ReflectionKind,
  type ProjectReflection,
} from "typedoc";

const root = path.resolve(import.meta.dirname, "../../..");

/** The reference's entry module (the names cells see). */
export const REFERENCE_ENTRY = path.join(root, "src/reference/index.ts");

/** Where the reference sits in the built site, relative to index.html. */
export const REFERENCE_DIR = "reference";

/**
 * The page of `seg.<name>` (e.g. "kmeans", "charts.rfmGrid") relative to the reference folder, as
 * TypeDoc names it.
 */
export function functionPage(name: string): string {
  return `functions/seg.${name}.html`;
}

/**
 * Parameters a cell never passes: the context `seg` binds for the cell (its `db` and seed) and the
 * calling function's name some shared steps take for their messages.
 */
function isBoundParameter(parameter: { name: string; type?: { toString(): string } }): boolean {
  const type = parameter.type?.toString();
  return type === "SegContext" || (parameter.name === "fn" && type === "string");
}

/** Members documented nowhere: the raw engine behind `db` is not part of what cells are offered. */
const HIDDEN_MEMBERS = new Set(["CellDb.engine"]);

/** Every reflection a type or member of `value` points at (a walk over TypeDoc's model, not its parents). */
function referencedReflections(value: unknown, found: Set<Reflection>, seen = new Set<unknown>()): void {
  if (typeof value !== "object" || value === null || seen.has(value)) return;
  seen.add(value);
  if (value instanceof ReferenceType) {
    const target = value.reflection;
    if (target) found.add(target);
    for (const argument of value.typeArguments ?? []) referencedReflections(argument, found, seen);
    return;
  }
  for (const [key, field] of Object.entries(value)) {
    if (key === "parent" || key === "project" || key === "comment" || key === "sources") continue;
    referencedReflections(field, found, seen);
  }
}

/**
 * Keeps the types the missing-exports plugin added only if the documented API reaches them: the
 * plugin sees every type the source mentions, including those of parameters this build drops.
 */
function pruneUnreached(project: ProjectReflection, roots: ReadonlySet<Reflection>): void {
  for (const reflection of Object.values(project.reflections)) {
    const owner = reflection.parent?.name;
    if (owner && HIDDEN_MEMBERS.has(`${owner}.${reflection.name}`)) project.removeReflection(reflection);
  }
  const reached = new Set<Reflection>();
  const queue = [...roots];
  while (queue.length) {
    const reflection = queue.pop()!;
    if (reached.has(reflection)) continue;
    reached.add(reflection);
    const found = new Set<Reflection>();
    referencedReflections(reflection, found);
    // A member or signature is reached through its owner; what it points at is reached too.
    for (const target of found) {
      let top: Reflection | undefined = target;
      while (top?.parent && top.parent !== project && !top.parent.kindOf(ReflectionKind.Module)) top = top.parent;
      if (top && !reached.has(top)) queue.push(top);
    }
  }
  for (const child of [...(project.children ?? [])]) {
    if (!roots.has(child) && !reached.has(child)) project.removeReflection(child);
  }
}

/** A TypeDoc application set up for the reference; `logLevel` as TypeDoc's. */
async function referenceApp(logLevel: LogLevel): Promise<Application> {
  const app = await Application.bootstrapWithPlugins({
    entryPoints: [REFERENCE_ENTRY],
    tsconfig: path.join(root, "tsconfig.reference.json"),
    plugin: ["typedoc-plugin-missing-exports"],
    // The types named in signatures (options, results) are documented where the function lives.
    placeInternalsInOwningModule: true,
    excludeExternals: true,
    excludePrivate: true,
    // Types are checked by `tsc`; TypeDoc only reads them.
    skipErrorChecking: true,
    name: "Segbook reference",
    readme: "none",
    hideGenerator: true,
    githubPages: false,
    // The source is not published with the site: no links to files.
    disableSources: true,
    cleanOutputDir: true,
    customJs: path.join(root, "src/ui/build/reference-theme.js"),
    navigationLinks: { Workbench: "../index.html" } as Record<string, string>,
    highlightLanguages: ["typescript", "javascript", "sql", "json", "markdown"],
    logLevel,
  } as Parameters<typeof Application.bootstrapWithPlugins>[0]);
  app.converter.on(Converter.EVENT_CREATE_SIGNATURE, (_context, signature) => {
    if (signature.kind !== ReflectionKind.CallSignature || !signature.parameters) return;
    signature.parameters = signature.parameters.filter((p) => !isBoundParameter(p));
  });
  // What the entry exports is the documented API; anything else must be reached from it. The
  // missing-exports plugin adds types at priority 1e9: snapshot before it, prune after it.
  let roots = new Set<Reflection>();
  app.converter.on(
    Converter.EVENT_RESOLVE_BEGIN,
    (context) => {
      roots = new Set(context.project.children ?? []);
    },
    2e9,
  );
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => pruneUnreached(context.project, roots), 0);
  return app;
}

/** Converts the source; throws when TypeDoc reports errors. */
async function convert(app: Application): Promise<ProjectReflection> {
  const project = await app.convert();
  if (!project || app.logger.hasErrors()) throw new Error("reference: TypeDoc could not convert src/reference/index.ts");
  return project;
}

/** Writes the HTML reference into `outDir` (replacing it). */
export async function generateReference(outDir: string, logLevel: LogLevel = LogLevel.Warn): Promise<void> {
  const app = await referenceApp(logLevel);
  const project = await convert(app);
  await app.generateDocs(project, outDir);
  if (app.logger.hasErrors()) throw new Error(`reference: TypeDoc could not write ${outDir}`);
}
