/**
 * The text being edited in each cell, wherever it lives: a plain draft string until Monaco has loaded,
 * then one Monaco model per cell. The models belong to the notebook (this object), not to editor
 * components, so undo history and unsaved edits survive a component being re-created.
 */
import type { editor } from "monaco-editor/editor";
import type { Cell } from "../../notebook/index.ts";
import { loadMonaco, type MonacoApi } from "./load-monaco.ts";

const EXTENSIONS: Record<Cell["kind"], string> = { ts: "ts", js: "js", sql: "sql", md: "md" };

/** Editing state of every cell of one notebook. */
export class CellEditors {
  /** Monaco, once loaded; until then editors show a plain textarea. */
  monaco = $state.raw<MonacoApi | undefined>(undefined);
  /** Why Monaco failed to load, if it did (the textarea then stays). */
  loadError = $state<string | undefined>(undefined);
  /** Text typed into the fallback textarea, by cell id (absent: the cell's saved source). */
  drafts = $state<Record<string, string>>({});
  // Not reactive on purpose: models are Monaco's own observable objects, read only by editors.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #models = new Map<string, editor.ITextModel>();
  /**
   * Bumped per cell on every change of its Monaco model, so {@link text} is reactive: the "edited"
   * mark and the autosave (the notebook as on screen) follow typing, not only commits.
   */
  #changes = $state<Record<string, number>>({});

  #loading: Promise<void> | undefined;
  #turns: Promise<void> = Promise.resolve();

  /** Loads Monaco (once: later calls share the first load); editors switch over when it arrives. */
  load(): Promise<void> {
    this.#loading ??= (async () => {
      try {
        this.monaco = await loadMonaco();
      } catch (error) {
        this.loadError = error instanceof Error ? error.message : String(error);
      }
    })();
    return this.#loading;
  }

  /**
   * Resolves when the caller may create its Monaco editor: one editor per task, in call order. Creating
   * every cell's editor in the same task when Monaco arrives held the page for ~265 ms; one at a time,
   * input and rendering get their turn between editors.
   */
  turn(): Promise<void> {
    const mine = this.#turns.then(() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
    this.#turns = mine;
    return mine;
  }

  /** The cell's Monaco model, made on first use from the draft or the saved source. Needs Monaco. */
  model(cell: Cell): editor.ITextModel {
    const api = this.monaco;
    if (!api) throw new Error("CellEditors.model: Monaco is not loaded yet; show the textarea until `monaco` is set");
    let model = this.#models.get(cell.id);
    if (!model || model.isDisposed()) {
      const uri = api.monaco.Uri.parse(`inmemory://segbook/cell-${cell.id}.${EXTENSIONS[cell.kind]}`);
      model = api.monaco.editor.createModel(this.drafts[cell.id] ?? cell.source, api.LANGUAGES[cell.kind], uri);
      this.#models.set(cell.id, model);
      const id = cell.id;
      model.onDidChangeContent(() => (this.#changes[id] = (this.#changes[id] ?? 0) + 1));
    }
    return model;
  }

  /** The text currently in the cell's editor (model, draft or saved source). */
  text(cell: Cell): string {
    void this.#changes[cell.id];
    return this.#models.get(cell.id)?.getValue() ?? this.drafts[cell.id] ?? cell.source;
  }

  /**
   * Whether the cell's editor holds text that differs from its committed source (typed, not run).
   * Reactive, like {@link text}.
   *
   * @example
   * nb.editors.isEdited(cell); // true after typing in the cell, false again once it runs
   */
  isEdited(cell: Cell): boolean {
    return this.text(cell) !== cell.source;
  }

  /**
   * Puts `text` in the cell's editor without committing it (a restored edit that was never run).
   *
   * @example
   * editors.setDraft(cell, "const factor = 7;"); // shows as edited, runs only when the user runs it
   */
  setDraft(cell: Cell, text: string): void {
    const model = this.#models.get(cell.id);
    if (model && !model.isDisposed()) model.setValue(text);
    else this.drafts[cell.id] = text;
  }

  /** Puts the saved source back into the editor (an edit was cancelled). */
  revert(cell: Cell): void {
    delete this.drafts[cell.id];
    const model = this.#models.get(cell.id);
    if (model && model.getValue() !== cell.source) model.setValue(cell.source);
  }

  /** Releases the models of cells that are no longer in the notebook. */
  retain(keep: (id: string) => boolean): void {
    for (const [id, model] of this.#models) {
      if (keep(id)) continue;
      model.dispose();
      this.#models.delete(id);
      delete this.drafts[id];
    }
  }

  /** Releases every model (the notebook is closed). */
  dispose(): void {
    this.retain(() => false);
  }
}
