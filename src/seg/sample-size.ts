/**
 * seg.sampleSize: customers needed per arm of an A/B test, the power calculation behind
 * seg.abtest's `power` option. The one `seg` function without a table; async like every other, so
 * `await` reads the same everywhere and a forgotten one is caught by the editor's types.
 */
import { sampleSize as perArm, type SampleSizeOptions } from "./stats.ts";

export type { SampleSizeOptions };

/**
 * Minimum customers per arm for a two-sided test at `alpha` (default 0.05) with `power` (default
 * 0.8): binary outcomes (conversion rates, `baseline` the control's rate) by the normal
 * approximation, numeric ones (`kind: "numeric"`, with the outcome's `sd`) likewise. Rounded up.
 * @example
 * const perArmFor2pt = await seg.sampleSize({ baseline: 0.1, mde: 0.02 }); // 3841
 * const perArmFor10 = await seg.sampleSize({ baseline: 50, mde: 10, kind: "numeric", sd: 40 }); // 252
 */
export async function sampleSize(options: SampleSizeOptions): Promise<number> {
  return perArm(options);
}
