/** Types for @observablehq/inspector, which ships none; only what the UI uses. */
declare module "@observablehq/inspector" {
  /** Renders any value into `element` as an expandable inspector (Observable's). */
  export class Inspector {
    constructor(element: Element);
    pending(): void;
    fulfilled(value: unknown, name?: string): void;
    rejected(error: unknown, name?: string): void;
  }
}
