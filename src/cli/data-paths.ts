/**
 * Which files a notebook may name as data in `segbook run`. A shared notebook is someone else's code:
 * its front matter must not make the run read `/etc/passwd`, `../../secrets.csv` or `~/.aws/credentials`
 * (the file's rows would reach its cells, and through them the report and exports). So a front matter
 * path must lie inside the notebook's own folder, judged after symlinks are resolved (a `data` link
 * committed beside the notebook and pointing at `/` reads nothing); anything else needs the person
 * running it to say so: `--data NAME=PATH` (which replaces the source) or `--allow-read DIR`.
 */
import { realpathSync } from "node:fs";
import path from "node:path";

/**
 * `file`'s real path: symlinks resolved for the part of it that exists (a missing file is reported as
 * missing by the loader later, so its lexical path is judged).
 * @example realPath("/work/notebooks/data/orders.csv") // "/work/notebooks/data/orders.csv"
 */
export function realPath(file: string): string {
  const resolved = path.resolve(file);
  try {
    return realpathSync(resolved);
  } catch {
    const parent = path.dirname(resolved);
    return parent === resolved ? resolved : path.join(realPath(parent), path.basename(resolved));
  }
}

/** Whether `file` is `dir` or below it (both real paths). */
function isInside(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

/**
 * Throws when data source `name`'s path `given` (from the front matter, resolved to `resolved`) lies
 * outside the notebook's `folder` and every `allowRead` folder, naming the path and the flags that
 * allow it.
 * @example
 * checkDataPath("orders", "data/orders.csv", "/nb/data/orders.csv", "/nb", []) // ok
 * checkDataPath("secrets", "/etc/passwd", "/etc/passwd", "/nb", []) // throws: data "secrets": /etc/passwd is outside …
 */
export function checkDataPath(
  name: string,
  given: string,
  resolved: string,
  folder: string,
  allowRead: readonly string[],
): void {
  const real = realPath(resolved);
  if (isInside(real, realPath(folder))) return;
  if (allowRead.some((dir) => isInside(real, realPath(dir)))) return;
  const shown = real === resolved ? given : `${given} (a link to ${real})`;
  const dir = path.relative(process.cwd(), path.dirname(real)) || ".";
  throw new Error(
    `data "${name}": ${shown} is outside the notebook's folder, and a notebook may only name data in its own folder; ` +
      `to let this run read it, pass --allow-read ${dir} or --data ${name}=PATH (or --allow-host-access for a trusted notebook)`,
  );
}
