/**
 * The sandbox frame follows the page's theme (stage 4 of docs/sandbox.md): the theme on screen is
 * sent to the frame now and again on every change (the toggle, or the system's preference when the
 * user picked none).
 */
import { theme as pageTheme, type Theme } from "../theme.svelte.ts";
import type { FrameTheme } from "./protocol.ts";

/**
 * Keeps `sandbox` in `theme`'s light or dark; returns what stops following.
 *
 * @example
 * const stop = followTheme(sandboxFrame);
 */
export function followTheme(sandbox: { setTheme(theme: FrameTheme): void }, theme: Theme = pageTheme): () => void {
  return $effect.root(() => {
    $effect(() => sandbox.setTheme(theme.current));
  });
}
