/**
 * Inputs bound to variables, with Observable's protocol: an input is anything with a `value` that
 * dispatches an "input" event when the value changes (every Observable Input, a plain `<input>`).
 *
 * `const k = view(Inputs.range([2, 12], {value: 5}))` shows the control in the cell and makes `k` the
 * control's current value. The compiler rewrites that declaration's callee to
 * `__segbook_view_as("k", view)` (see compile-code.ts), so the runtime knows exactly which output the
 * control feeds, without guessing from values. When the user moves the control, the new value is
 * published for `k` and only the cells that read `k` re-run; the defining cell does not, so the
 * control keeps its state. The value lives in the session only: it is never written to the notebook.
 */

/** The name compiled cells call to bind a declaration to `view`; a parameter of every code cell's body. */
export const VIEW_AS_NAME = "__segbook_view_as";

/** What `view` accepts: Observable's input protocol. */
export interface ViewInput {
  value?: unknown;
  addEventListener(type: "input", listener: () => void): void;
  removeEventListener(type: "input", listener: () => void): void;
}

/** What a run needs to provide `view`. */
export interface ViewOptions {
  /** Shows the control in the cell (the run's `display`). */
  display: (value: unknown) => unknown;
  /** Resolves when the run is superseded: listeners on its controls are removed then. */
  invalidation: Promise<void>;
  /** Whether the run is still the node's current run. */
  isCurrent: () => boolean;
  /** Publishes a new value of output `name` (see `Session.setInputValue`). */
  publish: (name: string, value: unknown) => void;
}

/** The per-run `view` builtin and the hidden binder the compiler calls. */
export interface ViewBuiltins {
  /** Displays `input` and returns its current value. */
  view: (input: ViewInput) => unknown;
  /** Returns `fn` bound to output `name` when `fn` is this run's `view`; any other function as it is. */
  viewAs: (name: string, fn: unknown) => unknown;
}

function isViewInput(value: unknown): value is ViewInput {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as ViewInput).addEventListener === "function" &&
    typeof (value as ViewInput).removeEventListener === "function"
  );
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return value.constructor?.name ?? "an object";
  return typeof value;
}

/** Makes `view` for one run of one cell. */
export function createView(options: ViewOptions): ViewBuiltins {
  const view = (input: ViewInput): unknown => {
    if (!isViewInput(input)) {
      throw new TypeError(
        `view() takes an input that has a value and sends "input" events, e.g. view(Inputs.range([0, 10])); got ${describe(input)}`,
      );
    }
    options.display(input);
    return input.value;
  };
  const listen = (name: string, input: ViewInput) => {
    const onInput = () => {
      if (options.isCurrent()) options.publish(name, input.value);
    };
    input.addEventListener("input", onInput);
    // The control belongs to this run: a re-run of the cell makes a new one.
    void options.invalidation.then(() => input.removeEventListener("input", onInput));
  };
  const viewAs = (name: string, fn: unknown): unknown => {
    // A cell may define its own `view`; then the declaration is an ordinary call.
    if (fn !== view) return fn;
    return (input: ViewInput) => {
      const value = view(input);
      listen(name, input);
      return value;
    };
  };
  return { view, viewAs };
}
