/**
 * The export card: what a cell shows for a `seg.export` result. File name, format, rows, columns,
 * size, what the notebook's privacy rules left out or masked, a Download button for the file and one
 * for its manifest, and the manifest itself on demand.
 *
 * Plain DOM from the value alone (no Svelte, no app state), so it can render wherever cell outputs
 * live. The card never downloads by itself: a click asks a {@link DownloadTrigger}, which the app
 * provides (today the page's own download; for outputs in a sandboxed frame, a message to the app).
 */
import "./export-card.css";
import { fileSize, privacyNotes } from "../../seg/export-summary.ts";
import type { ExportResult, PreparedFile } from "../../seg/export.ts";

/** Starts the download of one prepared file; the only way a card gets bytes onto the user's disk. */
export interface DownloadTrigger {
  /** Downloads `file` (the user clicked); throws with a sentence to show when it cannot. */
  download(file: PreparedFile): void;
  /**
   * Calls `withdrawn` once `file` is no longer current (its cell re-runs or is removed), so the card
   * can stop offering stale bytes; returns what stops watching. Optional: a trigger that cannot tell
   * leaves the card as it is.
   */
  watch?(file: PreparedFile, withdrawn: () => void): () => void;
}

const FORMAT_LABELS: Record<string, string> = { csv: "CSV", parquet: "Parquet" };

function element<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  className: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** `4,312 rows · 6 columns · 182 KB · 4 segments`. */
function factsLine(result: ExportResult): string {
  const { manifest, file } = result;
  const plural = (n: number, noun: string) => `${n.toLocaleString("en-US")} ${noun}${n === 1 ? "" : "s"}`;
  const parts = [
    plural(manifest.rows, "row"),
    plural(manifest.columns.length, "column"),
    fileSize(file.bytes.byteLength),
  ];
  if (manifest.segmentCounts) parts.push(plural(Object.keys(manifest.segmentCounts).length, "segment"));
  return parts.join(" · ");
}

/**
 * Renders the card for `result`; clicks on its buttons go to `trigger`. Returns the card and what
 * releases it (stops watching for the export being replaced).
 * @example
 * const { card, release } = exportCard(await seg.export(t, { file: "segments.csv" }), pageDownloads(document));
 * output.append(card);
 */
export function exportCard(
  result: ExportResult,
  trigger: DownloadTrigger,
  doc: Document = document,
): { card: HTMLElement; release: () => void } {
  const { manifest, file, manifestFile } = result;
  const card = element(doc, "div", "export-card");
  card.dataset.exportCard = file.name;

  const head = element(doc, "div", "export-card-head");
  head.append(
    element(doc, "span", "export-card-format", FORMAT_LABELS[manifest.format] ?? manifest.format.toUpperCase()),
    element(doc, "span", "export-card-name", file.name),
  );
  const facts = element(doc, "div", "export-card-facts", factsLine(result));
  card.append(head, facts);

  const notes = privacyNotes(manifest);
  if (notes.length) {
    const list = element(doc, "ul", "export-card-privacy");
    list.setAttribute("aria-label", "Privacy");
    for (const note of notes) list.append(element(doc, "li", "", note));
    card.append(list);
  }

  const actions = element(doc, "div", "export-card-actions");
  const status = element(doc, "span", "export-card-status");
  status.setAttribute("role", "status");
  const button = (target: PreparedFile, label: string, className: string, action: string) => {
    const b = element(doc, "button", `tool ${className}`, label);
    b.type = "button";
    b.dataset.action = action;
    b.title = `Download ${target.name} (${fileSize(target.bytes.byteLength)})`;
    b.addEventListener("click", () => {
      try {
        trigger.download(target);
        status.textContent = `${target.name}: download started`;
        status.classList.remove("error");
      } catch (error) {
        status.textContent = error instanceof Error ? error.message : String(error);
        status.classList.add("error");
      }
    });
    return b;
  };
  const buttons = [
    button(file, "Download", "export-card-download", "download-export"),
    button(manifestFile, "Manifest (.json)", "export-card-manifest", "download-manifest"),
  ];
  actions.append(...buttons, status);
  card.append(actions);

  const details = element(doc, "details", "export-card-details");
  details.append(
    element(doc, "summary", "", "Manifest"),
    element(doc, "pre", "export-card-json", JSON.stringify(manifest, null, 2)),
  );
  card.append(details);

  const release = trigger.watch?.(file, () => {
    for (const b of buttons) b.disabled = true;
    card.classList.add("withdrawn");
    status.classList.remove("error");
    status.textContent = "Being made again: its cell is re-running";
  });
  return { card, release: release ?? (() => {}) };
}
