/**
 * The sandbox frame's bundle entry (built as one classic script by src/ui/build/sandbox-frame-plugin.ts,
 * passed in by the app and run by the frame's boot script, see frame-document.ts). It takes the two
 * ports the boot script left, and answers the app's control requests.
 *
 * `evaluate` runs a script body with `engine` (the app's locked DuckDB, through the engine port) in
 * scope; `open` runs a notebook's cells with the runtime, outputs in this frame; `session` commands
 * let the app's own notebook drive a session here (stage 3b of docs/sandbox.md), and `settled`
 * answers once it is idle.
 */
import { frameEngine } from "./frame-engine.ts";
import { startHeartbeat } from "./frame-heartbeat.ts";
import { createFrameNotebook, openFrameNotebook, type FrameNotebook, type FrameSend } from "./frame-notebook.ts";
import { offerThroughApp } from "./frame-offers.ts";
import { applyFrameTheme } from "./frame-style.ts";
import type { ControlNotice, ControlReply, ControlRequest, SessionCommand } from "./protocol.ts";

const scope = self as unknown as { segbookSandboxPorts?: readonly MessagePort[] };
const [control, enginePort] = scope.segbookSandboxPorts ?? [];
// Cell code must not find the ports on the global object.
delete scope.segbookSandboxPorts;

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...args: string[]
) => (...args: unknown[]) => Promise<unknown>;

if (control && enginePort) {
  const engine = frameEngine(enginePort);
  const reply = (message: ControlReply) => {
    try {
      control.postMessage(message);
    } catch (error) {
      // A value that cannot be cloned (a function, a DOM node) is reported, not lost.
      if (message.type !== "result") throw error;
      control.postMessage({
        id: message.id,
        type: "error",
        name: "DataCloneError",
        message: `The value cannot leave the sandbox: ${String(error)}`,
      } satisfies ControlReply);
    }
  };
  let notebook: FrameNotebook | undefined;
  const send: FrameSend = (event) => {
    // The bytes move to the app; the frame keeps the cell's own copy.
    const buffers = event.type === "download" ? event.files.map((file) => file.bytes.buffer as ArrayBuffer) : [];
    control.postMessage(event, buffers);
  };
  const root = () => document.querySelector("main") ?? document.body.appendChild(document.createElement("main"));
  const open = async (source: string) => {
    await notebook?.dispose();
    notebook = openFrameNotebook(source, engine, root(), send);
    return notebook.settled();
  };
  // The app's notebook: made at its first command, then driven by the app's edits and runs.
  const command = (message: SessionCommand) => {
    notebook ??= createFrameNotebook(engine, root(), send);
    notebook.command(message);
  };
  // The process watch is up before any cell code runs (frame-heartbeat.ts).
  const heartbeat = startHeartbeat();
  // Saves and copies of outputs go to the app, which acts on the user's click there.
  offerThroughApp((offer, transfer) => control.postMessage(offer, transfer));
  control.onmessage = (event: MessageEvent<ControlRequest | ControlNotice | SessionCommand>) => {
    const request = event.data;
    if (request.type === "theme") return applyFrameTheme(document, request.theme);
    // Session commands run cells: they too wait for the process watch, in the order they came.
    if (request.type === "session") return void heartbeat.then(() => command(request));
    if (request.type === "ping") return reply({ id: request.id, type: "pong" });
    reply({ id: request.id, type: "started" });
    // In a task of its own: cross-process messages leave when the sending task ends, so "started"
    // reaches the app even when the code then holds this thread for good.
    setTimeout(() => {
      void (async () => {
        try {
          await heartbeat;
          const value =
            request.type === "open"
              ? await open(request.source)
              : request.type === "settled"
                ? void (await notebook?.settled())
                : await new AsyncFunction("engine", request.source)(engine);
          reply({ id: request.id, type: "result", value });
        } catch (error) {
          const { name, message } = error instanceof Error ? error : { name: "Error", message: String(error) };
          reply({ id: request.id, type: "error", name, message });
        }
      })();
    }, 0);
  };
  reply({ type: "booted" });
  void heartbeat.then((port) => control.postMessage({ type: "heartbeat" } satisfies ControlReply, [port]));
}
