/**
 * seg 1.0 renamed a few options to one vocabulary (`customer` → `id`, `dateColumn` → `date`,
 * `revenue` → `amount`). A call still using an old name fails with the new one, instead of the old
 * option being silently ignored.
 */

/**
 * Fails when `options` uses a renamed option, naming its new name.
 * @example rejectRenamed(options, { customer: "id" }, "rfm");
 */
export function rejectRenamed(options: unknown, renamed: Readonly<Record<string, string>>, fn: string): void {
  if (typeof options !== "object" || options === null) return;
  for (const [old, now] of Object.entries(renamed)) {
    if (old in options)
      throw new Error(`seg.${fn}: the option "${old}" is now "${now}"; pass {${now}: …} (seg 1.0 vocabulary)`);
  }
}
