/**
 * Remote connections (`connections:` in the front matter, SQL cells with `engine=NAME`) in the
 * sandbox frame. The frame may not reach the network (its CSP has no `connect-src`) and must never
 * hold the user's credentials, so a remote query would have to be served by the app over the engine
 * port (docs/sandbox.md, stage 3b "Not done"). Until then the frame's session gets this connector,
 * so such a cell fails at once with what to do instead of the runtime's generic "no remote engines".
 */
import { displayUrl, type RemoteConnector } from "../../runtime/remote-cell.ts";

/**
 * Refuses every connection, naming it and the way to run the notebook's remote cells today.
 *
 * @example
 * new Session({ engine, connect: refuseRemoteInSandbox });
 * // a cell ```sql sizes engine=warehouse``` then fails with:
 * // connection "warehouse" (http://127.0.0.1:18123) cannot be used in the sandbox (?sandbox=1) yet: …
 */
export const refuseRemoteInSandbox: RemoteConnector = (name, spec) =>
  Promise.reject(
    new Error(
      `connection "${name}" (${displayUrl(spec.url)}) cannot be used in the sandbox (?sandbox=1) yet: open this notebook without ?sandbox=1 to run its engine=${name} cells`,
    ),
  );
