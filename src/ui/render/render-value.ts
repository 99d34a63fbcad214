/**
 * Puts any cell value into the page: tables as a virtualized data grid, Markdown as sanitized HTML (its
 * interpolated non-text values rendered into their slots, recursively), DOM nodes (Plot charts) as
 * they are, `seg.export` results as an export card with Download buttons, everything else in
 * Observable's inspector. The grid and the inspector are in rich-output.ts,
 * loaded after first paint; Markdown stays here because a notebook's text shows before anything runs.
 */
import { isMarkdownValue, renderMarkdown, type MarkdownValue } from "../../runtime/markdown.ts";
import { isExportResult } from "../../seg/export-result.ts";
import { renderExport } from "./export-output.ts";
import type { RenderContext } from "./render-context.ts";
import { loadRichOutput, richOutput } from "./rich-output-loader.ts";
import { sanitizeMarkup } from "./sanitize-markup.ts";

/** Undoes a {@link renderValue}. */
export type Cleanup = () => void;

/**
 * Renders `value` at the end of `target`; returns what removes it again. `context` names the user's
 * tables (captions) and gives the document; see rich-output.ts on why renderers take only that.
 */
export function renderValue(
  target: HTMLElement,
  value: unknown,
  context: RenderContext = { document: target.ownerDocument },
): Cleanup {
  if (isMarkdownValue(value)) return renderMarkdownValue(target, value, context);
  if (isExportResult(value)) return renderExport(target, value);
  if (value instanceof Node) {
    target.append(value);
    return () => value.parentNode === target && target.removeChild(value);
  }
  // Tables and everything else: the grid and the inspector load after first paint (with the runtime).
  const rich = richOutput();
  return rich ? rich.renderRich(target, value, context) : renderWhenLoaded(target, value, context);
}

/** Before the rich renderers are in (rare: they load with the runtime), a placeholder holds the place. */
function renderWhenLoaded(target: HTMLElement, value: unknown, context: RenderContext): Cleanup {
  const placeholder = context.document.createElement("div");
  placeholder.className = "output-loading";
  placeholder.textContent = "…";
  target.append(placeholder);
  let cleanup: Cleanup | undefined;
  let removed = false;
  loadRichOutput().then(
    (rich) => {
      if (removed) return;
      placeholder.remove();
      cleanup = rich.renderRich(target, value, context);
    },
    (error: unknown) => {
      placeholder.textContent = `Could not load the output renderer: ${error instanceof Error ? error.message : String(error)}. Reload the page.`;
    },
  );
  return () => {
    removed = true;
    placeholder.remove();
    cleanup?.();
  };
}

function renderMarkdownValue(target: HTMLElement, value: MarkdownValue, context: RenderContext): Cleanup {
  const { html, slots } = renderMarkdown(value);
  const element = context.document.createElement("div");
  element.className = "markdown";
  // Markdown may hold raw HTML written by anyone who shares a notebook: never insert it unsanitized
  // (no styles, forms, buttons or handlers; and app.css clips .markdown to its cell).
  element.innerHTML = sanitizeMarkup(html);
  const cleanups: Cleanup[] = [];
  for (const [index, slotValue] of slots) {
    const slot = element.querySelector<HTMLElement>(`span[data-segbook-slot="${index}"]`);
    if (slot) cleanups.push(renderValue(slot, slotValue, context));
  }
  target.append(element);
  return () => {
    for (const cleanup of cleanups) cleanup();
    element.remove();
  };
}
