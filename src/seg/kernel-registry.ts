/**
 * Every numeric kernel by name. Imported by the in-process runner and by the Web Worker, so it may
 * import only kernel files (pure functions over typed arrays, no engine, no DOM).
 */

/** The kernels. */
export const kernels = {
  /** A trivial kernel that sums a Float64Array: the runners' own tests use it. */
  sum: (values: Float64Array): number => {
    let total = 0;
    for (let i = 0; i < values.length; ++i) total += values[i]!;
    return total;
  },
};

/** Names of the kernels. */
export type KernelName = keyof typeof kernels;
