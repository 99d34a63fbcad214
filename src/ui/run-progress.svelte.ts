/**
 * Progress of the current batch of runs ("3 of 7 cells done"): every node that became scheduled or
 * running since the notebook was last idle counts towards the total; the batch ends when none is left.
 */
import type { CellState } from "../runtime/index.ts";

/** Counts of one batch of runs. */
export class RunProgress {
  /** Nodes of the batch that have finished. */
  done = $state(0);
  /** Nodes in the batch; 0 when idle. */
  total = $state(0);
  /** Whether any node is scheduled or running. */
  busy = $derived(this.total > 0 && this.done < this.total);
  // Plain sets: only the counts above are shown.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #pending = new Set<string>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #batch = new Set<string>();

  /** Records a node's new state (undefined: the node was removed). */
  note(id: string, state: CellState | undefined): void {
    const waiting = state?.status === "stale" || state?.status === "running";
    if (waiting) {
      this.#pending.add(id);
      this.#batch.add(id);
    } else {
      this.#pending.delete(id);
      if (!state) this.#batch.delete(id);
    }
    if (this.#pending.size === 0) this.#batch.clear();
    this.total = this.#batch.size;
    this.done = this.#batch.size - this.#pending.size;
  }
}
