/**
 * A notebook running inside the sandbox frame (stage 3 of docs/sandbox.md): the runtime's `Session`
 * on the app's engine (through the engine port), with each cell's output rendered in the frame's own
 * document, in notebook order. The app drives the session (protocol.ts `SessionCommand`: the app's
 * notebook, its edits and runs) and hears only the graph and each node's state (`SessionEvent`),
 * never DOM or values. `seg` runs its kernels on `blob:` workers of the frame; Inputs and `view` work
 * here as in the page, all in this one realm. Editors stay in the app (stage 5 lays them over slots).
 */
import "@observablehq/inspector/dist/inspector.css";
import * as aq from "arquero";
import * as Plot from "@observablehq/plot";
import { version as APP_VERSION } from "../../../package.json";
import { parse } from "../../notebook/parse.ts";
import type { Cell } from "../../notebook/model.ts";
import { Session } from "../../runtime/session.ts";
import type { CellState } from "../../runtime/cell-state.ts";
import type { RunawayPolicy } from "../../runtime/loop-guard.ts";
import type { FrameEngine } from "./frame-engine.ts";
import { isTableHandle } from "../../engine/is-table-handle.ts";
import { dataNodeId } from "../../runtime/node-id.ts";
import { renderContext } from "../render/render-context.ts";
import { loadRichOutput } from "../render/rich-output-loader.ts";
import { renderValue, type Cleanup } from "../render/render-value.ts";
import { loadInputs } from "../inputs-library.ts";
import { segLibrary } from "../../seg/library.ts";
import { frameKernels } from "./frame-kernels.ts";
import { connectThroughApp } from "./frame-connections.ts";
import type { ExportSink } from "../../seg/export.ts";
import type {
  FrameCellState,
  FrameCellStatus,
  FrameEvent,
  FrameLinks,
  SessionCommand,
  SessionEvent,
} from "./protocol.ts";

/**
 * How long a cell's loop may hold the frame's thread before the loop guard stops it on its own.
 * The frame cannot ask the user (no `allow-modals`, and a dialog drawn by cells could be faked), and
 * where Chromium isolates the frame the app's Stop is the first line; this is the second, for
 * browsers that do not (docs/sandbox.md, "Without process isolation").
 */
export const FRAME_RUNAWAY_MS = 30_000;

const FRAME_RUNAWAY: RunawayPolicy = { afterMs: FRAME_RUNAWAY_MS, ask: () => true };

/** A notebook session in the frame. */
export interface FrameNotebook {
  /** Applies a `Session` call from the app (queued until the libraries have loaded). */
  command(command: SessionCommand): void;
  /** Every cell's status once all settled. */
  settled(): Promise<FrameCellStatus[]>;
  dispose(): Promise<void>;
}

/** What the app is told, and how. */
export type FrameSend = (event: FrameEvent | SessionEvent) => void;

/**
 * A session rendering into `root` (emptied first), driven by {@link FrameNotebook.command}; `send`
 * tells the app each node's state and the graph, and what `seg.export` prepared (and withdrew).
 *
 * @example
 * const nb = createFrameNotebook(engine, document.body, (event) => port.postMessage(event));
 * nb.command({ type: "session", call: "setNotebook", notebook, location: null });
 * await nb.settled();
 */
export function createFrameNotebook(engine: FrameEngine, root: HTMLElement, send: FrameSend = () => {}): FrameNotebook {
  const doc = root.ownerDocument;
  root.replaceChildren();
  const slots = new Map<string, { element: HTMLElement; cleanups: Cleanup[] }>();
  let cells: readonly Cell[] = [];
  /** Outputs in notebook order: one slot per cell, made, moved and removed as the cells change. */
  const layout = (next: readonly Cell[]) => {
    cells = next;
    const ids = new Set(next.map((cell) => cell.id));
    for (const [id, slot] of slots) {
      if (ids.has(id)) continue;
      for (const cleanup of slot.cleanups.splice(0)) cleanup();
      slot.element.remove();
      slots.delete(id);
    }
    for (const cell of next) {
      let slot = slots.get(cell.id);
      if (!slot) {
        const element = doc.createElement("section");
        element.className = "sandbox-cell";
        element.dataset.cellId = cell.id;
        slots.set(cell.id, (slot = { element, cleanups: [] }));
      }
      slot.element.dataset.kind = cell.kind;
      // Appending an element already there moves it: the slots end up in the cells' order.
      root.append(slot.element);
    }
  };
  let location: string | null = null;
  // seg's kernels run on blob: workers of this frame, so a heavy fit holds neither the page nor the frame.
  const kernels = frameKernels();
  const render = (id: string, state: CellState | undefined) => {
    const slot = slots.get(id);
    if (!slot) return;
    for (const cleanup of slot.cleanups.splice(0)) cleanup();
    slot.element.replaceChildren();
    slot.element.dataset.status = state?.status ?? "removed";
    if (!state) return;
    const context = renderContext(doc, state.tableLabels);
    if (state.error) {
      const problem = doc.createElement("pre");
      problem.className = "sandbox-cell-error";
      problem.textContent = state.error.message;
      slot.element.append(problem);
    }
    const cleanups = slot.cleanups;
    for (const value of state.displays) cleanups.push(renderValue(slot.element, value, context));
    if (state.hasValue && state.status === "ok") cleanups.push(renderValue(slot.element, state.value, context));
  };
  // The grid and inspector render synchronously once loaded, and Inputs is in every cell's scope:
  // both before the session's first run. Without Inputs (it failed to load) cells just lack it.
  const starting = Promise.all([loadRichOutput(), loadInputs().catch(() => undefined)]).then(([, Inputs]) => {
    const session = new Session({
      engine,
      libraries: { aq, Plot, ...(Inputs && { Inputs }) },
      cellLibraries: { seg: segLibrary({ kernels, document: doc, sink: appSink(send) }) },
      runaway: FRAME_RUNAWAY,
      // The app resolves the source (kept files, handles, Excel, URLs) and keeps the file; the
      // runtime here gets its options and checks, and its loadFile names only the table.
      resolveData: async (name, source) => ({
        source: { kind: "url", url: source.path },
        ...(await engine.resolveData(name)),
      }),
      location: () => location,
      appVersion: APP_VERSION,
      // Remote queries are run by the app, on its connection of that name, with its credentials.
      connect: connectThroughApp(engine),
    });
    let lastGraph = "";
    session.subscribe((id, state) => {
      render(id, state);
      // The graph first: the app reads links when a state changes (dependency view, renames).
      const graph = graphOf(session);
      const key = JSON.stringify(graph);
      if (key !== lastGraph) send(graph);
      lastGraph = key;
      send({ type: "cell", cellId: id, state: state ? frameState(id, state) : null });
    });
    return session;
  });
  // Commands apply in the order sent; one that throws must not hold back the next.
  let queue: Promise<unknown> = starting.catch(() => {});
  return {
    command: (command) => {
      queue = queue
        .then(() => starting)
        .then((session) => {
          switch (command.call) {
            case "setNotebook":
              location = command.location;
              layout(command.notebook.cells);
              return session.setNotebook(command.notebook, { run: command.run !== false });
            case "setCells":
              layout(command.cells);
              return session.setCells(command.cells);
            case "runCells":
              return session.runCells(command.ids);
            case "runAll":
              return session.runAll();
            case "stopWaiting":
              return session.stopWaiting();
          }
        })
        .catch((error: unknown) => console.error(error));
    },
    settled: async () => {
      await queue;
      const session = await starting;
      await session.settled();
      return cells.map((cell) => {
        const state = session.state(cell.id);
        return {
          id: cell.id,
          kind: cell.kind,
          status: state?.status ?? "unknown",
          ...(state?.error && { error: state.error.message }),
        };
      });
    },
    dispose: async () => {
      await (await starting).dispose();
      await kernels.close();
    },
  };
}

/**
 * Runs the notebook `source` on `engine`, rendering into `root` (see {@link createFrameNotebook}).
 *
 * @example
 * const nb = openFrameNotebook("```sql\nSELECT 1 AS x\n```\n", engine, document.body);
 * await nb.settled(); // [{ id: "c1", kind: "sql", status: "ok" }]
 */
export function openFrameNotebook(
  source: string,
  engine: FrameEngine,
  root: HTMLElement,
  send?: FrameSend,
): FrameNotebook {
  const notebook = createFrameNotebook(engine, root, send);
  // setNotebook runs every cell (they are all new to this session).
  notebook.command({ type: "session", call: "setNotebook", notebook: parse(source).notebook, location: null });
  return notebook;
}

/** The session's graph as the app gets it. */
function graphOf(session: Session): SessionEvent & { type: "graph" } {
  const links: Record<string, FrameLinks> = {};
  for (const id of session.ids()) {
    const of = session.links(id);
    if (of) links[id] = of;
  }
  return {
    type: "graph",
    links,
    tableLabels: [...session.tableLabels()],
    builtins: [...session.builtinNames()],
  };
}

/** A node's state without what its run made (a data table's handle is described, not sent). */
function frameState(id: string, state: CellState): FrameCellState {
  const { value, displays: _displays, hasValue: _hasValue, error, ...rest } = state;
  const described: FrameCellState = { ...rest };
  if (error) {
    const { cause: _cause, ...plain } = error;
    described.error = plain;
  }
  if (id.startsWith(dataNodeId("")) && isTableHandle(value)) {
    described.value = { kind: "table", name: value.name, numRows: value.numRows, columns: [...value.columns] };
  }
  return described;
}

let nextExport = 0;

/** `seg.export`'s sink in the frame: each prepared export is offered to the app, withdrawn with its run. */
function appSink(send: (event: FrameEvent) => void): ExportSink {
  return {
    accept: async (prepared, caller) => {
      const key = ++nextExport;
      const files = [prepared.file, prepared.manifestFile].map(({ name, mimeType, bytes }) => ({
        name,
        mimeType,
        // A copy: the cell keeps its own bytes.
        bytes: bytes.slice(),
      }));
      send({ type: "download", key, ...(caller && { cellId: caller.cellId }), files });
      void caller?.invalidation.then(() => send({ type: "withdraw", key }));
      return prepared;
    },
  };
}
