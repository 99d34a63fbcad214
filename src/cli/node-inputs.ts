/**
 * `Inputs` for `segbook run`. Observable Inputs build real form controls and need a browser DOM:
 * under linkedom they fail (no `checkValidity`, `NodeList`, `HTMLCollection`) or read wrong values
 * (no `valueAsNumber`/`valueAsDate`). Headless, nobody moves a control anyway, so each function here
 * returns a plain input with the value the real control starts with (Observable's defaults: a range
 * starts at the middle, a select at its first option, a table selects every row) and the same
 * protocol (`value` + "input" events), so `view(...)` gives cells the same value in Node as on the
 * first run in the browser. Only the controls listed in {@link nodeInputs} exist here.
 */

/** Options every control takes. */
interface CommonOptions {
  label?: unknown;
  value?: unknown;
}

/** A control without a DOM: the current value, "input" events, and a static HTML form for reports. */
export class HeadlessInput extends EventTarget {
  /** The current value, as the browser control would report it. */
  value: unknown;

  constructor(
    /** Which `Inputs` function made it, e.g. "range". */
    readonly kind: string,
    /** The control's label, if any. */
    readonly label: string | undefined,
    value: unknown,
  ) {
    super();
    this.value = value;
  }

  /** How a `segbook run` report shows the control: its label and starting value. */
  get outerHTML(): string {
    const label = this.label === undefined ? this.kind : this.label;
    return `<div class="segbook-input"><label>${escapeHtml(label)}</label> <output>${escapeHtml(show(this.value))}</output></div>`;
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function show(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "string") return value;
  return JSON.stringify(value) ?? String(value);
}

function labelOf(options: CommonOptions): string | undefined {
  return options.label === undefined || options.label === null ? undefined : String(options.label);
}

function make(kind: string, options: CommonOptions, fallback: () => unknown): HeadlessInput {
  return new HeadlessInput(kind, labelOf(options), options.value === undefined ? fallback() : options.value);
}

function rowsOf(kind: string, data: unknown): unknown[] {
  if (data instanceof Map) return [...(data as Map<unknown, unknown>).values()];
  if (data !== null && typeof data === "object" && Symbol.iterator in data) return [...(data as Iterable<unknown>)];
  throw new TypeError(
    `Inputs.${kind} takes an array (or other iterable) of options or rows; for a table handle pass \`await handle.rows()\``,
  );
}

function range(extent: [number, number] = [0, 1], options: CommonOptions & { step?: number } = {}): HeadlessInput {
  const [min, max] = extent;
  return make("range", options, () => {
    const middle = (min + max) / 2;
    const step = options.step;
    return step ? min + Math.round((middle - min) / step) * step : middle;
  });
}

function select(data: unknown, options: CommonOptions & { multiple?: unknown } = {}): HeadlessInput {
  const values = rowsOf("select", data);
  return make("select", options, () => (options.multiple ? [] : values[0]));
}

function radio(data: unknown, options: CommonOptions = {}): HeadlessInput {
  rowsOf("radio", data);
  return make("radio", options, () => null);
}

function checkbox(data: unknown, options: CommonOptions = {}): HeadlessInput {
  rowsOf("checkbox", data);
  return make("checkbox", options, () => []);
}

function toggle(options: CommonOptions & { values?: [unknown, unknown] } = {}): HeadlessInput {
  return make("toggle", options, () => (options.values ? options.values[1] : false));
}

function text(options: CommonOptions = {}): HeadlessInput {
  return make("text", options, () => "");
}

function textarea(options: CommonOptions = {}): HeadlessInput {
  return make("textarea", options, () => "");
}

/** Observable's `Inputs.date` coerces its value to a Date (or null). */
function date(options: CommonOptions = {}): HeadlessInput {
  const input = make("date", options, () => null);
  const value = input.value;
  if (typeof value === "string" || typeof value === "number") {
    const parsed = new Date(value);
    input.value = Number.isNaN(parsed.getTime()) ? null : parsed;
  }
  return input;
}

/** With `required` (the default), nothing selected means every row, as in Observable's table. */
function table(data: unknown, options: CommonOptions & { required?: boolean } = {}): HeadlessInput {
  const rows = rowsOf("table", data);
  return make("table", options, () => (options.required === false ? [] : rows));
}

/** The `Inputs` library cells see in `segbook run`: range, select, radio, checkbox, toggle, text, textarea, date, table. */
export function nodeInputs(): Record<string, (...args: never[]) => HeadlessInput> {
  return { range, select, radio, checkbox, toggle, text, textarea, date, table };
}
