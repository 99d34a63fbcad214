/**
 * The error of a request whose sandbox frame was torn down (Stop, open, close, a lost frame): on the
 * app's side for what it asked the frame, and on the engine port for what the frame asked the app
 * (a remote query the app was serving is cancelled with it as the reason).
 */

/**
 * What rejects the requests of a frame that was torn down.
 *
 * @example
 * controller.abort(new SandboxStopped()); // the app's remote query for a frame that went
 */
export class SandboxStopped extends Error {
  override name = "SandboxStopped";
  constructor() {
    super("The sandbox was stopped before the code finished");
  }
}
