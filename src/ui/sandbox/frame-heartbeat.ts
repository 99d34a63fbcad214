/**
 * The frame's heartbeat (the crash path of docs/sandbox.md): a tiny `blob:` worker that echoes what
 * the app sends on a port of its own. A worker is a thread of the frame's process, so it answers
 * while cell code holds the frame's main thread (a `while (true) {}` is Stop's business, not a
 * crash), and falls silent only when the process is gone: a cell exhausting the heap, a renderer
 * crash. Chromium tells the parent page nothing in that case (no event on the iframe or the ports).
 */

/** The worker's whole code: echo every message on the port it is given. */
const ECHO = "onmessage=e=>{const p=e.ports[0];if(p)p.onmessage=m=>p.postMessage(m.data)}";

/** The running echo worker, held so that it is never collected (that would look like a crash). */
let echo: Worker | undefined;

/**
 * Starts the echo worker and resolves, once it answered, with the port the app pings it on (to
 * transfer to the app). Cell code must not run before: a worker is started with the help of the
 * frame's main thread, so one that is not up yet when a cell spins stays down until the spin ends,
 * and the app would take the spin for a crash.
 *
 * @example
 * const port = await startHeartbeat();
 * control.postMessage({ type: "heartbeat" }, [port]);
 */
export function startHeartbeat(): Promise<MessagePort> {
  const url = URL.createObjectURL(new Blob([ECHO], { type: "text/javascript" }));
  // The URL is not revoked: the worker loads it after this returns, and it is one small blob per frame.
  echo = new Worker(url);
  const channel = new MessageChannel();
  echo.postMessage(null, [channel.port1]);
  return new Promise((resolve) => {
    channel.port2.onmessage = () => {
      channel.port2.onmessage = null;
      resolve(channel.port2);
    };
    channel.port2.postMessage(0);
  });
}
