/**
 * The app's watch on the frame's heartbeat worker (frame-heartbeat.ts): a ping every `intervalMs`;
 * a ping unanswered after `timeoutMs` means the frame's process is gone (a cell exhausted the heap,
 * the renderer crashed), since the worker answers even while cell code spins. Only an unanswered
 * ping counts, never the time since the last answer, so a background tab whose timers the browser
 * slows down to once a minute does not look like a crash.
 */

/** How often the app pings, and how long a ping may go unanswered. */
export interface HeartbeatTiming {
  intervalMs: number;
  timeoutMs: number;
}

/** The default: a crash is noticed within about six seconds, and a loaded machine has five to answer. */
export const HEARTBEAT_TIMING: HeartbeatTiming = { intervalMs: 1000, timeoutMs: 5000 };

/**
 * Pings the echo worker behind `port` and calls `onSilent` once if a ping goes unanswered for
 * `timing.timeoutMs`; returns what stops the watch (and closes the port).
 *
 * @example
 * const stop = watchHeartbeat(port, HEARTBEAT_TIMING, () => showCrash());
 */
export function watchHeartbeat(port: MessagePort, timing: HeartbeatTiming, onSilent: () => void): () => void {
  let sent = 0;
  // When each unanswered ping left; answers come in order (one port, one worker thread).
  const unanswered = new Map<number, number>();
  port.onmessage = (event: MessageEvent<number>) => {
    for (const seq of unanswered.keys()) if (seq <= event.data) unanswered.delete(seq);
  };
  const timer = setInterval(() => {
    const now = performance.now();
    const oldest = unanswered.values().next();
    if (!oldest.done && now - oldest.value > timing.timeoutMs) {
      stop();
      onSilent();
      return;
    }
    unanswered.set(++sent, now);
    port.postMessage(sent);
  }, timing.intervalMs);
  const stop = () => {
    clearInterval(timer);
    port.onmessage = null;
    port.close();
  };
  return stop;
}
