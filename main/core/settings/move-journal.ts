import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileDurableSync } from '../durable/write-durable.ts';

/**
 * The steps of an archive move, in order. Which archive is in use is decided by settings.json
 * alone (switched or not); the journal says what to undo or finish after a crash.
 */
export const MOVE_STEPS = [
  'prepared', // journal written; the destination was checked empty
  'copying',
  'copied', // every file and folder fsynced
  'verified', // every archived file's written bytes match the index's SHA-256
  'switched', // settings.json names the new folder (durably)
  'audited', // archive.moved is in the audit log
  'deleted', // the old folder is gone; the journal goes next
] as const;
export type MoveStep = (typeof MOVE_STEPS)[number];

const journalSchema = z.object({
  from: z.string(),
  to: z.string(),
  /** Whether the move created the destination folder (a rollback then removes it too). */
  createdTo: z.boolean(),
  step: z.enum(MOVE_STEPS),
  startedAt: z.string(),
});
export type MoveJournal = z.infer<typeof journalSchema>;

/** `archive-move.json` in the data directory: present exactly while a move is unfinished. */
export class MoveJournalFile {
  readonly #file: string;

  constructor(dataDir: string) {
    this.#file = path.join(dataDir, 'archive-move.json');
  }

  read(): MoveJournal | null {
    let text: string;
    try {
      text = fs.readFileSync(this.#file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      return journalSchema.parse(JSON.parse(text));
    } catch (error) {
      throw new Error(
        `${this.#file} (an unfinished archive move) is unreadable: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  write(journal: MoveJournal): void {
    writeFileDurableSync(this.#file, JSON.stringify(journal, null, 2));
  }

  remove(): void {
    fs.rmSync(this.#file, { force: true });
  }
}
