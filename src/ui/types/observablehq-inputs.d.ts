/** Types for @observablehq/inputs, which ships none; only the controls the workbench documents. */
declare module "@observablehq/inputs" {
  /** A control: a form element whose `value` is the current value; it dispatches "input" on change. */
  export interface Input<T> extends HTMLElement {
    value: T;
  }
  interface Common<T> {
    label?: string | Node;
    value?: T;
    disabled?: boolean;
    width?: number | string;
  }
  /** A slider with a number box over `[min, max]`; starts at the middle unless `value` is given. */
  export function range(
    extent?: [number, number],
    options?: Common<number> & { step?: number; format?: (x: number) => string; placeholder?: string },
  ): Input<number>;
  /** A drop-down menu of `data`; the first option unless `value` (or `multiple`: an array). */
  export function select<T>(
    data: Iterable<T>,
    options?: Common<T> & { multiple?: boolean | number; format?: (x: T) => string },
  ): Input<T>;
  /** Radio buttons: one of `data`, or null. */
  export function radio<T>(data: Iterable<T>, options?: Common<T> & { format?: (x: T) => string }): Input<T | null>;
  /** Checkboxes: the chosen elements of `data`. */
  export function checkbox<T>(data: Iterable<T>, options?: Common<T[]> & { format?: (x: T) => string }): Input<T[]>;
  /** One checkbox: true or false. */
  export function toggle(options?: Common<boolean>): Input<boolean>;
  /** A one-line text field. */
  export function text(options?: Common<string> & { placeholder?: string; submit?: boolean | string }): Input<string>;
  /** A multi-line text field. */
  export function textarea(options?: Common<string> & { placeholder?: string; rows?: number }): Input<string>;
  /** A date picker; the value is a Date (UTC midnight) or null. */
  export function date(
    options?: Common<Date | string | null> & { min?: Date | string; max?: Date | string },
  ): Input<Date | null>;
  /** A table of rows with a checkbox per row; the value is the selected rows (every row when none is). */
  export function table<T extends object>(
    data: Iterable<T>,
    options?: Common<T[]> & { columns?: (keyof T)[]; rows?: number; required?: boolean; multiple?: boolean },
  ): Input<T[]>;
}

declare module "@observablehq/inputs/dist/index.css";
