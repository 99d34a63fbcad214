/**
 * Plain-data views of parsed YAML values for the front matter readers (front-matter.ts,
 * connections.ts): one test for a map and one way to name a wrong value in a message.
 */

/**
 * Whether a parsed YAML value is a map (not a list, not null).
 * @example isPlainObject({ a: 1 }) // true; isPlainObject([1]) // false
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A short rendering of a YAML value for messages: "a list", "a map", a quoted string or the value.
 * @example describe(["x"]) // "a list"; describe("x") // "\"x\""; describe(3) // "3"
 */
export function describe(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (isPlainObject(value)) return "a map";
  if (typeof value === "string") return JSON.stringify(value);
  return String(value);
}
