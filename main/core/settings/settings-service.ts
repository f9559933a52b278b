import { AppError } from '../app-error.ts';
import { appendAudit } from '../audit/append-audit.ts';
import type { AuditActor } from '../audit/actions.ts';
import type { SettingsView } from '../contract/types.ts';
import type { Db } from '../db/sqlite.ts';
import { moveArchive } from './move-archive.ts';
import type { Settings, SettingsStore } from './settings-store.ts';

/** What changing the settings needs of the running sync jobs. */
export interface SyncControl {
  setConcurrency(limit: number): void;
  anyRunning(): boolean;
}

export interface SettingsServiceDeps {
  db: Db;
  store: SettingsStore;
  jobs: SyncControl;
  actor: AuditActor;
}

export type SettingsChange = Partial<Omit<Settings, 'archiveDir'>> & { archiveDir?: string };

/** The user's preferences; moving the archive copies, re-hashes and audits before it switches. */
export class SettingsService {
  readonly #deps: SettingsServiceDeps;

  constructor(deps: SettingsServiceDeps) {
    this.#deps = deps;
  }

  view(): SettingsView {
    return this.#deps.store.view();
  }

  async update({ archiveDir, ...rest }: SettingsChange): Promise<SettingsView> {
    const { db, store, jobs, actor } = this.#deps;
    if (rest.concurrency) jobs.setConcurrency(rest.concurrency);
    if (archiveDir !== undefined && archiveDir !== store.archiveDir) {
      if (jobs.anyRunning()) {
        throw new AppError(
          'busy',
          'Pause or finish the running sync jobs before moving the archive.',
        );
      }
      await moveArchive(db, store.archiveDir, archiveDir);
      store.update({ archiveDir });
      appendAudit(db, {
        actor,
        action: 'archive.moved',
        subject: 'archive',
        details: { to: archiveDir },
      });
    }
    return store.update(rest);
  }
}
