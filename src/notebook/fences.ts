/**
 * CommonMark-style fence lines. Only top-level fences are recognised (no fences inside lists or
 * block quotes): a fence line starts with at most 3 spaces, then 3 or more backticks or tildes.
 */

/** An opening fence line, split into its parts. */
export interface OpeningFence {
  /** Spaces before the fence (0-3); CommonMark strips up to this many from each code line. */
  indent: number;
  /** The fence itself, e.g. "```" or "~~~~". */
  fence: string;
  /** The info string, trimmed (may be ""). */
  info: string;
}

const OPENING = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const CLOSING = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;
const VALID_FENCE = /^(`{3,}|~{3,})$/;

/** Reads `line` as an opening fence, or returns null when it is not one. */
export function readOpeningFence(line: string): OpeningFence | null {
  const m = OPENING.exec(line);
  if (!m) return null;
  const indent = m[1] ?? "";
  const fence = m[2] ?? "";
  const rest = m[3] ?? "";
  // CommonMark: a backtick fence's info string may not contain backticks (it would be inline code).
  if (fence.startsWith("`") && rest.includes("`")) return null;
  return { indent: indent.length, fence, info: rest.trim() };
}

/** Whether `line` closes a block opened with `fence`: same character, at least as long, nothing after. */
export function closesFence(line: string, fence: string): boolean {
  const m = CLOSING.exec(line);
  const found = m?.[1];
  return found !== undefined && found[0] === fence[0] && found.length >= fence.length;
}

/** Removes up to `indent` leading spaces, as CommonMark does for the lines of an indented fence. */
export function stripIndent(line: string, indent: number): string {
  let i = 0;
  while (i < indent && line[i] === " ") i++;
  return line.slice(i);
}

/** Whether `fence` can enclose `source` with `info` after it, so reading it back gives the same cell. */
export function fenceFits(fence: string, source: string, info: string): boolean {
  if (!VALID_FENCE.test(fence)) return false;
  if (fence.startsWith("`") && info.includes("`")) return false;
  return !source.split("\n").some((line) => closesFence(line, fence));
}

/**
 * The fence serialize writes for a cell with no usable fence of its own: backticks, one longer than
 * the longest backtick run starting a source line (min 3). Tildes only when the info string holds a
 * backtick, since a backtick fence cannot carry one.
 */
export function defaultFence(source: string, info: string): string {
  const char = info.includes("`") ? "~" : "`";
  const run = new RegExp(`^ {0,3}(\\${char}+)`);
  let longest = 0;
  for (const line of source.split("\n")) {
    const m = run.exec(line);
    if (m?.[1] && m[1].length > longest) longest = m[1].length;
  }
  return char.repeat(Math.max(3, longest + 1));
}

/** The fence serialize uses: the cell's own when it still fits, else {@link defaultFence}. */
export function chooseFence(own: string | undefined, source: string, info: string): string {
  return own !== undefined && fenceFits(own, source, info) ? own : defaultFence(source, info);
}
