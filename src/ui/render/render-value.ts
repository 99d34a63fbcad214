/**
 * Puts any cell value into the page: tables as a table view, Markdown as sanitized HTML (its
 * interpolated non-text values rendered into their slots, recursively), DOM nodes (Plot charts) as
 * they are, everything else in Observable's inspector.
 */
import { mount, unmount } from "svelte";
import DOMPurify from "dompurify";
import { Inspector } from "@observablehq/inspector";
import { isMarkdownValue, isTableHandle, renderMarkdown, type MarkdownValue } from "../../runtime/index.ts";
import TableView from "../components/TableView.svelte";
import { fromArrow, fromHandle, isArrowTable, type TableData } from "./table-data.ts";

/** Undoes a {@link renderValue}. */
export type Cleanup = () => void;

/** Renders `value` at the end of `target`; returns what removes it again. */
export function renderValue(target: HTMLElement, value: unknown): Cleanup {
  if (isTableHandle(value)) return mountTable(target, fromHandle(value));
  if (isArrowTable(value)) return mountTable(target, fromArrow(value));
  if (isMarkdownValue(value)) return renderMarkdownValue(target, value);
  if (value instanceof Node) {
    target.append(value);
    return () => value.parentNode === target && target.removeChild(value);
  }
  const element = document.createElement("div");
  element.className = "inspector";
  target.append(element);
  new Inspector(element).fulfilled(value);
  return () => element.remove();
}

function mountTable(target: HTMLElement, data: TableData): Cleanup {
  const component = mount(TableView, { target, props: { data } });
  return () => void unmount(component);
}

function renderMarkdownValue(target: HTMLElement, value: MarkdownValue): Cleanup {
  const { html, slots } = renderMarkdown(value);
  const element = document.createElement("div");
  element.className = "markdown";
  // Markdown may hold raw HTML written by anyone who shares a notebook: never insert it unsanitized.
  element.innerHTML = DOMPurify.sanitize(html);
  const cleanups: Cleanup[] = [];
  for (const [index, slotValue] of slots) {
    const slot = element.querySelector<HTMLElement>(`span[data-segbook-slot="${index}"]`);
    if (slot) cleanups.push(renderValue(slot, slotValue));
  }
  target.append(element);
  return () => {
    for (const cleanup of cleanups) cleanup();
    element.remove();
  };
}
