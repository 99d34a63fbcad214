/**
 * Which files a notebook may name as data in `segbook run`. A shared notebook is someone else's code:
 * its front matter must not make the run read `/etc/passwd`, `../../secrets.csv` or `~/.aws/credentials`
 * (the file's rows would reach its cells, and through them the report and exports). So a front matter
 * path must lie inside the notebook's own folder, judged after symlinks are resolved (a `data` link
 * committed beside the notebook and pointing at `/` reads nothing); anything else needs the person
 * running it to say so: `--data NAME=PATH` (which replaces the source) or `--allow-read DIR`.
 *
 * One exception, so that a notebook on a shared dataset beside the repository (online-retail.md's
 * `../../shared/datasets/…`) runs with no flags: a path outside whose front matter pins its `sha256`
 * is read when the file's bytes hash to it, checked here before any byte is parsed or reaches DuckDB
 * or a cell. Such a notebook can only load bytes its author already has, so it learns nothing from
 * the machine it runs on; the data source's notes say where it was read from.
 */
import { createReadStream, realpathSync } from "node:fs";
import { createHash } from "node:crypto";
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

/** sha256 of the file at `file`, streamed. */
async function fileSha256(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * Checks that data source `name`'s front matter path `given` (resolved to `resolved`) may be read:
 * inside the notebook's `folder` or an `allowRead` folder, or outside with a front matter `sha256`
 * the file matches. Returns the notes to show under the data source; throws naming the path and the
 * flags that allow it.
 * @example
 * await checkDataPath("orders", "data/orders.csv", "/nb/data/orders.csv", "/nb", []) // []
 * await checkDataPath("secrets", "/etc/passwd", "/etc/passwd", "/nb", []) // throws: data "secrets": /etc/passwd is outside …
 */
export async function checkDataPath(
  name: string,
  given: string,
  resolved: string,
  folder: string,
  allowRead: readonly string[],
  sha256?: string,
): Promise<string[]> {
  const real = realPath(resolved);
  if (isInside(real, realPath(folder))) return [];
  if (allowRead.some((dir) => isInside(real, realPath(dir)))) return [];
  const shown = real === resolved ? given : `${given} (a link to ${real})`;
  const relative = path.relative(process.cwd(), path.dirname(real)) || ".";
  const dir = relative.startsWith("..") ? path.dirname(real) : relative;
  const flags = `pass --allow-read ${dir} or --data ${name}=PATH (or --allow-host-access for a trusted notebook)`;
  if (sha256) {
    let actual: string;
    try {
      actual = await fileSha256(real);
    } catch {
      // Missing or unreadable: the loader says which, as for any data file.
      return [];
    }
    if (actual === sha256.toLowerCase()) {
      return [`read from outside the notebook's folder (${given}): its bytes match the front matter's sha256`];
    }
    throw new Error(
      `data "${name}": ${shown} is outside the notebook's folder and its sha256 is not the one the front matter pins, so it is not read; to let this run read it, ${flags}`,
    );
  }
  throw new Error(
    `data "${name}": ${shown} is outside the notebook's folder, and a notebook may only name data in its own folder (or pin its sha256); to let this run read it, ${flags}`,
  );
}
