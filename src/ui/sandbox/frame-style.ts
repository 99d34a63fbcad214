/**
 * The sandbox frame's styles: the page's theme (colours as light-dark() pairs, system fonts) and the
 * outputs' look, the very files the page uses (src/ui/theme.css, src/ui/outputs.css), so an output in
 * the frame looks like the same output in the page. The nested build turns these imports into a
 * `<style>` the bundle adds itself (src/ui/build/sandbox-frame-plugin.ts): the frame loads nothing.
 * Light or dark is the page's, sent by the app ({@link applyFrameTheme}).
 */
import "@observablehq/inspector/dist/inspector.css";
import "../theme.css";
import "../outputs.css";
import "./frame.css";
import type { FrameTheme } from "./protocol.ts";

/**
 * Shows the frame in `theme` (as theme.svelte.ts does in the page: `data-theme` on the root element
 * picks the half of each light-dark() pair).
 *
 * @example
 * applyFrameTheme(document, "dark");
 */
export function applyFrameTheme(doc: Document, theme: FrameTheme): void {
  doc.documentElement.dataset.theme = theme === "dark" ? "dark" : "light";
}
