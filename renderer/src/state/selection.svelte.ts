/* eslint-disable svelte/prefer-svelte-reactivity -- sets here are immutable values: each change
   assigns a new one to a $state.raw field, which is what makes it reactive. */
/** How a click was modified: shift extends from the anchor, toggle is ctrl or cmd. */
export interface ClickModifiers {
  shift: boolean;
  toggle: boolean;
}

/**
 * Multi-selection over the library's loaded rows, by id so it survives pages being appended.
 * "Select all results" means every row the query matches, including pages not loaded yet, so it
 * is kept as a flag: an export then sends the query instead of ids.
 */
export class Selection {
  ids = $state.raw<ReadonlySet<number>>(new Set());
  allResults = $state(false);
  /** The row last clicked without shift: where a shift-click range starts. */
  anchorId = $state<number | null>(null);

  isSelected(id: number): boolean {
    return this.allResults || this.ids.has(id);
  }

  get isEmpty(): boolean {
    return !this.allResults && this.ids.size === 0;
  }

  /** How many rows are selected, given the query's total (for "all results"). */
  count(total: number | null, loaded: number): number {
    return this.allResults ? (total ?? loaded) : this.ids.size;
  }

  click(rowIds: readonly number[], index: number, modifiers: ClickModifiers): void {
    const id = rowIds[index];
    if (id === undefined) return;
    const current = this.allResults ? new Set(rowIds) : new Set(this.ids);
    this.allResults = false;
    if (modifiers.shift && this.anchorId !== null) {
      const anchorIndex = rowIds.indexOf(this.anchorId);
      const from = Math.min(anchorIndex < 0 ? index : anchorIndex, index);
      const to = Math.max(anchorIndex < 0 ? index : anchorIndex, index);
      const range = rowIds.slice(from, to + 1);
      // Shift alone replaces the selection with the range; with ctrl/cmd it adds the range.
      this.ids = new Set(modifiers.toggle ? [...current, ...range] : range);
      return;
    }
    if (modifiers.toggle) {
      if (current.has(id)) current.delete(id);
      else current.add(id);
      this.ids = current;
    } else {
      this.ids = new Set([id]);
    }
    this.anchorId = id;
  }

  selectAllResults(): void {
    this.allResults = true;
  }

  clear(): void {
    this.ids = new Set();
    this.allResults = false;
    this.anchorId = null;
  }

  /**
   * Drops selected ids that are not among `visibleIds` (after a filter hid them): an export
   * or a bulk action must never include rows the user can no longer see.
   */
  keepVisible(visibleIds: readonly number[]): void {
    if (this.allResults || this.ids.size === 0) return;
    const visible = new Set(visibleIds);
    const kept = [...this.ids].filter((id) => visible.has(id));
    if (kept.length === this.ids.size) return;
    this.ids = new Set(kept);
    if (this.anchorId !== null && !visible.has(this.anchorId)) this.anchorId = null;
  }

  /** Ids among the loaded rows (what a drag can carry). */
  loadedIds(rowIds: readonly number[]): number[] {
    return this.allResults ? [...rowIds] : rowIds.filter((id) => this.ids.has(id));
  }
}
