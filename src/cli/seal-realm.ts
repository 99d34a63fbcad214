/**
 * Makes the host realm safe to hand objects to sandboxed cell code (cell-sandbox.ts). Every object
 * the runtime gives a cell (`db`, `seg`, a row array, a thrown error) comes from this realm, and a
 * `node:vm` context is no boundary while those objects lead back into it:
 *
 * - Their prototype chains end at the host's `Function`: `db.constructor.constructor("return process")()`
 *   would compile code in the host realm, where `process`, `import()` and `fetch` are. The
 *   `constructor` of the four function prototypes (plain, async, generator, async generator) becomes
 *   a function that only throws.
 * - A cell could change the host's shared objects: put a getter named `Bun` on `Object.prototype` (the
 *   host global's chain ends there, so a library's `typeof Bun` would hand the cell the host's
 *   `globalThis`), or wrap `Array.prototype.map`, an iterator's `next`, `Object.keys` or
 *   `WeakSet.prototype.has` and see (or forge) what host code passes through them. So the
 *   language's own constructors, prototypes and namespaces are frozen, as SES's `lockdown()` and
 *   Node's `--frozen-intrinsics` do. Assigning `toString`, `constructor`, `name`, … on an instance
 *   still works (those few inherited properties become accessors that define the own property; a
 *   plain freeze would make `err.name = "X"` throw: the "override mistake").
 * - `Error.prepareStackTrace` would receive the call sites of host errors: it keeps the value it had
 *   and can no longer be set.
 *
 * Library code that calls `Function(...)` by its global name (Arquero compiles expressions so) is
 * untouched: cells never see the host's global. The change is for the whole process and cannot be
 * undone, which is why `segbook run` makes it only when cells run sandboxed (not under
 * --allow-host-access).
 */

/** The message of the sealed constructors: the escape attempt fails naming the way out. */
export const SEALED_MESSAGE =
  "segbook run: cells cannot compile code in the host (Function constructor of a host object); cells run without host access; pass --allow-host-access for a trusted notebook";

/**
 * Inherited properties code commonly assigns on instances (see "override mistake" above). Not
 * `constructor`, except on Object.prototype (`Foo.prototype = {…}; Foo.prototype.constructor = Foo`)
 * and the Error prototypes (see ERROR_PROTOTYPES):
 * redefining `constructor` on Array, typed array or Promise prototypes turns off V8's species fast
 * paths, and `array.map` ran 20 times slower; a plain freeze keeps them.
 */
const ASSIGNABLE = ["toString", "toLocaleString", "valueOf", "name", "message", "toJSON"];

const FUNCTION_PROTOTYPES = [
  Function.prototype,
  Object.getPrototypeOf(async () => {}) as object,
  Object.getPrototypeOf(function* () {}) as object,
  Object.getPrototypeOf(async function* () {}) as object,
];

/**
 * `Sub.prototype = Object.create(Error.prototype); Sub.prototype.constructor = Sub` is how Emscripten
 * (DuckDB-wasm's glue, at every engine start) and older libraries subclass errors.
 */
const ERROR_PROTOTYPES = new Set<object>(
  [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError, AggregateError].map(
    (E) => E.prototype,
  ),
);

/** The language's own objects (not Node's or the page's), from which the freeze walks. */
function intrinsicRoots(): unknown[] {
  const iteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));
  const generator = Object.getPrototypeOf(function* () {});
  const asyncGenerator = Object.getPrototypeOf(async function* () {});
  return [
    Object,
    Function,
    Array,
    Number,
    Boolean,
    String,
    Symbol,
    BigInt,
    Date,
    RegExp,
    Promise,
    Map,
    Set,
    WeakMap,
    WeakSet,
    WeakRef,
    FinalizationRegistry,
    ArrayBuffer,
    SharedArrayBuffer,
    DataView,
    Object.getPrototypeOf(Uint8Array),
    Int8Array,
    Uint8Array,
    Uint8ClampedArray,
    Int16Array,
    Uint16Array,
    Int32Array,
    Uint32Array,
    Float32Array,
    Float64Array,
    BigInt64Array,
    BigUint64Array,
    Proxy,
    Reflect,
    JSON,
    Atomics,
    Intl,
    iteratorPrototype,
    Object.getPrototypeOf([][Symbol.iterator]()),
    Object.getPrototypeOf(new Map()[Symbol.iterator]()),
    Object.getPrototypeOf(new Set()[Symbol.iterator]()),
    Object.getPrototypeOf(""[Symbol.iterator]()),
    Object.getPrototypeOf(/x/[Symbol.matchAll]("")),
    ...FUNCTION_PROTOTYPES,
    generator,
    asyncGenerator,
    Object.getPrototypeOf(asyncGenerator.prototype),
    // Error constructors keep their statics writable (libraries set Error.stackTraceLimit): their
    // prototypes are frozen.
    ...ERROR_PROTOTYPES,
  ];
}

/** Turns a writable inherited data property into an accessor that lets instances assign their own. */
function keepAssignable(target: object, key: string): void {
  const descriptor = Object.getOwnPropertyDescriptor(target, key);
  if (!descriptor || !("value" in descriptor) || !descriptor.writable || !descriptor.configurable) return;
  const value: unknown = descriptor.value;
  Object.defineProperty(target, key, {
    get: () => value,
    set(this: object, next: unknown) {
      if (this === target) throw new TypeError(`Cannot assign to read only property '${key}' of a frozen intrinsic`);
      Object.defineProperty(this, key, { value: next, writable: true, enumerable: true, configurable: true });
    },
    enumerable: descriptor.enumerable ?? false,
    configurable: false,
  });
}

/**
 * Freezes `roots` and everything reachable from them through own properties and prototypes.
 * `Math` is frozen itself but not its functions: DuckDB-wasm's Emscripten glue writes a `sig` on
 * `Math.cbrt` and friends each time an engine starts, and a function that takes and returns numbers
 * hands a cell nothing of the host's.
 */
function harden(roots: unknown[]): void {
  Object.freeze(Math);
  const seen = new Set<unknown>(Object.values(Object.getOwnPropertyDescriptors(Math)).map((d) => d.value));
  const stack = [...roots];
  while (stack.length) {
    const value = stack.pop();
    if ((typeof value !== "object" && typeof value !== "function") || value === null || seen.has(value)) continue;
    seen.add(value);
    const target = value as object;
    for (const key of ASSIGNABLE) if (Object.hasOwn(target, key)) keepAssignable(target, key);
    if (target === Object.prototype || ERROR_PROTOTYPES.has(target)) keepAssignable(target, "constructor");
    Object.freeze(target);
    stack.push(Object.getPrototypeOf(target));
    for (const key of Reflect.ownKeys(target)) {
      const descriptor = Object.getOwnPropertyDescriptor(target, key)!;
      stack.push(descriptor.value, descriptor.get, descriptor.set);
    }
  }
}

let sealed = false;

/**
 * Seals this realm for sandboxed cells (see the file's comment): host function constructors throw,
 * the language's intrinsics are frozen, `Error.prepareStackTrace` is fixed. Idempotent.
 * @example
 * sealFunctionConstructors();
 * (() => {}).constructor("return process") // throws EvalError(SEALED_MESSAGE)
 * Object.prototype.x = 1 // throws TypeError in strict code (frozen)
 */
export function sealFunctionConstructors(): void {
  if (sealed) return;
  sealed = true;
  for (const prototype of FUNCTION_PROTOTYPES) {
    const original = (prototype as { constructor: { name: string } }).constructor;
    const blocked = function () {
      throw new EvalError(SEALED_MESSAGE);
    };
    Object.defineProperty(blocked, "name", { value: original.name });
    Object.defineProperty(prototype, "constructor", { value: blocked, writable: false, configurable: false });
  }
  const prepare = (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
  Object.defineProperty(Error, "prepareStackTrace", { value: prepare, writable: false, configurable: false });
  for (const name of ["captureStackTrace"] as const) {
    Object.defineProperty(Error, name, { value: Error[name], writable: false, configurable: false });
  }
  harden(intrinsicRoots());
}
