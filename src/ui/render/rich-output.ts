/**
 * The renderers of cell values that only exist once cells run: tables as a virtualized data grid (with
 * Arrow and the engine's paging behind it), arrays of plain objects as a grid too, seg.scorecard as its
 * table of marks, objects holding tables as their fields, and everything else in Observable's
 * inspector. Loaded by import() (see rich-output-loader.ts) so first paint does not wait for them.
 *
 * Frame boundary: cell code (and probably its outputs) will move into a sandboxed iframe. So every
 * renderer here is a plain function of the value and a {@link RenderContext} (the document to build
 * in and a lookup of user-facing table names): no app singletons, no Svelte state from the workbench,
 * and the grid reads rows only through the async GridSource interface (grid/grid-source.ts), which can
 * be carried over postMessage. Keep it that way when adding a view.
 */
export type { RenderContext } from "./render-context.ts";
import { mount, unmount } from "svelte";
import { Inspector } from "@observablehq/inspector";
import { INTERNAL_NAME_PREFIX } from "../../engine/sql-text.ts";
import type { TableHandle } from "../../engine/table-handle-types.ts";
import { isTableHandle } from "../../runtime/sql-bind.ts";
import type { ScorecardResult } from "../../seg/scorecard.ts";
import { resultKindOf } from "../../seg/seg-result.ts";
import DataGrid from "../components/DataGrid.svelte";
import type { GridSource } from "../grid/grid-source.ts";
import { gridSourceOfArrow, gridSourceOfHandle } from "../grid/grid-source-of.ts";
import { maskedGridSource } from "../grid/masked-grid-source.ts";
import { isArrayOfObjects, isPlainObject, objectsGridSource } from "../grid/memory-grid-source.ts";
import type { RenderContext } from "./render-context.ts";
import { renderScorecard } from "../../seg/scorecard-view.ts";
import { isArrowTable } from "./table-data.ts";

type Cleanup = () => void;

/**
 * Renders `value` at the end of `target`: tables in the data grid, a scorecard as its table, arrays
 * of plain objects as a grid, objects holding tables field by field, anything else in the inspector.
 * Returns what removes it.
 */
export function renderRich(
  target: HTMLElement,
  value: unknown,
  context: RenderContext = { document: target.ownerDocument },
): Cleanup {
  if (resultKindOf(value) === "scorecard" && isTableHandle(value))
    return mountScorecard(target, value as ScorecardResult, context);
  if (isTableHandle(value) && isSegResult(value)) return mountSegTable(target, value, context);
  if (isTableHandle(value)) return mountGrid(target, sourceOfHandle(value, context), context);
  if (isArrowTable(value)) return mountGrid(target, gridSourceOfArrow(value), context);
  if (isArrayOfObjects(value)) return mountGrid(target, objectsGridSource(value), context);
  if (isPlainObject(value) && Object.values(value).some(isTableLike)) return renderFields(target, value, context);
  return mountInspector(target, value, context.document);
}

/** A table handle's grid source, named by the user's name for it when there is one. */
function sourceOfHandle(handle: TableHandle, context: RenderContext, fallback?: string): Promise<GridSource> {
  const label = context.tableLabel?.(handle.name) ?? (isInternal(handle.name) ? fallback : handle.name);
  return Promise.resolve(gridSourceOfHandle(handle)).then((source) => ({ ...source, name: label }));
}

/** A `seg` result: a table handle that also carries `info` (what was fitted or decided) and `warnings`. */
function isSegResult(value: TableHandle): value is TableHandle & { info: object; warnings: readonly string[] } {
  const v = value as { info?: unknown; warnings?: unknown };
  return typeof v.info === "object" && v.info !== null && Array.isArray(v.warnings);
}

/**
 * A `seg` result as its author needs it: its warnings first (they change how the table reads), the
 * table in the grid, then what was fitted or decided (`info`) folded away under its keys' names.
 */
function mountSegTable(
  target: HTMLElement,
  result: TableHandle & { info: object; warnings: readonly string[] },
  context: RenderContext,
): Cleanup {
  const doc = context.document;
  const root = doc.createElement("div");
  root.className = "output-seg";
  target.append(root);
  if (result.warnings.length) {
    const list = doc.createElement("ul");
    list.className = "seg-warnings";
    list.setAttribute("aria-label", `${result.warnings.length === 1 ? "Warning" : "Warnings"} of this result`);
    for (const warning of result.warnings) {
      const item = doc.createElement("li");
      item.textContent = warning;
      list.append(item);
    }
    root.append(list);
  }
  const grid = mountGrid(root, sourceOfHandle(result, context), context);
  const keys = Object.keys(result.info);
  let inspector: Cleanup | undefined;
  if (keys.length) {
    const details = doc.createElement("details");
    details.className = "seg-info";
    const summary = doc.createElement("summary");
    summary.textContent = `info: ${keys.join(", ")}`;
    details.append(summary);
    root.append(details);
    // The inspector is built on first open: info can be large (centroids, rules) and is rarely read.
    details.addEventListener("toggle", () => {
      if (!details.open || inspector) return;
      inspector = mountInspector(details, result.info, doc);
      // Opened to read it: show its keys at once (Observable's inspector opens on mouseup).
      const view = doc.defaultView;
      if (view) details.querySelector(".observablehq--inspect")?.dispatchEvent(new view.MouseEvent("mouseup"));
    });
  }
  return () => {
    grid();
    inspector?.();
    root.remove();
  };
}

const isInternal = (name: string) => name.startsWith(INTERNAL_NAME_PREFIX);
const isTableLike = (v: unknown) => isTableHandle(v) || isArrowTable(v) || isArrayOfObjects(v);

function mountInspector(target: HTMLElement, value: unknown, doc: Document): Cleanup {
  const element = doc.createElement("div");
  element.className = "inspector";
  target.append(element);
  new Inspector(element).fulfilled(value);
  return () => element.remove();
}

/** A grid of `source`, its personal columns masked when the context names them (the report view). */
function mountGrid(target: HTMLElement, source: GridSource | Promise<GridSource>, context: RenderContext): Cleanup {
  const personal = context.personal;
  const shown = personal?.length ? Promise.resolve(source).then((s) => maskedGridSource(s, personal)) : source;
  const component = mount(DataGrid, { target, props: { source: shown } });
  return () => void unmount(component);
}

/**
 * An object whose fields hold tables (e.g. `{labels, inertia}`): its other
 * fields in the inspector, then each table under its field's name, in a grid captioned with it.
 */
function renderFields(target: HTMLElement, value: Record<string, unknown>, context: RenderContext): Cleanup {
  const doc = context.document;
  const root = doc.createElement("div");
  root.className = "output-fields";
  target.append(root);
  const cleanups: Cleanup[] = [];
  const rest = Object.fromEntries(Object.entries(value).filter(([, v]) => !isTableLike(v)));
  if (Object.keys(rest).length) cleanups.push(mountInspector(root, rest, doc));
  for (const [key, field] of Object.entries(value)) {
    if (!isTableLike(field)) continue;
    const slot = doc.createElement("div");
    slot.className = "output-field";
    slot.dataset.field = key;
    root.append(slot);
    if (isTableHandle(field)) cleanups.push(mountGrid(slot, sourceOfHandle(field, context, key), context));
    else if (isArrowTable(field)) cleanups.push(mountGrid(slot, { ...gridSourceOfArrow(field), name: key }, context));
    else cleanups.push(mountGrid(slot, objectsGridSource(field as Record<string, unknown>[], key), context));
  }
  return () => {
    for (const cleanup of cleanups) cleanup();
    root.remove();
  };
}

/** The scorecard's table of marks (its rows are read first), with the full result in a grid below a toggle. */
function mountScorecard(target: HTMLElement, card: ScorecardResult, context: RenderContext): Cleanup {
  const doc = context.document;
  const root = doc.createElement("div");
  root.className = "output-scorecard";
  root.textContent = "…";
  target.append(root);
  let removed = false;
  let gridCleanup: Cleanup | undefined;
  card.rows().then(
    (rows) => {
      if (removed) return;
      root.textContent = "";
      root.append(renderScorecard(doc, { rows, checks: card.info?.checks ?? [], flags: card.info?.flags ?? [] }));
      const details = doc.createElement("details");
      details.className = "scorecard-all";
      const summary = doc.createElement("summary");
      summary.textContent = "All figures";
      details.append(summary);
      root.append(details);
      details.addEventListener(
        "toggle",
        () => {
          if (details.open && !gridCleanup) gridCleanup = mountGrid(details, sourceOfHandle(card, context), context);
        },
        { once: false },
      );
    },
    (error: unknown) => {
      if (!removed)
        root.textContent = `Could not read the scorecard: ${error instanceof Error ? error.message : error}`;
    },
  );
  return () => {
    removed = true;
    gridCleanup?.();
    root.remove();
  };
}
