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

/**
 * Runs kernels by name. Arguments are copied, so callers may reuse them (kernels do not modify their
 * inputs), except typed arrays the caller gave up with {@link handOver}, which a worker runner moves
 * instead of copying.
 */
export interface KernelRunner {
  run<N extends KernelName>(name: N, ...args: KernelArgs<N>): Promise<KernelResult<N>>;
  /** How many kernels can run at once (workers in the pool); absent means one at a time. */
  readonly parallelism?: number;
}

const handedOver = new WeakSet<ArrayBufferLike>();

/**
 * Gives up typed arrays passed to a kernel: a worker runner transfers their buffers instead of
 * copying them (a 64 MB copy holds the page for a tenth of a second), so the caller must not read
 * them after the call. Only for arrays that own their whole buffer; in-process runners ignore it.
 * Returns the array, for use inline.
 */
export function handOver<T extends ArrayBufferView>(array: T): T {
  if (array.byteOffset !== 0 || array.byteLength !== array.buffer.byteLength) {
    throw new Error("handOver: the array must own its whole buffer (copy it with slice() first)");
  }
  handedOver.add(array.buffer);
  return array;
}

/** The buffers among `args` given up with {@link handOver}: the transfer list of a worker message. */
export function handedOverBuffers(args: unknown[]): Transferable[] {
  const found: Transferable[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (ArrayBuffer.isView(value)) {
      const buffer = value.buffer;
      if (handedOver.has(buffer) && buffer instanceof ArrayBuffer && !found.includes(buffer)) found.push(buffer);
    } else if (depth < 6 && Array.isArray(value)) {
      // Long arrays are data (e.g. a text column), not lists of arguments: nothing to transfer there.
      if (value.length <= 1000) for (const v of value) visit(v, depth + 1);
    } else if (depth < 6 && value && typeof value === "object") {
      for (const v of Object.values(value)) visit(v, depth + 1);
    }
  };
  visit(args, 0);
  return found;
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
