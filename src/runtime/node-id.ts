/**
 * Ids of the session's nodes that are not cells. In a file of its own so the page can name a data
 * source's node before the runtime (and its cell compiler) has loaded.
 */

/** The id of the node that loads data source `name`. */
export function dataNodeId(name: string): string {
  return `data:${name}`;
}
