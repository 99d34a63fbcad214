/**
 * Writes into `segbook run --out DIR` that stay in DIR. A file name with a separator or `..` is
 * refused, and the file is opened without following a symlink (`O_NOFOLLOW`) and refused when it is
 * a hard link to another file, so a link planted in DIR (by a previous run, a checkout, another user)
 * cannot make the run overwrite `~/.bashrc` or anything else outside it.
 */
import { constants } from "node:fs";
import { lstat, mkdir, open, readlink } from "node:fs/promises";
import path from "node:path";

/**
 * Writes `data` to `dir/name` (creating `dir`), never through a link; returns the file's path.
 * @example await writeInside("report", "report.json", "{}") // "/abs/report/report.json"
 */
export async function writeInside(dir: string, name: string, data: string | Uint8Array): Promise<string> {
  const root = path.resolve(dir);
  const target = path.resolve(root, name);
  if (path.dirname(target) !== root || name.includes("..") || name.includes("\0")) {
    throw new Error(`--out: refusing to write "${name}" outside ${root}; pass a plain file name`);
  }
  await mkdir(root, { recursive: true });
  let handle;
  try {
    // No O_TRUNC yet: a hard link must be found before anything it points to is changed.
    handle = await open(target, constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW, 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ELOOP") throw new Error(await linkMessage(target), { cause: error });
    throw error;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile() || stat.nlink > 1) {
      throw new Error(
        `--out: refusing to write ${target}: it is ${stat.isFile() ? "a hard link to another file" : "not a regular file"}; --out never writes through links out of its folder (remove it or choose another --out)`,
      );
    }
    await handle.truncate(0);
    await handle.writeFile(data);
  } finally {
    await handle.close();
  }
  return target;
}

async function linkMessage(target: string): Promise<string> {
  const to = (await lstat(target)).isSymbolicLink() ? ` (to ${await readlink(target)})` : "";
  return `--out: refusing to write ${target}: it is a symbolic link${to}; --out never follows links out of its folder (remove it or choose another --out)`;
}
