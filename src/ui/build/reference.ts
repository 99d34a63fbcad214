/**
 * Generates the reference (HTML) of `seg`, the cell builtins and table handles from the TypeScript
 * source with TypeDoc. The entry is src/reference/index.ts; the doc comments are the source's own
 * JSDoc. Every link in the output is relative, so the site works under any sub-path.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import {
  Application,
  Comment,
  Converter,
  DeclarationReflection,
  LogLevel,
  PageEvent,
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

/** The heading of the README section the index page includes (the contract every `seg` function follows). */
export const CONTRACT_HEADING = "The seg contract";

/**
 * The README section headed {@link CONTRACT_HEADING} (any level-2 heading containing "seg contract",
 * backticks allowed), from its heading to the next level-2 heading, or `null` when there is none. The
 * index page includes it so the contract is written once, in the README.
 * @example
 * contractSection("# A\n## The `seg` contract\nEvery function…\n## Next\n"); // "## The `seg` contract\nEvery function…"
 */
export function contractSection(readme: string): string | null {
  const lines = readme.split("\n");
  const start = lines.findIndex((line) => /^##\s/.test(line) && /\bseg`?\s+contract\b/i.test(line));
  if (start < 0) return null;
  const end = lines.findIndex((line, i) => i > start && /^##\s/.test(line));
  return lines
    .slice(start, end < 0 ? undefined : end)
    .join("\n")
    .trim();
}

/** A stand-in for the address of the workbench in navigation links, made relative per page on output. */
const WORKBENCH_LINK = "segbook-workbench:";

/**
 * The page of `seg.<name>` (e.g. "kmeans", "charts.rfmGrid") relative to the reference folder, as
 * TypeDoc names it.
 * @example
 * functionPage("charts.rfmGrid"); // "functions/seg.charts.rfmGrid.html"
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

/**
 * `html` with a Content-Security-Policy meta tag as strict as the workbench's: scripts only from the
 * site plus TypeDoc's own inline snippet by its hash, no plugins, no requests off the site.
 * @example
 * withPolicy("<head><script>x()</script></head>"); // '<head><meta http-equiv="Content-Security-Policy" content="… script-src 'self' 'sha256-…' …"><script>…'
 */
export function withPolicy(html: string): string {
  const hashes = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
    (m) => `'sha256-${createHash("sha256").update(m[1]!).digest("base64")}'`,
  );
  const policy = [
    "default-src 'self'",
    `script-src 'self' ${hashes.join(" ")}`.trim(),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'none'",
    "frame-src 'none'",
  ].join("; ");
  return html.replace("<head>", `<head><meta http-equiv="Content-Security-Policy" content="${policy}">`);
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
    navigationLinks: { Workbench: WORKBENCH_LINK } as Record<string, string>,
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
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => includeContract(context.project));
  // Navigation links are written as given: point the workbench's at the site's index.html from each
  // page's own folder, so the reference works under any sub-path.
  app.renderer.on(PageEvent.END, (page) => {
    if (!page.contents) return;
    const up = "../".repeat(page.url.split("/").length);
    page.contents = withPolicy(page.contents.replaceAll(`href="${WORKBENCH_LINK}"`, `href="${up}index.html"`));
  });
  return app;
}

/**
 * Appends the README's contract section to the index page (the project's comment), or a pointer to
 * the README when the section is missing (a warning, so a README edit never breaks the build).
 */
function includeContract(project: ProjectReflection): void {
  const section = contractSection(fs.readFileSync(path.join(root, "README.md"), "utf8"));
  if (!section) console.warn(`reference: README.md has no section "${CONTRACT_HEADING}" to include`);
  const text =
    section ?? `The contract every \`seg\` function follows is described in the README ("${CONTRACT_HEADING}").`;
  project.comment ??= new Comment();
  project.comment.summary.push({ kind: "text", text: `\n\n${text}\n` });
}

/** Converts the source; throws when TypeDoc reports errors. */
async function convert(app: Application): Promise<ProjectReflection> {
  const project = await app.convert();
  if (!project || app.logger.hasErrors())
    throw new Error("reference: TypeDoc could not convert src/reference/index.ts");
  return project;
}

/**
 * Writes the HTML reference into `outDir` (replacing it).
 * @example
 * await generateReference("dist/reference");
 */
export async function generateReference(outDir: string, logLevel: LogLevel = LogLevel.Warn): Promise<void> {
  const app = await referenceApp(logLevel);
  const project = await convert(app);
  await app.generateDocs(project, outDir);
  if (app.logger.hasErrors()) throw new Error(`reference: TypeDoc could not write ${outDir}`);
}

/** The code of one `@example` block: its fenced code, or the whole text when it has no fence. */
function exampleCode(tag: { content: readonly { text: string }[] }): string {
  const text = tag.content.map((part) => part.text).join("");
  const fenced = /```[\w-]*\n([\s\S]*?)```/.exec(text);
  return (fenced ? fenced[1]! : text).trim();
}

/** Walks a namespace of the converted reference: its functions and constants, sub-namespaces as `charts.x`. */
function members(namespace: DeclarationReflection, prefix = ""): [string, DeclarationReflection][] {
  const found: [string, DeclarationReflection][] = [];
  for (const child of namespace.children ?? []) {
    if (child.kindOf(ReflectionKind.Function | ReflectionKind.Variable)) found.push([prefix + child.name, child]);
    else if (child.kindOf(ReflectionKind.Namespace)) found.push(...members(child, `${prefix}${child.name}.`));
  }
  return found;
}

/** The examples of a converted reference's namespaces `seg` and `builtins`, by namespace and name. */
export interface ReferenceExamples {
  /** Every function of `seg` ("kmeans", "charts.rfmGrid") -> the code of each of its `@example` blocks. */
  seg: Map<string, string[]>;
  /** Every cell builtin ("db", "view") -> the code of each of its `@example` blocks (some have none). */
  builtins: Map<string, string[]>;
}

/**
 * Converts the reference (no HTML written) and returns the `@example` code of every `seg` function
 * and cell builtin, exactly as the reference shows it: the test that runs every example
 * (test/ui/build/reference-examples.test.ts) reads them here.
 * @example
 * const { seg } = await referenceExamples();
 * seg.get("kmeans"); // ["const km = await seg.kmeans(customers, {…});\nkm.info.sizes;"]
 */
export async function referenceExamples(logLevel: LogLevel = LogLevel.Error): Promise<ReferenceExamples> {
  const project = await convert(await referenceApp(logLevel));
  const examplesOf = (namespace: string) => {
    const reflection = project.getChildByName(namespace);
    if (!(reflection instanceof DeclarationReflection))
      throw new Error(`reference: no \`${namespace}\` namespace in src/reference/index.ts`);
    const examples = new Map<string, string[]>();
    for (const [name, member] of members(reflection)) {
      const comments = [member.comment, ...(member.signatures ?? []).map((s) => s.comment)];
      const tags = comments.flatMap((c) => c?.blockTags.filter((t) => t.tag === "@example") ?? []);
      examples.set(name, tags.map(exampleCode));
    }
    return examples;
  };
  return { seg: examplesOf("seg"), builtins: examplesOf("builtins") };
}
