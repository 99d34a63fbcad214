/**
 * Observable Inputs for cells, fetched with the engine rather than in the entry chunk: a notebook can
 * be read before any control exists, and most notebooks have none.
 */

/** Loads `@observablehq/inputs` and its stylesheet; resolves to the module cells see as `Inputs`. */
export async function loadInputs(): Promise<Record<string, unknown>> {
  const [inputs] = await Promise.all([import("@observablehq/inputs"), import("@observablehq/inputs/dist/index.css")]);
  return { ...inputs };
}
