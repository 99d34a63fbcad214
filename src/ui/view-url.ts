/**
 * The page's view in its address: `?view=report` opens the notebook as a report (a document for
 * stakeholders: Markdown, outputs and inputs, no code); no `view` parameter means the notebook view.
 * Pure functions of URL text, so the state class (view-mode.svelte.ts) and tests share them.
 */

/** How the notebook is shown. */
export type ViewName = "notebook" | "report";

/** The query parameter that names the view. */
export const VIEW_PARAM = "view";

/**
 * The view a query string asks for; anything but `report` is the notebook view.
 * @example
 * viewFromSearch("?notebook=notebooks/rfm.md&view=report"); // "report"
 */
export function viewFromSearch(search: string): ViewName {
  return new URLSearchParams(search).get(VIEW_PARAM) === "report" ? "report" : "notebook";
}

/**
 * `href` showing `view`: `view=report` set or removed, every other parameter and the fragment (a
 * `#nb=` share link) kept as they are.
 * @example
 * urlWithView("https://x.org/app/?notebook=a.md#nb=eJw", "report"); // "https://x.org/app/?notebook=a.md&view=report#nb=eJw"
 */
export function urlWithView(href: string, view: ViewName): string {
  const url = new URL(href);
  if (view === "report") url.searchParams.set(VIEW_PARAM, "report");
  else url.searchParams.delete(VIEW_PARAM);
  return url.href;
}
