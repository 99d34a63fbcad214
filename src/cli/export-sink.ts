/**
 * The CLI's export sink: `seg.export` files land in one directory (e.g. `segbook run --out <dir>`).
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ExportSink } from "../seg/export.ts";

/**
 * A sink writing each file into `dir` (created when missing), replacing a file of the same name.
 * Names with path separators or `..` are refused here too, so a sink can never write outside `dir`.
 * @example
 * const sink = nodeDirectorySink("out"); await sink.write("a.csv", bytes, "text/csv") // -> "/abs/out/a.csv"
 */
export function nodeDirectorySink(dir: string): ExportSink {
  const root = path.resolve(dir);
  return {
    async write(fileName, bytes) {
      const target = path.resolve(root, fileName);
      if (path.dirname(target) !== root || fileName.includes("..")) {
        throw new Error(`export: refusing to write "${fileName}" outside ${root}; pass a plain file name`);
      }
      await mkdir(root, { recursive: true });
      await writeFile(target, bytes);
      return target;
    },
  };
}
