/**
 * Test statistics on group summaries (no database, no DOM): Welch's t-test, the two-proportion
 * z-test, Holm's step-down adjustment and per-arm sample sizes. Callers aggregate in DuckDB and hand
 * over {n, mean, variance} or {n, successes}; everything here is plain arithmetic plus stdlib's
 * distribution functions, so it runs the same in the browser, in a worker and in Node.
 */
import tCdf from "@stdlib/stats-base-dists-t-cdf";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";

/** A numeric group as SQL aggregates it: count, mean and the sample variance (n - 1 denominator). */
export interface Summary {
  n: number;
  mean: number;
  /** Sample variance (`var_samp`, denominator n - 1). */
  variance: number;
}

/** A binary group: count and number of successes. */
export interface ProportionSummary {
  n: number;
  successes: number;
}

/** Which alternative the p-value is for; "greater" means b > a. */
export type Alternative = "two-sided" | "greater" | "less";

/** The outcome of a two-group test of b against a (difference = b - a). */
export interface TestResult {
  /** b's estimate minus a's (mean difference or proportion difference). */
  difference: number;
  /** Standard error used by the test statistic. */
  se: number;
  /** t (Welch) or z (two-proportion) statistic. */
  statistic: number;
  /** Degrees of freedom (Welch–Satterthwaite); Infinity for the z-test. */
  df: number;
  pValue: number;
  /** (1 - alpha) confidence interval of the difference. */
  ciLow: number;
  ciHigh: number;
}

/** Options shared by the tests. */
export interface TestOptions {
  /** Significance level for the confidence interval (default 0.05 -> 95% CI). */
  alpha?: number;
  alternative?: Alternative;
}

function pFrom(cdf: (x: number) => number, statistic: number, alternative: Alternative): number {
  if (Number.isNaN(statistic)) return NaN;
  if (alternative === "greater") return 1 - cdf(statistic);
  if (alternative === "less") return cdf(statistic);
  // Two-sided from the lower tail of -|t| keeps precision for tiny p-values (1 - cdf would round to 0).
  return Math.min(1, 2 * cdf(-Math.abs(statistic)));
}

function checkAlpha(alpha: number, fn: string): void {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`${fn}: alpha must be in (0, 1), got ${alpha}`);
}

/**
 * Welch's unequal-variance t-test of b against a, as scipy's `ttest_ind(b, a, equal_var=False)`:
 * Welch–Satterthwaite degrees of freedom, t CDF for the p-value and the t quantile for the CI.
 * @example
 * const r = welchTTest({ n: 40, mean: 10, variance: 4 }, { n: 35, mean: 11, variance: 6 });
 * r.pValue; // two-sided p for mean(b) - mean(a) = 1
 */
export function welchTTest(a: Summary, b: Summary, options: TestOptions = {}): TestResult {
  const { alpha = 0.05, alternative = "two-sided" } = options;
  checkAlpha(alpha, "welchTTest");
  if (a.n < 2 || b.n < 2) throw new RangeError(`welchTTest: each group needs n >= 2 (got ${a.n} and ${b.n})`);
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  const se = Math.sqrt(va + vb);
  const difference = b.mean - a.mean;
  const df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
  const statistic = difference / se;
  const pValue = pFrom((x) => tCdf(x, df), statistic, alternative);
  const half = tQuantile(1 - alpha / 2, df) * se;
  return { difference, se, statistic, df, pValue, ciLow: difference - half, ciHigh: difference + half };
}

/**
 * Two-proportion z-test of b against a: the pooled standard error for the statistic (the usual
 * test under H0: pa = pb), the unpooled (Wald) standard error for the CI of pb - pa.
 * `se` in the result is the pooled one.
 * @example
 * const r = twoProportionZTest({ n: 1000, successes: 100 }, { n: 1000, successes: 130 });
 * [r.difference, r.pValue, r.ciLow, r.ciHigh];
 */
export function twoProportionZTest(a: ProportionSummary, b: ProportionSummary, options: TestOptions = {}): TestResult {
  const { alpha = 0.05, alternative = "two-sided" } = options;
  checkAlpha(alpha, "twoProportionZTest");
  if (a.n < 1 || b.n < 1) throw new RangeError(`twoProportionZTest: each group needs n >= 1 (got ${a.n} and ${b.n})`);
  const pa = a.successes / a.n;
  const pb = b.successes / b.n;
  const pooled = (a.successes + b.successes) / (a.n + b.n);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.n + 1 / b.n));
  const difference = pb - pa;
  // With no variation at all (pooled 0 or 1) there is no evidence of a difference: z = 0, p = 1.
  const statistic = se === 0 ? 0 : difference / se;
  const pValue = pFrom((x) => normalCdf(x, 0, 1), statistic, alternative);
  const seCi = Math.sqrt((pa * (1 - pa)) / a.n + (pb * (1 - pb)) / b.n);
  const half = normalQuantile(1 - alpha / 2, 0, 1) * seCi;
  return { difference, se, statistic, df: Infinity, pValue, ciLow: difference - half, ciHigh: difference + half };
}

/**
 * Holm's step-down adjusted p-values (statsmodels' `multipletests(method="holm")`), in input order.
 * NaN p-values are passed through and do not count towards the number of tests.
 * @example
 * holmAdjust([0.01, 0.04, 0.03]); // [0.03, 0.06, 0.06]
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const order = pValues
    .map((p, i) => ({ p, i }))
    .filter(({ p }) => !Number.isNaN(p))
    .sort((x, y) => x.p - y.p || x.i - y.i);
  const m = order.length;
  const adjusted = pValues.map(() => NaN);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}

/** Inputs for {@link sampleSize}. */
export interface SampleSizeOptions {
  /** Control conversion rate (binary) or control mean (numeric; only the difference matters). */
  baseline: number;
  /** Minimum detectable effect, absolute: pb - pa for binary, mean difference for numeric. */
  mde: number;
  alpha?: number;
  power?: number;
  kind?: "binary" | "numeric";
  /** Standard deviation of the outcome (numeric only; required there). */
  sd?: number;
}

/**
 * Minimum sample size per arm for a two-sided test at `alpha` with `power` (normal approximation).
 * Binary: n = (z_{1-α/2}·sqrt(2·p̄(1-p̄)) + z_{power}·sqrt(p1(1-p1) + p2(1-p2)))² / mde², p̄ the mean
 * of p1 = baseline and p2 = baseline + mde. Numeric: n = 2·sd²·(z_{1-α/2} + z_{power})² / mde².
 * Rounded up.
 * Synchronous, for seg.abtest's power read-out; cells call the async `seg.sampleSize` (sample-size.ts).
 * @example
 * sampleSize({ baseline: 0.1, mde: 0.02, alpha: 0.05, power: 0.8, kind: "binary" }); // 3841
 */
export function sampleSize(options: SampleSizeOptions): number {
  const { baseline, mde, alpha = 0.05, power = 0.8, kind = "binary", sd } = options;
  checkAlpha(alpha, "seg.sampleSize");
  if (!(power > 0 && power < 1)) throw new RangeError(`seg.sampleSize: power must be in (0, 1), got ${power}`);
  if (!(Number.isFinite(mde) && mde !== 0)) throw new RangeError(`seg.sampleSize: mde must be a non-zero number`);
  const zA = normalQuantile(1 - alpha / 2, 0, 1);
  const zB = normalQuantile(power, 0, 1);
  if (kind === "numeric") {
    if (!(sd !== undefined && sd > 0)) throw new RangeError(`seg.sampleSize: kind "numeric" needs sd > 0`);
    return Math.ceil((2 * sd * sd * (zA + zB) ** 2) / (mde * mde) - 1e-9);
  }
  const p1 = baseline;
  const p2 = baseline + mde;
  if (!(p1 > 0 && p1 < 1 && p2 > 0 && p2 < 1)) {
    throw new RangeError(`seg.sampleSize: baseline and baseline + mde must be in (0, 1), got ${p1} and ${p2}`);
  }
  const pBar = (p1 + p2) / 2;
  const n = (zA * Math.sqrt(2 * pBar * (1 - pBar)) + zB * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / mde ** 2;
  // The epsilon keeps an exact integer from rounding up because of the last bit of floating point.
  return Math.ceil(n - 1e-9);
}
