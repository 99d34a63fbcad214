/**
 * Closes the classic way out of a `node:vm` context. Every object the runtime hands a cell (`db`,
 * `seg`, a row array, a thrown error) comes from this, the host realm; its prototype chain ends at the
 * host's `Function`, and `db.constructor.constructor("return process")()` compiles code in the host
 * realm, where `process`, `import()` and `fetch` are. Replacing the `constructor` of the four function
 * prototypes (plain, async, generator, async generator) with a function that only throws leaves no
 * property path from a host object to a host code compiler. Library code that calls `Function(...)` by
 * its global name (Arquero compiles expressions so) is untouched: cells never see the host's global.
 *
 * The change is for the whole process and cannot be undone, which is why `segbook run` makes it only
 * when cells run sandboxed (not under --allow-host-access).
 */

/** The message of the sealed constructors: the escape attempt fails naming the way out. */
export const SEALED_MESSAGE =
  "segbook run: cells cannot compile code in the host (Function constructor of a host object); cells run without host access; pass --allow-host-access for a trusted notebook";

let sealed = false;

/**
 * Replaces `Function.prototype.constructor` and its async/generator twins of this realm with throwing
 * functions of the same name (so `fn.constructor.name` checks still read "AsyncFunction"). Idempotent.
 * @example
 * sealFunctionConstructors();
 * (() => {}).constructor("return process") // throws EvalError(SEALED_MESSAGE)
 */
export function sealFunctionConstructors(): void {
  if (sealed) return;
  sealed = true;
  const prototypes = [
    Function.prototype,
    Object.getPrototypeOf(async () => {}) as object,
    Object.getPrototypeOf(function* () {}) as object,
    Object.getPrototypeOf(async function* () {}) as object,
  ];
  for (const prototype of prototypes) {
    const original = (prototype as { constructor: { name: string } }).constructor;
    const blocked = function () {
      throw new EvalError(SEALED_MESSAGE);
    };
    Object.defineProperty(blocked, "name", { value: original.name });
    // Its own prototype chain is this realm's Function.prototype, whose constructor is now `blocked`.
    Object.defineProperty(prototype, "constructor", {
      value: blocked,
      writable: false,
      configurable: false,
      enumerable: false,
    });
  }
}
