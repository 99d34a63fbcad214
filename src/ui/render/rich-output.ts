/**
 * The renderers of cell values that only exist once cells run: tables as a virtualized data grid (with
 * Arrow and the engine's paging behind it) and everything else in Observable's inspector. Loaded by
 * import() (see rich-output-loader.ts) so first paint does not wait for them.
 */
import { mount, unmount } from "svelte";
import { Inspector } from "@observablehq/inspector";
import { isTableHandle } from "../../runtime/sql-bind.ts";
import DataGrid from "../components/DataGrid.svelte";
import type { GridSource } from "../grid/grid-source.ts";
import { gridSourceOfArrow, gridSourceOfHandle } from "../grid/grid-source-of.ts";
import { isArrowTable } from "./table-data.ts";

/** Renders a table in the data grid, anything else in the inspector, at the end of `target`; returns what removes it. */
export function renderRich(target: HTMLElement, value: unknown): () => void {
  if (isTableHandle(value)) return mountGrid(target, gridSourceOfHandle(value));
  if (isArrowTable(value)) return mountGrid(target, gridSourceOfArrow(value));
  const element = document.createElement("div");
  element.className = "inspector";
  target.append(element);
  new Inspector(element).fulfilled(value);
  return () => element.remove();
}

function mountGrid(target: HTMLElement, source: GridSource | Promise<GridSource>): () => void {
  const component = mount(DataGrid, { target, props: { source } });
  return () => void unmount(component);
}
