/**
 * The closest of some names to a misspelt one, for "no column "amout"; did you mean "amount"?"
 * messages. Pure.
 */

/** Edit distance (insertions, deletions, substitutions) between two strings. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidate nearest to `name` (case-insensitively, ties to the earlier candidate), or undefined
 * when there are no candidates.
 * @example
 * closestName("Amout", ["customer_id", "amount"]); // "amount"
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const wanted = name.toLowerCase();
  for (const candidate of candidates) {
    const distance = editDistance(wanted, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * The message for column names a file lacks: each one with the file's closest column, then all of
 * the file's columns.
 * @example
 * unknownColumnsMessage(["amout"], ["customer_id", "amount"]);
 * // 'the file has no column "amout" (did you mean "amount"?); its columns are customer_id, amount'
 */
export function unknownColumnsMessage(missing: readonly string[], have: readonly string[]): string {
  const named = missing.map((column) => {
    const near = closestName(column, have);
    return near === undefined ? `"${column}"` : `"${column}" (did you mean "${near}"?)`;
  });
  const list = have.length > 12 ? `${have.slice(0, 12).join(", ")}, … (${have.length} in all)` : have.join(", ");
  return `the file has no column ${named.join(", ")}; its columns are ${list}`;
}
