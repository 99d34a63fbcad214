/**
 * The app's watch on the sandbox frame's heartbeat (src/ui/sandbox/sandbox-heartbeat.ts), on real
 * MessageChannels: an echo that answers is never taken for a crash, and one that stops answering is
 * reported once, after which nothing more is sent.
 */
import { describe, expect, test } from "vitest";
import { watchHeartbeat } from "../../../src/ui/sandbox/sandbox-heartbeat.ts";

/** Resolves after `ms` (the watch runs on real timers). */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A port whose other end echoes each message while `answering()` says so, and counts what arrived. */
function echo(answering: () => boolean): { port: MessagePort; received: () => number; close: () => void } {
  const channel = new MessageChannel();
  let received = 0;
  channel.port2.onmessage = (event: MessageEvent<number>) => {
    received++;
    if (answering()) channel.port2.postMessage(event.data);
  };
  return { port: channel.port1, received: () => received, close: () => channel.port2.close() };
}

describe("watchHeartbeat", () => {
  test("an echo that answers every ping is never reported", async () => {
    const worker = echo(() => true);
    let silent = 0;
    // A long timeout against short pings: a loaded machine's pause must not look like silence here.
    const stop = watchHeartbeat(worker.port, { intervalMs: 10, timeoutMs: 2000 }, () => silent++);
    await sleep(300);
    stop();
    expect(worker.received()).toBeGreaterThan(5);
    expect(silent).toBe(0);
    worker.close();
  });

  test("an echo that falls silent is reported once, and the watch stops pinging", async () => {
    let answering = true;
    const worker = echo(() => answering);
    let silent = 0;
    watchHeartbeat(worker.port, { intervalMs: 10, timeoutMs: 200 }, () => silent++);
    await sleep(50);
    answering = false;
    const deadline = Date.now() + 5000;
    while (!silent && Date.now() < deadline) await sleep(10);
    expect(silent).toBe(1);
    const pings = worker.received();
    await sleep(100);
    expect(worker.received()).toBe(pings);
    expect(silent).toBe(1);
    worker.close();
  });
});
