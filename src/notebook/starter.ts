/**
 * New notebooks: a blank one (File → New) and a starter written for one data file ("New notebook
 * from this file"). The starter is built from the file's real column names and types: an overview
 * and a profile of every column, then RFM when the file has customer, date and amount columns
 * (quantity × unit price counts as an amount), or k-means clustering on its numeric measures, each
 * step ready to run. Pure: column profile in, notebook text out.
 */
import { stringify } from "yaml";
import { DEFAULT_SEED, FORMAT_VERSION, type Cell, type CellKind, type DataSource } from "./model.ts";
import { serialize } from "./serialize.ts";
import { UNTITLED } from "./title.ts";
import { isSqlIdentifier } from "./identifiers.ts";
import { canRfm, columnRoles, isNumericType, type ColumnRoles, type StarterColumn } from "./starter-roles.ts";

export { columnRoles, canRfm, type ColumnRoles, type StarterColumn } from "./starter-roles.ts";

/** A column for the starter: name and type, and profile figures where known (see profileTable). */
export interface StarterProfileColumn extends StarterColumn {
  mean?: number | string;
  median?: number | string;
  min?: number | string;
}

/** What {@link starterNotebook} is written from. */
export interface StarterInput {
  /** The table name the file gets (a data source of the new notebook). */
  table: string;
  /** The file as the user knows it, e.g. `Mall_Customers.csv`. */
  fileName: string;
  /** The front matter entry that loads it (path relative to the notebook, sha256). */
  source: DataSource;
  columns: readonly StarterProfileColumn[];
}

let cellCounter = 0;
function cell(kind: CellKind, source: string, name?: string): Cell {
  return { id: `starter-${++cellCounter}`, kind, source, ...(name ? { name } : {}) };
}

function frontMatter(title: string, data?: Record<string, DataSource>): string {
  const plain: Record<string, unknown> = { title, format: FORMAT_VERSION, seed: DEFAULT_SEED };
  if (data) {
    plain.data = Object.fromEntries(
      Object.entries(data).map(([name, s]) => [name, s.sha256 || s.format ? { ...s } : s.path]),
    );
  }
  return stringify(plain);
}

/**
 * A blank notebook: front matter with the title, `format: 1` and a fixed seed (never the clock, so
 * a re-run gives the same result), a title heading and one empty TypeScript cell. No data.
 * @example blankNotebook() // "---\ntitle: Untitled\nformat: 1\nseed: 42\n---\n\n# Untitled\n\n```ts\n\n```\n"
 */
export function blankNotebook(title = UNTITLED): string {
  return serialize({
    frontMatterSource: frontMatter(title),
    frontMatter: { title, format: FORMAT_VERSION, seed: DEFAULT_SEED, data: {} },
    cells: [cell("md", `# ${title}`), cell("ts", "")],
  });
}

/** `name` as SQL writes it: bare when it is a plain identifier, else double-quoted. */
export function sqlName(name: string): string {
  return isSqlIdentifier(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** `name` as a TS string literal. */
function tsString(name: string): string {
  return JSON.stringify(name);
}

/** `name` in Markdown prose: as code, with backticks inside it doubled around. */
function code(name: string): string {
  return name.includes("`") ? `\`\` ${name} \`\`` : `\`${name}\``;
}

function list(names: readonly string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/** Variable and table names the starter defines, kept clear of the data table's own name. */
function namer(table: string): (name: string) => string {
  const taken = new Set([table.toLowerCase()]);
  return (name) => {
    let candidate = name;
    for (let i = 2; taken.has(candidate.toLowerCase()); i++) candidate = `${name}_${i}`;
    taken.add(candidate.toLowerCase());
    return candidate;
  };
}

function roleOf(column: StarterColumn, roles: ColumnRoles): string {
  if (column === roles.customer) return "customer id";
  if (column === roles.invoice) return "invoice";
  if (column === roles.date) return "purchase date";
  if (column === roles.amount) return "amount";
  if (column === roles.quantity) return "quantity (amount = quantity × unit price)";
  if (column === roles.price) return "unit price";
  if (roles.measures.includes(column)) return "measure";
  if (roles.categories.includes(column)) return "category";
  return "";
}

function numberOf(value: number | string | undefined): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/**
 * Whether a measure is skewed enough to log first: never negative and its mean well above its
 * median (spend and counts usually are), so a few large values do not make the clusters alone.
 */
function isSkewed(column: StarterProfileColumn): boolean {
  const min = numberOf(column.min);
  const mean = numberOf(column.mean);
  const median = numberOf(column.median);
  return min !== undefined && min >= 0 && mean !== undefined && median !== undefined && mean > 1.25 * median;
}

/**
 * A starter notebook for one data file, as notebook text (front matter with the file as a data
 * source, then Markdown, SQL and TS cells). Every step runs as written.
 * @example
 * starterNotebook({table: "mall_customers", fileName: "Mall_Customers.csv",
 *   source: {path: "Mall_Customers.csv", sha256: "…"}, columns: profile.columns})
 */
export function starterNotebook(input: StarterInput): string {
  const { table, fileName, columns } = input;
  const roles = columnRoles(columns);
  const name = namer(table);
  const t = sqlName(table);
  // `Mall_Customers.csv` -> "Mall Customers": underscores would read as emphasis in Markdown headings.
  const stem =
    fileName
      .replace(/\.[^.]*$/, "")
      .replace(/[_\s]+/g, " ")
      .trim() || table;
  const rfm = canRfm(roles);
  const title = rfm ? `${stem}: RFM and clusters` : roles.measures.length >= 2 ? `${stem}: clusters` : stem;
  const cells: Cell[] = [];
  const md = (text: string) => cells.push(cell("md", text));
  const ts = (text: string) => cells.push(cell("ts", text));
  const sql = (text: string, cellName?: string) => cells.push(cell("sql", text, cellName));

  const table_ = columns
    .map((c) => `| ${code(c.name).replace(/\|/g, "\\|")} | ${c.type} | ${roleOf(c, roles)} |`)
    .join("\n");
  const plan = rfm
    ? "It has customer, date and amount columns, so it goes on to RFM scores and then k-means clusters of the customers' recency, frequency and spend."
    : roles.measures.length >= 2
      ? `It has numeric measures (${list(roles.measures.map((c) => code(c.name)))}), so it goes on to k-means clusters on them and a profile of each cluster.`
      : "It has no customer/date/amount columns for RFM and fewer than two numeric measures to cluster on; the profile below is the place to start.";
  md(
    `# ${title}\n\nA starter notebook for ${code(fileName)}, written from its columns. ${plan} ` +
      `Every step runs as it is: edit any cell and what depends on it runs again.\n\n` +
      `## 1. The data\n\n${code(table)} has **\${${table}.numRows.toLocaleString("en")}** rows and ${columns.length} columns:\n\n` +
      `| column | type | used as |\n| --- | --- | --- |\n${table_}\n\n` +
      "Each column over every row: its type, smallest and largest value, distinct values (approximate), mean, quartiles and the share of missing values:",
  );
  // `SUMMARIZE t` alone names no table the runtime sees as an input; a query after it does.
  sql(`SUMMARIZE SELECT * FROM ${t}`);

  if (rfm) writeRfm(input, roles, name, { md, ts, sql });
  else if (roles.measures.length >= 2) writeClusters(input, roles, name, { md, ts, sql });

  return serialize({
    frontMatterSource: frontMatter(title, { [table]: input.source }),
    frontMatter: { title, format: FORMAT_VERSION, seed: DEFAULT_SEED, data: { [table]: input.source } },
    cells,
  });
}

interface Writers {
  md: (text: string) => void;
  ts: (text: string) => void;
  sql: (text: string, name?: string) => void;
}

function writeRfm(input: StarterInput, roles: ColumnRoles, name: (n: string) => string, w: Writers): void {
  const t = sqlName(input.table);
  const customer = roles.customer!;
  const date = roles.date!;
  const purchases = name("purchases");
  const scored = name("scored");
  const summary = name("rfm_segments");
  // A float id (17850.0: a CSV column with blanks read as DOUBLE) is an integer id with a decimal point.
  const customerExpr = /^(DOUBLE|FLOAT|REAL|DECIMAL)/i.test(customer.type)
    ? `CAST(${sqlName(customer.name)} AS BIGINT)`
    : sqlName(customer.name);
  const amountExpr = roles.amount
    ? sqlName(roles.amount.name)
    : `${sqlName(roles.quantity!.name)} * ${sqlName(roles.price!.name)}`;
  const select = [`  ${customerExpr} AS customer_id`];
  if (roles.invoice) select.push(`  ${sqlName(roles.invoice.name)} AS invoice`);
  select.push(`  ${sqlName(date.name)} AS purchased_at`, `  ${amountExpr} AS amount`);
  const where = [`${sqlName(customer.name)} IS NOT NULL`, `${sqlName(date.name)} IS NOT NULL`];
  const rules = ["lines without a customer or a date"];
  if (roles.invoice) {
    where.push(`NOT starts_with(CAST(${sqlName(roles.invoice.name)} AS VARCHAR), 'C')`);
    rules.push(`cancellations (invoices starting with \`C\`)`);
  }
  if (roles.amount) {
    where.push(`${sqlName(roles.amount.name)} > 0`);
    rules.push("amounts of zero or less (refunds, adjustments)");
  } else {
    where.push(`${sqlName(roles.quantity!.name)} > 0`, `${sqlName(roles.price!.name)} > 0`);
    rules.push("lines with a quantity or unit price of zero or less (returns, adjustments, write-offs)");
  }
  const amountText = roles.amount
    ? `The amount is ${code(roles.amount.name)}.`
    : `The amount of a line is ${code(roles.quantity!.name)} × ${code(roles.price!.name)}.`;
  w.md(`## 2. Purchases\n\nRFM is about customers' purchases, so these are left out: ${list(rules)}. ${amountText}`);
  w.sql(`SELECT\n${select.join(",\n")}\nFROM ${t}\nWHERE ${where.join("\n  AND ")}`, purchases);
  w.md(
    `**\${${purchases}.numRows.toLocaleString("en")}** of \${${input.table}.numRows.toLocaleString("en")} rows are purchases.\n\n` +
      `## 3. RFM scores\n\n\`seg.rfm\` scores each customer's recency (days since the last purchase), frequency (${roles.invoice ? "invoices" : "purchases"}) ` +
      `and monetary value (total spend) 1-5 by quintiles, and names them with the 10-segment recency × frequency map. ` +
      `Recency counts from the day after the last purchase in the file.`,
  );
  w.ts(
    `const ${scored} = await seg.rfm(${purchases}, {\n  id: "customer_id",\n  date: "purchased_at",\n  amount: "amount",\n` +
      (roles.invoice ? `  invoice: "invoice",\n` : "") +
      `});\n${scored};`,
  );
  w.sql(
    `SELECT segment, count(*) AS customers, round(median(recency)) AS median_recency_days,\n` +
      `  round(median(frequency), 1) AS median_frequency, round(sum(monetary), 2) AS revenue\n` +
      `FROM \${${scored}}\nGROUP BY segment\nORDER BY revenue DESC`,
    summary,
  );
  w.ts(`seg.charts.rfmGrid(${scored}, { title: "Customers per recency × frequency score" });`);
  writeKmeans(
    {
      source: scored,
      sourceSql: `\${${scored}}`,
      features: ["recency", "frequency", "monetary"],
      transform: ["log1p", "standardize"],
      id: "customer_id",
      revenue: "monetary",
      categories: [],
      heading: "## 4. Clusters of customers",
      profileHeading: "## 5. What each cluster is like",
      why: "Recency, frequency and spend are skewed (a few customers buy far more than the rest), so each is log-transformed (`log1p`) and then standardized before k-means.",
      k: [2, 6],
    },
    name,
    w,
  );
}

function writeClusters(input: StarterInput, roles: ColumnRoles, name: (n: string) => string, w: Writers): void {
  const measures = roles.measures;
  const skewed = measures.filter(isSkewed);
  let transform: string[] | Record<string, string[]>;
  if (skewed.length === 0) transform = ["standardize"];
  else if (skewed.length === measures.length) transform = ["log1p", "standardize"];
  else
    transform = Object.fromEntries(
      measures.map((c) => [c.name, skewed.includes(c) ? ["log1p", "standardize"] : ["standardize"]]),
    );
  const why =
    skewed.length === 0
      ? "Each feature is standardized (mean 0, standard deviation 1), so no unit outweighs another."
      : `Each feature is standardized (mean 0, standard deviation 1), so no unit outweighs another; ${list(skewed.map((c) => code(c.name)))} ${skewed.length === 1 ? "is" : "are"} skewed (mean well above median), so ${skewed.length === 1 ? "it is" : "they are"} log-transformed (\`log1p\`) first.`;
  let source = input.table;
  let id = roles.customer?.name;
  if (!id || !isNumericType(roles.customer!.type)) {
    // k-means labels join back on an id; without one, number the rows.
    if (!id) {
      source = name(`${input.table}_rows`);
      id = "row_id";
      w.md("k-means labels join back to the rows by an id; the file has none, so the rows are numbered.");
      w.sql(`SELECT row_number() OVER () AS row_id, * FROM ${sqlName(input.table)}`, source);
    }
  }
  const nulls = measures.some((c) => (c.nulls ?? 0) > 0);
  writeKmeans(
    {
      source,
      sourceSql: sqlName(source),
      features: measures.map((c) => c.name),
      transform,
      id,
      categories: roles.categories.map((c) => c.name),
      heading: "## 2. Clusters",
      profileHeading: "## 3. What each cluster is like",
      why: why + (nulls ? " Rows with a missing value are left out." : ""),
      k: [2, 8],
      missing: nulls,
    },
    name,
    w,
  );
}

interface KmeansPlan {
  /** TS name of the table to cluster, and how SQL refers to it. */
  source: string;
  sourceSql: string;
  features: string[];
  transform: string[] | Record<string, string[]>;
  id: string;
  revenue?: string;
  categories: string[];
  heading: string;
  profileHeading: string;
  why: string;
  k: [number, number];
  missing?: boolean;
}

function writeKmeans(plan: KmeansPlan, name: (n: string) => string, w: Writers): void {
  const options = name("clustering");
  const scan = name("scan");
  const k = name("k");
  const clusters = name("clusters");
  const clustered = name("clustered");
  const profile = name("cluster_profile");
  const steps = (list: string[]) => `[${list.map(tsString).join(", ")}]`;
  const transform = Array.isArray(plan.transform)
    ? steps(plan.transform)
    : `{\n${Object.entries(plan.transform)
        .map(([f, s]) => `    ${tsString(f)}: ${steps(s)},`)
        .join("\n")}\n  }`;
  w.md(
    `${plan.heading}\n\nk-means on ${list(plan.features.map(code))}. ${plan.why} ` +
      `\`seg.chooseK\` fits k = ${plan.k[0]}..${plan.k[1]} and scores each by silhouette (how much closer each point is to its own cluster than to the next).`,
  );
  w.ts(
    `const ${options} = {\n  features: [${plan.features.map(tsString).join(", ")}],\n  transform: ${transform},\n  id: ${tsString(plan.id)},\n` +
      (plan.missing ? `  missing: "drop",\n` : "") +
      `} as const;\nconst ${scan} = await seg.chooseK(${plan.source}, { ...${options}, k: [${plan.k[0]}, ${plan.k[1]}], nInit: 4 });\n${scan};`,
  );
  w.md(
    `Silhouette recommends **k = \${${scan}.info.recommended}** (\${${scan}.info.reason}). ` +
      `Set \`${k}\` below to another number to try it: everything after it runs again.`,
  );
  w.ts(
    `const ${k} = ${scan}.info.recommended;\nconst ${clusters} = await seg.kmeans(${plan.source}, { ...${options}, ${k === "k" ? "k" : `k: ${k}`} });\n${clusters}.info.sizes;`,
  );
  w.sql(
    `SELECT d.*, l.cluster\nFROM ${plan.sourceSql} AS d\nJOIN \${${clusters}} AS l USING (${sqlName(plan.id)})`,
    clustered,
  );
  const features = [...plan.features, ...plan.categories];
  w.md(
    `${plan.profileHeading}\n\n\`seg.profile\` compares each cluster with everyone: the mean of each measure, its index (100 = average) and z-score` +
      (plan.categories.length ? `, and the share of each value of ${list(plan.categories.map(code))}` : "") +
      (plan.revenue ? ", and each cluster's share of revenue" : "") +
      ".",
  );
  w.ts(
    `const ${profile} = await seg.profile(${clustered}, {\n  segment: "cluster",\n  features: [${features.map(tsString).join(", ")}],\n` +
      (plan.revenue ? `  amount: ${tsString(plan.revenue)},\n` : "") +
      `});\n${profile};`,
  );
  w.ts(`seg.charts.profileHeatmap(${profile}, { title: "Index vs everyone (100 = average)" });`);
}
