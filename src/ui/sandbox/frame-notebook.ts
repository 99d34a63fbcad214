/**
 * A notebook running inside the sandbox frame (stage 3 of docs/sandbox.md): the runtime's `Session`
 * on the app's engine (through the engine port), with each cell's output rendered in the frame's own
 * document, in notebook order. The app hears only statuses (protocol.ts `FrameCellStatus`), never DOM.
 * `seg` runs its kernels on `blob:` workers of the frame. Inputs and editors are not here yet; see
 * the plan in docs/sandbox.md.
 */
import * as aq from "arquero";
import * as Plot from "@observablehq/plot";
import { parse } from "../../notebook/parse.ts";
import { Session } from "../../runtime/session.ts";
import type { CellState } from "../../runtime/cell-state.ts";
import type { Engine } from "../../engine/engine.ts";
import { renderContext } from "../render/render-context.ts";
import { loadRichOutput } from "../render/rich-output-loader.ts";
import { renderValue, type Cleanup } from "../render/render-value.ts";
import { segLibrary } from "../../seg/library.ts";
import { frameKernels } from "./frame-kernels.ts";
import type { ExportSink } from "../../seg/export.ts";
import type { FrameCellStatus, FrameEvent } from "./protocol.ts";

/** A running notebook in the frame. */
export interface FrameNotebook {
  /** Every cell's status once all settled. */
  settled(): Promise<FrameCellStatus[]>;
  dispose(): Promise<void>;
}

/**
 * Runs the notebook `source` on `engine`, rendering into `root` (emptied first); `send` tells the app
 * what `seg.export` prepared (and withdrew), for the app to save on the user's click.
 *
 * @example
 * const nb = openFrameNotebook("```sql\nSELECT 1 AS x\n```\n", engine, document.body);
 * await nb.settled(); // [{ id: "c1", kind: "sql", status: "ok" }]
 */
export function openFrameNotebook(
  source: string,
  engine: Engine,
  root: HTMLElement,
  send: (event: FrameEvent) => void = () => {},
): FrameNotebook {
  const { notebook } = parse(source);
  const doc = root.ownerDocument;
  root.replaceChildren();
  const slots = new Map<string, { element: HTMLElement; cleanups: Cleanup[] }>();
  for (const cell of notebook.cells) {
    const element = doc.createElement("section");
    element.className = "sandbox-cell";
    element.dataset.cellId = cell.id;
    element.dataset.kind = cell.kind;
    root.append(element);
    slots.set(cell.id, { element, cleanups: [] });
  }
  // seg's kernels run on blob: workers of this frame, so a heavy fit holds neither the page nor the frame.
  const kernels = frameKernels();
  const session = new Session({
    engine,
    libraries: { aq, Plot },
    cellLibraries: { seg: segLibrary({ kernels, document: doc, sink: appSink(send) }) },
  });
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
    for (const value of state.displays) slot.cleanups.push(renderValue(slot.element, value, context));
    if (state.hasValue && state.status === "ok") slot.cleanups.push(renderValue(slot.element, state.value, context));
  };
  const unsubscribe = session.subscribe(render);
  // The grid and inspector render synchronously once loaded; load them before the first run.
  // setNotebook runs every cell (they are all new to this session).
  const started = loadRichOutput().then(() => session.setNotebook(notebook));
  return {
    settled: async () => {
      await started;
      await session.settled();
      return notebook.cells.map((cell) => {
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
      unsubscribe();
      await session.dispose();
      await kernels.close();
    },
  };
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
