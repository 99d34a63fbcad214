/**
 * "Did you mean …?" for names: the candidate closest to a misspelt one, so an error can suggest the
 * fix (`unknown column "CustomerID"; did you mean "customer_id"?`).
 */

/** Lowercase without `_`, `-`, spaces: `Customer_ID`, `customerId` and `customer id` compare equal. */
const normalize = (name: string) => name.toLowerCase().replace(/[\s_-]+/g, "");

/** Levenshtein distance between two strings. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidate most like `name` (ignoring case, `_` and `-`), or undefined when none is close: at
 * most a third of the name's letters differ.
 * @example closestName("CustomerID", ["customer_id", "amount"]) // => "customer_id"
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  const wanted = normalize(name);
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const have = normalize(candidate);
    const distance = have === wanted ? 0 : editDistance(wanted, have);
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  if (!best || best.distance > Math.max(1, Math.floor(wanted.length / 3))) return undefined;
  return best.candidate;
}
