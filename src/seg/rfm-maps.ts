/**
 * Segment maps for RFM codes: the widely used 10-segment RF map and user maps (a function, or rules
 * by regex pattern or exact code). A map is resolved in TypeScript over every possible code into a
 * code -> segment lookup, so the SQL only does a lookup, and so overlaps, rules that never apply and
 * codes left without a segment can be reported before any data is touched.
 */

/** One rule of a map: a regex `pattern` (matched against the whole code) or an exact `code`. */
export type RfmMapRule = { pattern: string | RegExp; name: string } | { code: string; name: string };

/** A map function: gets the code (e.g. "45" for R=4, F=5) and returns a segment name, or null for none. */
export type RfmMapFunction = (code: string) => string | null | undefined;

/** What `map` accepts: "rf10", a function, or a list of rules (first matching rule wins). */
export type RfmMap = "rf10" | RfmMapFunction | readonly RfmMapRule[];

/**
 * The 10-segment RF map of the popular Kaggle/blog RFM notebooks, keys are R then F score. The ten
 * patterns partition the 25 RF codes, so every customer gets exactly one segment.
 */
export const RF10_RULES: readonly RfmMapRule[] = [
  { pattern: "[1-2][1-2]", name: "hibernating" },
  { pattern: "[1-2][3-4]", name: "at_risk" },
  { pattern: "[1-2]5", name: "cant_lose" },
  { pattern: "3[1-2]", name: "about_to_sleep" },
  { pattern: "33", name: "need_attention" },
  { pattern: "[3-4][4-5]", name: "loyal_customers" },
  { pattern: "41", name: "promising" },
  { pattern: "51", name: "new_customers" },
  { pattern: "[4-5][2-3]", name: "potential_loyalists" },
  { pattern: "5[4-5]", name: "champions" },
];

/** A resolved map: segment per code (codes without one are absent) and what looked wrong. */
export interface ResolvedRfmMap {
  lookup: Map<string, string>;
  warnings: string[];
}

/** Every code of `digits` scores (2 for RF, 3 for RFM) with scores 1..bins, in ascending order. */
export function allCodes(bins: number, digits: number): string[] {
  let codes = [""];
  for (let d = 0; d < digits; d++) {
    codes = codes.flatMap((prefix) => Array.from({ length: bins }, (_, i) => `${prefix}${i + 1}`));
  }
  return codes;
}

function ruleLabel(rule: RfmMapRule, index: number): string {
  const what = "code" in rule ? `code "${rule.code}"` : `pattern ${String(rule.pattern)}`;
  return `rule ${index + 1} (${what} -> "${rule.name}")`;
}

function ruleMatcher(rule: RfmMapRule, index: number): (code: string) => boolean {
  if (!rule || typeof rule !== "object" || typeof rule.name !== "string" || rule.name === "") {
    throw new Error(`seg.rfm: map rule ${index + 1} needs a non-empty "name" and a "pattern" or "code"`);
  }
  if ("code" in rule) return (code) => code === String(rule.code);
  if (!("pattern" in rule)) {
    // Reachable from untyped cell code.
    const name = (rule as { name: string }).name;
    throw new Error(`seg.rfm: map rule ${index + 1} ("${name}") needs a "pattern" (regex) or a "code"`);
  }
  const source = rule.pattern instanceof RegExp ? rule.pattern.source : String(rule.pattern);
  let regex: RegExp;
  try {
    // Whole-code match: "[1-2]5" must not also match "153" when mapping RFM codes.
    regex = new RegExp(`^(?:${source})$`);
  } catch (error) {
    throw new Error(`seg.rfm: map rule ${index + 1} ("${rule.name}"): bad pattern: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return (code) => regex.test(code);
}

function describeCodes(codes: readonly string[]): string {
  return codes.length > 12 ? `${codes.slice(0, 12).join(", ")}, … (${codes.length} codes)` : codes.join(", ");
}

function resolveRules(rules: readonly RfmMapRule[], codes: readonly string[]): ResolvedRfmMap {
  const matchers = rules.map(ruleMatcher);
  const lookup = new Map<string, string>();
  const warnings: string[] = [];
  const winners = rules.map(() => 0);
  const matched = rules.map(() => 0);
  // "j,i" -> codes matched by rule i that earlier rule j already took.
  const overlaps = new Map<string, string[]>();
  for (const code of codes) {
    let winner = -1;
    matchers.forEach((matches, i) => {
      if (!matches(code)) return;
      matched[i]!++;
      if (winner < 0) {
        winner = i;
        winners[i]!++;
        lookup.set(code, rules[i]!.name);
      } else {
        const key = `${winner},${i}`;
        overlaps.set(key, [...(overlaps.get(key) ?? []), code]);
      }
    });
  }
  // Grouped by rule, in rule order. A catch-all rule (matching every code) overlaps earlier rules on
  // purpose, as the default segment, so its overlaps are not reported.
  rules.forEach((rule, i) => {
    if (matched[i] !== codes.length) {
      for (let j = 0; j < i; j++) {
        const overlapping = overlaps.get(`${j},${i}`);
        if (!overlapping) continue;
        warnings.push(
          `${ruleLabel(rule, i)} overlaps ${ruleLabel(rules[j]!, j)} on ${describeCodes(overlapping)}; the first rule wins`,
        );
      }
    }
    if (matched[i] === 0) warnings.push(`${ruleLabel(rule, i)} matches no possible code`);
    else if (winners[i] === 0) warnings.push(`${ruleLabel(rule, i)} never applies: earlier rules take all its codes`);
  });
  return { lookup, warnings };
}

function resolveFunction(fn: RfmMapFunction, codes: readonly string[]): ResolvedRfmMap {
  const lookup = new Map<string, string>();
  for (const code of codes) {
    let name: unknown;
    try {
      name = fn(code);
    } catch (error) {
      throw new Error(`seg.rfm: the map function failed for code "${code}": ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (name === null || name === undefined || name === "") continue;
    if (typeof name !== "string") {
      throw new Error(`seg.rfm: the map function returned ${typeof name} for code "${code}"; return a string or null`);
    }
    lookup.set(code, name);
  }
  return { lookup, warnings: [] };
}

/**
 * Resolves a map over every code of `digits` scores (1..bins each). Warns about overlapping rules,
 * rules that never apply, and codes left without a segment (those customers get a null segment).
 */
export function resolveRfmMap(map: RfmMap, bins: number, digits: 2 | 3): ResolvedRfmMap {
  const codes = allCodes(bins, digits);
  let resolved: ResolvedRfmMap;
  if (map === "rf10") {
    if (bins !== 5 || digits !== 2) {
      throw new Error(
        `seg.rfm: map "rf10" is defined on RF codes with 5 bins (got ${bins} bins, ${digits === 2 ? "RF" : "RFM"} codes); pass bins: 5, mapOn: "rf", or your own map`,
      );
    }
    resolved = resolveRules(RF10_RULES, codes);
  } else if (typeof map === "function") {
    resolved = resolveFunction(map, codes);
  } else if (Array.isArray(map)) {
    resolved = resolveRules(map, codes);
  } else {
    throw new Error(
      `seg.rfm: unknown map ${JSON.stringify(map)}; pass "rf10", a function (code) => name, or rules [{pattern|code, name}]`,
    );
  }
  const missing = codes.filter((code) => !resolved.lookup.has(code));
  if (missing.length) {
    resolved.warnings.push(`codes with no segment (their customers get a null segment): ${describeCodes(missing)}`);
  }
  return resolved;
}
