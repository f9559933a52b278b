// Renames an archive made with the escaped names of earlier versions (`rec_5fdemo_5f0001.wav`)
// to readable names (`rec_demo_0001.wav`) in place, once, when the engine opens: each file and
// its sidecar in the same folder, the index's paths with them, each rename audited.
//
// Crash-safe without a journal: the index row keeps the old path until the last step, and every
// step can be redone, so a killed run leaves a state the next run finishes:
//   1. write the new sidecar (atomically; its file.relativePath is the new name), from the old
//      sidecar, or from the new one when a run already got past step 3;
//   2. rename the media file (atomic in one folder); a run killed after it finds only the new;
//   3. remove the old sidecar;
//   4. one transaction: the index row (and the vault queue) to the new path, and its audit entry.
// Until step 4 the old path is what the index says; a run that finds the old media gone and the
// new there knows step 2 was done. Nothing is deleted but the old sidecar, once its content is
// in the new one.
import { readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { appendAudit } from '../audit/append-audit.ts';
import {
  archivedFiles,
  archiveNamesScheme,
  idsWithoutFile,
  LEGACY_NAMES,
  moveRecordingPath,
  READABLE_NAMES,
  setArchiveNamesScheme,
  type ArchivedFileRow,
} from '../db/archive-names.ts';
import { getRecording } from '../db/recordings.ts';
import type { Db } from '../db/sqlite.ts';
import { inTransaction } from '../db/transaction.ts';
import type { OsFileLock } from '../db/os-file-lock.ts';
import type { ArchiverLock } from '../sync/archiver-lock.ts';
import { remoteFromRow } from '../sync/remote-from-row.ts';
import { discardPartial } from './download.ts';
import { fsyncDir, rootExists, writeFileAtomic } from './fs-util.ts';
import { resolveInsideArchive } from './inside-archive.ts';
import {
  legacyRelativePathForRecording,
  readableStem,
  relativePathForRecording,
} from './layout.ts';
import { holdArchiveForMove } from './readers-lock.ts';
import { sidecarPathFor } from './sidecar.ts';

export const RENAME_STEPS = ['sidecar', 'media', 'old-sidecar', 'indexed'] as const;
export type RenameStep = (typeof RENAME_STEPS)[number];

export interface RenameDeps {
  db: Db;
  archiveDir: string;
  dataDir: string;
  /** Held for the pass: no sync of this or another process writes meanwhile. */
  lock: ArchiverLock;
  /**
   * Test seam (RECVAULT_TEST_RENAME_KILL_AFTER=`<n>:<step>`): the process kills itself with
   * SIGKILL right after that step of the n-th file it renames.
   */
  killAfter?: string | undefined;
}

export interface RenameReport {
  /** Whether the pass ran (false: already done, or another process holds the archive). */
  ran: boolean;
  renamed: number;
  /** Files left under their old names, and why (the index still names them correctly). */
  problems: { recordingId: number; path: string; reason: string }[];
}

/** The readable path for an indexed file: the same folder, the id as the name, its extension. */
export function readablePathFor(row: Pick<ArchivedFileRow, 'remoteId' | 'localPath'>): string {
  const slash = row.localPath.lastIndexOf('/');
  const name = row.localPath.slice(slash + 1);
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot) : '';
  return `${row.localPath.slice(0, slash + 1)}${readableStem(row.remoteId)}${ext}`;
}

export async function renameToReadableNames(deps: RenameDeps): Promise<RenameReport> {
  const { db } = deps;
  const report: RenameReport = { ran: false, renamed: 0, problems: [] };
  if (archiveNamesScheme(db) === READABLE_NAMES) return report;
  // An archive drive that is not connected: its files are renamed when it is back.
  if (!(await rootExists(deps.archiveDir))) return report;
  // Another process syncing, moving or exporting: it reads the old names; rename next time.
  if (deps.lock.held || deps.lock.tryAcquire() !== null) return report;
  let readers: OsFileLock;
  try {
    readers = holdArchiveForMove(deps.dataDir);
  } catch {
    deps.lock.release();
    return report;
  }
  try {
    report.ran = true;
    let retryLater = false;
    const kill = parseKill(deps.killAfter);
    for (const row of archivedFiles(db)) {
      const to = readablePathFor(row);
      if (to === row.localPath) continue;
      let problem: string | null;
      try {
        problem = await renameOne(deps, row, to, (step) => {
          if (kill && kill.n === report.renamed + 1 && kill.step === step) {
            process.kill(process.pid, 'SIGKILL');
          }
        });
      } catch (error) {
        // A disk error: this file keeps its old name (the index still finds it) and the pass
        // runs again at the next start.
        retryLater = true;
        problem = `Not renamed: ${(error as Error).message}`;
      }
      if (problem)
        report.problems.push({ recordingId: row.id, path: row.localPath, reason: problem });
      else report.renamed++;
    }
    await discardLegacyPartials(deps);
    inTransaction(db, () => {
      if (report.renamed > 0 || report.problems.length > 0) {
        appendAudit(db, {
          actor: 'system',
          action: 'archive.renamed',
          details: {
            renamed: report.renamed,
            keptOldName: report.problems.map((p) => ({ recording: p.recordingId, path: p.path })),
          },
        });
      }
      if (!retryLater) setArchiveNamesScheme(db, READABLE_NAMES);
    });
    return report;
  } finally {
    readers.release();
    deps.lock.release();
  }
}

/**
 * After the index was rebuilt from an archive's sidecars: an archive restored from an older
 * version brings its old names back into the index, so the rename runs again (now, or at the
 * next start if another process holds the archive).
 */
export async function renameAfterReindex(deps: RenameDeps): Promise<RenameReport | null> {
  const old = archivedFiles(deps.db).some((row) => readablePathFor(row) !== row.localPath);
  if (!old) return null;
  setArchiveNamesScheme(deps.db, LEGACY_NAMES);
  return renameToReadableNames(deps);
}

/** One file and its sidecar; returns why it kept its old name, or null when renamed. */
async function renameOne(
  deps: RenameDeps,
  row: ArchivedFileRow,
  to: string,
  after: (step: RenameStep) => void,
): Promise<string | null> {
  const root = deps.archiveDir;
  const oldMedia = await resolveInsideArchive(root, row.localPath);
  const newMedia = await resolveInsideArchive(root, to);
  const oldSidecar = await resolveInsideArchive(root, sidecarPathFor(row.localPath));
  const newSidecar = await resolveInsideArchive(root, sidecarPathFor(to));
  const oldThere = await isFile(oldMedia);
  const newThere = await isFile(newMedia);
  if (oldThere && newThere) {
    return `Both ${row.localPath} and ${to} exist; neither was touched.`;
  }
  // Neither there (a recording only the team vault holds, or a file Verify reports missing):
  // the index and the sidecar take the new name, so a copy fetched later lands under it.

  // 1. The new sidecar, from the old one (or from the new, when a killed run removed the old).
  const source = (await isFile(oldSidecar))
    ? oldSidecar
    : (await isFile(newSidecar))
      ? newSidecar
      : null;
  if (source !== null) {
    let sidecar: { file?: { relativePath?: unknown } };
    try {
      sidecar = JSON.parse(await readFile(source, 'utf8')) as typeof sidecar;
    } catch (error) {
      return `Its sidecar cannot be read (${(error as Error).message}); run Verify.`;
    }
    if (!sidecar.file || ![row.localPath, to].includes(String(sidecar.file.relativePath))) {
      return `Its sidecar describes another file (${String(sidecar.file?.relativePath)}).`;
    }
    sidecar.file.relativePath = to;
    await writeFileAtomic(newSidecar, JSON.stringify(sidecar, null, 2) + '\n');
  }
  after('sidecar');

  // 2. The media file: one rename in one folder, so it is under one name or the other.
  if (oldThere) {
    await rename(oldMedia, newMedia);
    await fsyncDir(path.dirname(newMedia));
  }
  after('media');

  // 3. The old sidecar, whose content is now in the new one.
  if (source !== null) await rm(oldSidecar, { force: true });
  after('old-sidecar');

  // 4. The index, with its audit entry.
  inTransaction(deps.db, () => {
    const moved = moveRecordingPath(deps.db, row.id, row.localPath, to, {
      from: sidecarPathFor(row.localPath),
      to: sidecarPathFor(to),
    });
    if (!moved) return;
    appendAudit(deps.db, {
      actor: 'system',
      action: 'recording.renamed',
      subject: `recording:${row.id}`,
      details: { from: row.localPath, to, reason: 'readable file names' },
    });
  });
  after('indexed');
  return null;
}

/** A download interrupted under the old name restarts under the new: its `.part` goes. */
async function discardLegacyPartials(deps: RenameDeps): Promise<void> {
  for (const id of idsWithoutFile(deps.db)) {
    const recording = getRecording(deps.db, id);
    if (!recording) continue;
    const remote = remoteFromRow(recording);
    const accountKey = String(recording.accountId);
    const legacy = legacyRelativePathForRecording(remote, accountKey);
    if (legacy === relativePathForRecording(remote, accountKey)) continue;
    await discardPartial(deps.archiveDir, legacy).catch(() => {});
  }
}

async function isFile(absolute: string): Promise<boolean> {
  return (await stat(absolute).catch(() => null))?.isFile() ?? false;
}

function parseKill(value: string | undefined): { n: number; step: RenameStep } | null {
  const match = /^(\d+):([a-z-]+)$/.exec(value ?? '');
  if (!match) return null;
  const step = match[2] as RenameStep;
  return RENAME_STEPS.includes(step) ? { n: Number(match[1]), step } : null;
}
