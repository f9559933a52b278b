import type { IdParseResult, ParsedIdRow } from '../../../main/core/contract/types.ts';
import { call, describeFailure } from '../lib/failure.ts';
import type { ApiOf } from './types.ts';

export const PARSE_DELAY_MS = 300;
/** The most an import may hold; idsParse accepts 20 MB of text. */
export const MAX_IMPORT_BYTES = 20_000_000;

/**
 * Ids typed, pasted, picked from a CSV/TXT file or dropped on the window. The text (never a
 * path) goes to `idsParse`; its rows and per-line errors are kept. Only the newest parse counts.
 */
export class IdImport {
  text = $state('');
  fileName = $state<string | null>(null);
  wantUserId = $state(false);
  /** The user id for rows without one: lines lacking one are then not errors. */
  defaultUserId = $state('');
  rows = $state.raw<ParsedIdRow[]>([]);
  errors = $state.raw<IdParseResult['errors']>([]);
  parsing = $state(false);
  /** The request failed as a whole (as opposed to per-line errors). */
  failure = $state<string | null>(null);

  private generation = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly api: ApiOf<'idsParse'>) {}

  /** Text typed or pasted: parsed after a short pause. */
  setText(text: string): void {
    this.text = text;
    this.fileName = null;
    this.schedule();
  }

  setWantUserId(want: boolean): void {
    this.wantUserId = want;
    this.schedule(0);
  }

  setDefaultUserId(userId: string): void {
    if (userId === this.defaultUserId) return;
    this.defaultUserId = userId;
    this.schedule();
  }

  /**
   * After a start that took the good lines: only the refused lines stay in the box (with their
   * reasons), so no id is lost silently.
   */
  keepRejected(): void {
    // Local lookups, not state.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const refused = new Set(this.errors.map((error) => error.line));
    if (refused.size === 0) {
      this.clear();
      return;
    }
    const lines = this.text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
    // A CSV's header line (neither an id nor refused) stays, so the columns still mean the same.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const taken = new Set(this.rows.map((row) => row.line));
    const kept = lines.filter(
      (line, index) =>
        refused.has(index + 1) ||
        (index === 0 && line.trim() !== '' && !taken.has(1) && /[,;\t]/.test(line)),
    );
    this.text = kept.join('\n');
    this.fileName = null;
    void this.parseNow();
  }

  /** Reads a picked or dropped file in the renderer and parses its text. */
  async loadFile(file: File): Promise<void> {
    if (file.size > MAX_IMPORT_BYTES) {
      this.failure = `${file.name} is too large to import (over 20 MB).`;
      return;
    }
    try {
      this.text = await readAsText(file);
    } catch {
      this.failure = `Could not read ${file.name}.`;
      return;
    }
    this.fileName = file.name;
    await this.parseNow();
  }

  clear(): void {
    this.cancelTimer();
    this.generation++;
    this.text = '';
    this.fileName = null;
    this.rows = [];
    this.errors = [];
    this.failure = null;
    this.parsing = false;
  }

  async parseNow(): Promise<void> {
    this.cancelTimer();
    const generation = ++this.generation;
    if (this.text.trim() === '') {
      this.rows = [];
      this.errors = [];
      this.failure = null;
      this.parsing = false;
      return;
    }
    this.parsing = true;
    const result = await call(() =>
      this.api.idsParse({
        text: this.text,
        fileName: this.fileName,
        wantUserId: this.wantUserId,
        ...(this.wantUserId && this.defaultUserId.trim()
          ? { defaultUserId: this.defaultUserId.trim() }
          : {}),
      }),
    );
    if (generation !== this.generation) return; // the text changed meanwhile
    this.parsing = false;
    if (result.ok) {
      this.rows = result.value.rows;
      this.errors = result.value.errors;
      this.failure = null;
    } else {
      this.rows = [];
      this.errors = [];
      this.failure = describeFailure(result);
    }
  }

  private schedule(delay = PARSE_DELAY_MS): void {
    this.cancelTimer();
    this.parsing = this.text.trim() !== '';
    this.timer = setTimeout(() => void this.parseNow(), delay);
  }

  private cancelTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

function readAsText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ''));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsText(file);
  });
}

/** Whether a dropped or picked file looks like an id list. */
export function isIdListFile(file: File): boolean {
  return (
    /\.(csv|txt|tsv)$/i.test(file.name) || file.type === 'text/csv' || file.type === 'text/plain'
  );
}
