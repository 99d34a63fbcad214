/**
 * Loads rich-output.ts (the data grid and the inspector) on demand. The runtime loader asks for it
 * with the runtime, so by the time a cell has a value to show it is in and rendering stays synchronous.
 */
type RichOutput = typeof import("./rich-output.ts");

let loaded: RichOutput | undefined;
let loading: Promise<RichOutput> | undefined;

/** Loads the rich renderers (once; later calls share the first load). */
export function loadRichOutput(): Promise<RichOutput> {
  loading ??= import("./rich-output.ts").then((module) => (loaded = module));
  // A failed load (a network error) may succeed when asked again.
  loading.catch(() => (loading = undefined));
  return loading;
}

/** The rich renderers if they have loaded, else undefined. */
export function richOutput(): RichOutput | undefined {
  return loaded;
}
