import { AppError } from '../app-error.ts';
import type { AuditActor } from '../audit/actions.ts';
import type { LastExportSettings, SettingsView } from '../contract/types.ts';
import type { Db } from '../db/sqlite.ts';
import type { ArchiverLock } from '../sync/archiver-lock.ts';
import { moveArchive, recoverArchiveMove, type MoveArchiveDeps } from './move-archive.ts';
import { MOVE_STEPS, type MoveStep } from './move-journal.ts';
import type { Settings, SettingsStore } from './settings-store.ts';

/** What changing the settings needs of the running sync jobs. */
export interface SyncControl {
  setConcurrency(limit: number): void;
  /** The running sync jobs, named for a message ("sync job 3 (Main)"). */
  running(): string[];
}

export interface SettingsServiceDeps {
  db: Db;
  dataDir: string;
  store: SettingsStore;
  jobs: SyncControl;
  /** The running exports, named for a message; a move waits for them. */
  exports: { running(): string[] };
  lock: ArchiverLock;
  actor: AuditActor;
  /** Where the archive move's progress goes (the `archiveMoveProgress` event). */
  onMoveProgress?: MoveArchiveDeps['onProgress'];
  /** Test seam: the archive move kills its process after this step (see MoveArchiveDeps). */
  killMoveAfter?: string | undefined;
}

export type SettingsChange = Partial<Omit<Settings, 'archiveDir'>> & { archiveDir?: string };

/** The user's preferences; moving the archive is a journaled move (move-archive.ts). */
export class SettingsService {
  readonly #deps: SettingsServiceDeps;

  constructor(deps: SettingsServiceDeps) {
    this.#deps = deps;
  }

  view(): SettingsView {
    return this.#deps.store.view();
  }

  async update({ archiveDir, ...rest }: SettingsChange): Promise<SettingsView> {
    const { store, jobs, exports } = this.#deps;
    if (rest.concurrency) jobs.setConcurrency(rest.concurrency);
    if (archiveDir !== undefined && archiveDir !== store.archiveDir) {
      const busy = [...jobs.running(), ...exports.running()];
      if (busy.length > 0) {
        throw new AppError(
          'busy',
          `Pause or finish these before moving the archive: ${busy.join(', ')}.`,
        );
      }
      await moveArchive(this.#moveDeps(), archiveDir);
    }
    return store.update(rest);
  }

  /** An export started: its destination and options become the dialog's defaults. */
  rememberExport(last: LastExportSettings): void {
    this.#deps.store.rememberExport(last);
  }

  /** At start: finishes or rolls back a move a crash interrupted. */
  recoverMove(): Promise<'finished' | 'rolled_back' | null> {
    return recoverArchiveMove(this.#moveDeps());
  }

  #moveDeps(): MoveArchiveDeps {
    const { db, dataDir, store, lock, actor, killMoveAfter, onMoveProgress } = this.#deps;
    const killAfter = MOVE_STEPS.includes(killMoveAfter as MoveStep)
      ? (killMoveAfter as MoveStep)
      : null;
    return { db, dataDir, store, lock, actor, killAfter, onProgress: onMoveProgress };
  }
}
