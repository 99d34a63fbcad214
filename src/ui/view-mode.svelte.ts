/**
 * Which view the page shows: the notebook (code, editors, cell actions) or the report (the same cells
 * as a document: Markdown, outputs and inputs, no code). Part of the page's state only: never saved in
 * the notebook file, but mirrored in the address as `?view=report` so a link opens in the report view.
 */
import { urlWithView, viewFromSearch, type ViewName } from "./view-url.ts";

/** The page's view, read from and written to the address bar. */
export class ViewMode {
  current = $state<ViewName>(viewFromSearch(location.search));
  /** Whether the report view is on. */
  report = $derived(this.current === "report");

  /**
   * Shows `view` and puts it in the address (replacing the history entry: switching views is not
   * navigation, and Back should leave the notebook rather than flip views).
   * @example
   * viewMode.set("report"); // location.search now has view=report
   */
  set(view: ViewName): void {
    this.current = view;
    const href = urlWithView(location.href, view);
    if (href !== location.href) history.replaceState(history.state, "", href);
  }

  /** Switches between the notebook and the report view. */
  toggle(): void {
    this.set(this.report ? "notebook" : "report");
  }
}

/** The one view mode of the page. */
export const viewMode = new ViewMode();
