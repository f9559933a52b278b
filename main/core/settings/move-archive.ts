import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../app-error.ts';
import { appendAudit } from '../audit/append-audit.ts';
import type { AuditActor } from '../audit/actions.ts';
import { archivedFiles } from '../db/recordings.ts';
import type { Db } from '../db/sqlite.ts';
import { syncFolderSync } from '../durable/write-durable.ts';
import type { ArchiverLock } from '../sync/archiver-lock.ts';
import type { FilesProgress } from '../contract/events.ts';
import { copyTreeDurable, treeSize } from './copy-tree.ts';
import { MoveJournalFile, type MoveJournal, type MoveStep } from './move-journal.ts';
import { isSameOrInside, resolveArchivePath } from './resolve-archive-path.ts';
import type { SettingsStore } from './settings-store.ts';
import { PRIVATE_DIR_MODE } from '../file-modes.ts';
import { holdArchiveForMove } from '../archive/readers-lock.ts';
import type { OsFileLock } from '../db/os-file-lock.ts';

export interface MoveArchiveDeps {
  db: Db;
  dataDir: string;
  store: SettingsStore;
  lock: ArchiverLock;
  actor: AuditActor;
  /**
   * Test seam (RECVAULT_TEST_MOVE_KILL_AFTER): the process kills itself with SIGKILL right after
   * this step, to prove a crash there loses nothing. 'copying' stops after the first file.
   */
  killAfter?: MoveStep | null;
  /** How far the copy has come: at most every PROGRESS_EVERY_MS, and once when it is whole. */
  onProgress?: (progress: FilesProgress) => void;
}

/** Progress is reported at most this often (a large archive copies for minutes). */
export const PROGRESS_EVERY_MS = 100;

/**
 * Moves the archive to `target` as a journaled operation that a crash at any point leaves with
 * the old or the new archive complete and in use: under the archiver lock, copy every file
 * (flushed), check every archived file's bytes against the index's SHA-256, switch settings.json
 * durably, and only then delete the old folder. The journal (archive-move.json) lets the next
 * start finish a switched move or roll back one that was not (recoverArchiveMove).
 */
export async function moveArchive(deps: MoveArchiveDeps, target: string): Promise<string> {
  const source = resolveArchivePath(deps.store.archiveDir);
  const destination = resolveArchivePath(target);
  if (destination === source) return source;
  if (isSameOrInside(destination, source)) {
    throw new AppError(
      'invalid_arguments',
      'The new archive folder cannot be inside the current one.',
    );
  }
  if (isSameOrInside(source, destination)) {
    throw new AppError(
      'invalid_arguments',
      'The new archive folder cannot contain the current one.',
    );
  }
  if (isSameOrInside(destination, resolveArchivePath(deps.dataDir))) {
    throw new AppError('invalid_arguments', 'The archive cannot be moved into the data directory.');
  }
  const release = deps.lock.acquireForMove();
  let readers: OsFileLock | null = null;
  try {
    readers = holdArchiveForMove(deps.dataDir);
    const journals = new MoveJournalFile(deps.dataDir);
    if (journals.read()) {
      throw new AppError(
        'conflict',
        'An earlier archive move is unfinished: restart Recvault to finish it.',
      );
    }
    const existing = await fs.promises
      .readdir(destination)
      .catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return null;
        throw error;
      });
    if (existing !== null && existing.length > 0) {
      throw new AppError(
        'conflict',
        `${destination} is not empty: choose an empty folder for the archive.`,
      );
    }
    const journal: MoveJournal = {
      from: source,
      to: destination,
      createdTo: existing === null,
      step: 'prepared',
      startedAt: new Date().toISOString(),
    };
    const step = (name: MoveStep) => {
      journal.step = name;
      journals.write(journal);
      if (deps.killAfter === name) process.kill(process.pid, 'SIGKILL');
    };
    step('prepared');
    await fs.promises.mkdir(destination, { recursive: true, mode: PRIVATE_DIR_MODE });
    syncFolderSync(path.dirname(destination));
    step('copying');
    let copied;
    try {
      let first = true;
      const total = await treeSize(source);
      const progress: FilesProgress = {
        filesDone: 0,
        filesTotal: total.files,
        bytesDone: 0,
        bytesTotal: total.bytes,
      };
      let lastSent = 0;
      const report = (force: boolean): void => {
        const now = Date.now();
        if (!deps.onProgress || (!force && now - lastSent < PROGRESS_EVERY_MS)) return;
        lastSent = now;
        deps.onProgress({ ...progress });
      };
      report(true);
      copied = await copyTreeDurable(
        source,
        destination,
        () => {
          if (first && deps.killAfter === 'copying') process.kill(process.pid, 'SIGKILL');
          first = false;
          progress.filesDone += 1;
          report(false);
        },
        (bytes) => {
          progress.bytesDone += bytes;
          report(false);
        },
      );
      // A file added while copying still counts: the last report never reads "more than all".
      progress.filesTotal = Math.max(progress.filesTotal, progress.filesDone);
      progress.bytesTotal = Math.max(progress.bytesTotal, progress.bytesDone);
      report(true);
      step('copied');
      const problems = verifyCopy(deps.db, copied.written);
      if (problems.length > 0) {
        throw new AppError(
          'storage',
          `The copy at ${destination} did not verify (${problems.slice(0, 3).join('; ')}${problems.length > 3 ? '; …' : ''}); the archive stays where it was.`,
        );
      }
    } catch (error) {
      await rollBack(journal);
      journals.remove();
      if (error instanceof AppError) throw error;
      throw new AppError(
        'storage',
        `Copying the archive to ${destination} failed (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); it stays where it was.`,
        { cause: error },
      );
    }
    step('verified');
    deps.store.update({ archiveDir: destination });
    step('switched');
    auditMove(deps, journal, { files: copied.files, bytes: copied.bytes });
    step('audited');
    await finishMove(journal);
    step('deleted');
    journals.remove();
    return destination;
  } finally {
    readers?.release();
    release();
  }
}

/**
 * At engine start: finishes a move whose switch was saved (deletes the old folder), or rolls
 * back one whose switch was not (removes the partial copy), so the archive in use is complete.
 * Does nothing while another process holds the archiver lock (its move may be running).
 */
export async function recoverArchiveMove(
  deps: MoveArchiveDeps,
): Promise<'finished' | 'rolled_back' | null> {
  const journals = new MoveJournalFile(deps.dataDir);
  const journal = journals.read();
  if (!journal) return null;
  if (deps.lock.tryAcquire() !== null) return null;
  try {
    if (resolveArchivePath(deps.store.archiveDir) === journal.to) {
      if (journal.step !== 'audited' && journal.step !== 'deleted') {
        auditMove(deps, journal, { recovered: true });
      }
      await finishMove(journal);
      journals.remove();
      return 'finished';
    }
    await rollBack(journal);
    journals.remove();
    return 'rolled_back';
  } finally {
    deps.lock.release();
  }
}

/** Every archived recording's file was copied, and its written bytes hash to the index's value. */
function verifyCopy(db: Db, written: Map<string, string>): string[] {
  const problems: string[] = [];
  for (const file of archivedFiles(db)) {
    const sha = written.get(file.relativePath.split(path.sep).join('/'));
    if (sha === undefined) problems.push(`${file.relativePath} missing`);
    else if (sha !== file.sha256) problems.push(`${file.relativePath} differs from the index`);
  }
  return problems;
}

function auditMove(
  deps: MoveArchiveDeps,
  journal: MoveJournal,
  details: Record<string, number | boolean>,
): void {
  appendAudit(deps.db, {
    actor: deps.actor,
    action: 'archive.moved',
    subject: 'archive',
    details: { from: journal.from, to: journal.to, ...details },
  });
}

/** The old folder goes last, once the new one is in use. */
async function finishMove(journal: MoveJournal): Promise<void> {
  await fs.promises.rm(journal.from, { recursive: true, force: true });
  if (fs.existsSync(path.dirname(journal.from))) syncFolderSync(path.dirname(journal.from));
}

/** Removes what the move copied; the destination was empty (or absent) when it began. */
async function rollBack(journal: MoveJournal): Promise<void> {
  for (const entry of await fs.promises.readdir(journal.to).catch(() => [])) {
    await fs.promises.rm(path.join(journal.to, entry), { recursive: true, force: true });
  }
  if (journal.createdTo) await fs.promises.rmdir(journal.to).catch(() => undefined);
}
