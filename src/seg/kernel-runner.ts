/**
 * Where numeric kernels run is a seam, like where cells run: in Node (tests, `segbook run`) they run
 * in-process; in the browser the UI supplies a runner backed by a pool of Web Workers so heavy work
 * (k-means restarts, silhouettes) never freezes the page. Kernels are pure functions of plain data and
 * typed arrays, looked up by name in the registry, so both runners call the very same code.
 */
import { kernels, type KernelName } from "./kernel-registry.ts";

/** Arguments and result of kernel `N`. */
export type KernelArgs<N extends KernelName> = Parameters<(typeof kernels)[N]>;
/** What kernel `N` returns. */
export type KernelResult<N extends KernelName> = ReturnType<(typeof kernels)[N]>;

/** Runs kernels by name. Arguments are copied (never transferred), so callers may reuse them; kernels do not modify their inputs. */
export interface KernelRunner {
  run<N extends KernelName>(name: N, ...args: KernelArgs<N>): Promise<KernelResult<N>>;
  /** How many kernels can run at once (workers in the pool); absent means one at a time. */
  readonly parallelism?: number;
}

/** Runs kernels in the current thread (Node, tests). */
export const inProcessKernels: KernelRunner = {
  async run(name, ...args) {
    const kernel = kernels[name] as (...a: unknown[]) => unknown;
    return kernel(...args) as never;
  },
};

/** Runs a kernel message as a worker receives it; shared by every worker implementation. */
export function runKernelMessage(name: string, args: unknown[]): unknown {
  const kernel = (kernels as Record<string, ((...a: unknown[]) => unknown) | undefined>)[name];
  if (!kernel) throw new Error(`unknown kernel "${name}"; known kernels: ${Object.keys(kernels).join(", ")}`);
  return kernel(...args);
}

/** Typed-array buffers among a value's parts, to transfer instead of copy. */
export function transferables(value: unknown, into: Transferable[] = [], depth = 0): Transferable[] {
  if (ArrayBuffer.isView(value)) {
    const buffer = value.buffer;
    if (buffer instanceof ArrayBuffer && !into.includes(buffer)) into.push(buffer);
  } else if (depth < 3 && Array.isArray(value)) {
    for (const v of value) transferables(v, into, depth + 1);
  } else if (depth < 3 && value && typeof value === "object") {
    for (const v of Object.values(value)) transferables(v, into, depth + 1);
  }
  return into;
}
