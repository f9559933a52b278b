import {
  LIBRARY_COLUMNS,
  LIBRARY_COLUMNS_DEFAULT,
  type LibraryColumn,
  type LibraryColumnsLayout,
} from '../../../main/core/contract/vocabulary.ts';

/** Key presses on a column edge come in bursts: saved once they pause. */
export const COLUMN_SAVE_DELAY_MS = 500;

/**
 * The library table's column widths and hidden columns. Kept in the engine's settings (not the
 * browser's storage: the bridge's origin changes every run), so they survive a restart. A
 * change shows at once as a draft and is saved when it is done (a drag let go, keys paused).
 */
export class LibraryColumns {
  #draft = $state.raw<LibraryColumnsLayout | null>(null);
  #timer: ReturnType<typeof setTimeout> | null = null;
  /** Why the last save failed, in words; null when it did not. */
  error = $state<string | null>(null);

  constructor(
    private readonly saved: () => LibraryColumnsLayout | undefined,
    private readonly save: (layout: LibraryColumnsLayout) => Promise<string | null>,
  ) {}

  get layout(): LibraryColumnsLayout {
    return this.#draft ?? this.saved() ?? LIBRARY_COLUMNS_DEFAULT;
  }

  isHidden(key: LibraryColumn): boolean {
    return this.layout.hidden.includes(key);
  }

  /** A width while dragging: shown now, saved by `commit`. */
  setWidth(key: LibraryColumn, px: number): void {
    this.#draft = { ...this.layout, widths: { ...this.layout.widths, [key]: px } };
  }

  /** Back to the width it starts with. */
  resetWidth(key: LibraryColumn): void {
    const widths = { ...this.layout.widths };
    delete widths[key];
    this.#draft = { ...this.layout, widths };
    void this.commit();
  }

  /** The columns and widths it starts with. */
  resetAll(): void {
    this.#draft = LIBRARY_COLUMNS_DEFAULT;
    void this.commit();
  }

  /** Hides or shows a column; the last one shown stays (a table needs one). */
  setHidden(key: LibraryColumn, hidden: boolean): void {
    const others = this.layout.hidden.filter((k) => k !== key);
    const next = hidden ? [...others, key] : others;
    if (next.length >= LIBRARY_COLUMNS.length) return;
    // In the table's order, so the saved settings read the same whatever the clicks' order.
    this.#draft = { ...this.layout, hidden: LIBRARY_COLUMNS.filter((k) => next.includes(k)) };
    void this.commit();
  }

  /** Saves after a pause (key presses on a column edge). */
  commitSoon(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.commit();
    }, COLUMN_SAVE_DELAY_MS);
  }

  /** Saves the draft; it stays on screen (with the error) when the save fails. */
  async commit(): Promise<void> {
    const draft = this.#draft;
    if (draft === null) return;
    const error = await this.save(draft);
    this.error = error === null ? null : `The column layout was not saved: ${error}`;
    // Dropped only if nothing changed meanwhile: the saved settings now say the same.
    if (error === null && this.#draft === draft) this.#draft = null;
  }
}
