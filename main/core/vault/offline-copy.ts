import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { realArchiveRoot } from '../archive/inside-archive.ts';
import { fsyncDir, mkdirBelowRoot, writeFileAtomic } from '../archive/fs-util.ts';
import { parseSidecar, sidecarPathFor } from '../archive/sidecar.ts';
import { appendAudit } from '../audit/append-audit.ts';
import type { AuditActor } from '../audit/actions.ts';
import { AppError } from '../app-error.ts';
import type { VaultFetchResult } from '../contract/vault.ts';
import { sha256FileSized } from '../convert/sha256.ts';
import type { Recording } from '../db/recording-row.ts';
import type { Db } from '../db/sqlite.ts';
import { syncFile } from '../durable/write-durable.ts';
import { PRIVATE_FILE_MODE } from '../file-modes.ts';
import { resolveMedia } from '../media/resolve-media.ts';
import type { VaultMediaObject, VaultReader } from './read-object.ts';

export interface OfflineCopyDeps {
  db: Db;
  reader: VaultReader;
  archiveDir: () => string;
  actor: AuditActor;
  recording: (id: number) => Recording;
  /** The library shows the recording as local from now on. */
  changed?: (recordingIds: number[]) => void;
}

/**
 * Writes a vault object to `file`: streamed (never held whole), hashed against the index as it
 * comes, to a temp name beside it that is renamed only when every byte matched. `durable`
 * flushes the file and its folder, for a copy that becomes part of the archive.
 */
export async function writeObjectToFile(
  reader: VaultReader,
  object: VaultMediaObject,
  file: string,
  options: { durable: boolean; signal?: AbortSignal },
): Promise<void> {
  const temp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.tmp-${randomBytes(6).toString('hex')}`,
  );
  try {
    await pipeline(
      await reader.whole(object),
      fs.createWriteStream(temp, { flags: 'wx', mode: PRIVATE_FILE_MODE }),
      ...(options.signal ? [{ signal: options.signal }] : []),
    );
    if (options.durable) await syncFile(temp);
    await fs.promises.rename(temp, file);
  } catch (error) {
    await fs.promises.rm(temp, { force: true });
    throw error;
  }
  if (options.durable) await fsyncDir(path.dirname(file));
}

/**
 * An offline copy of a recording another officer put in the team vault: its media object
 * downloaded into this archive at the index's own path (durably, SHA-256 and size checked
 * against the index), its sidecar beside it when missing, and an audit entry saying where the
 * bytes came from. A local file already there with the right hash is kept; one with another
 * hash is never replaced (it is evidence: run recvault verify).
 */
export async function keepOfflineCopy(
  deps: OfflineCopyDeps,
  recordingId: number,
): Promise<VaultFetchResult> {
  const recording = deps.recording(recordingId);
  const media = await resolveMedia(deps.archiveDir(), recording, deps.reader);
  const answer = {
    recordingId,
    remoteId: recording.remoteId,
    localPath: recording.localPath!,
    sha256: recording.sha256!,
  };
  if (media.where === 'local') {
    const local = await sha256FileSized(media.absolutePath).catch(() => null);
    if (!local) {
      throw new AppError(
        'not_found',
        `Recording ${recording.remoteId} (id ${recordingId}) has no local copy, and no team vault is set up to copy it from.`,
      );
    }
    if (local.sha256 !== recording.sha256) {
      throw new AppError(
        'conflict',
        `Recording ${recording.remoteId} (id ${recordingId}): the local file ${recording.localPath} does not match the index, so it was not replaced. Run "recvault verify".`,
      );
    }
    return { ...answer, bytes: local.bytes, alreadyLocal: true };
  }
  const { object } = media;
  const root = await realArchiveRoot(deps.archiveDir());
  await mkdirBelowRoot(root, path.posix.dirname(recording.localPath!));
  await writeObjectToFile(deps.reader, object, media.absolutePath, { durable: true });
  await writeSidecarIfMissing(deps, recording, object);
  appendAudit(deps.db, {
    actor: deps.actor,
    action: 'recording.copied_from_vault',
    subject: `recording:${recordingId}`,
    details: {
      objectKey: object.key,
      bucket: object.bucket,
      sha256: object.sha256,
      bytes: object.size,
      localPath: recording.localPath!,
    },
  });
  deps.changed?.([recordingId]);
  return { ...answer, bytes: object.size, alreadyLocal: false };
}

/** The vault's sidecar, when it describes exactly these bytes at this path (a reindex needs it). */
async function writeSidecarIfMissing(
  deps: OfflineCopyDeps,
  recording: Recording,
  object: VaultMediaObject,
): Promise<void> {
  const target = path.join(deps.archiveDir(), ...sidecarPathFor(recording.localPath!).split('/'));
  if (fs.existsSync(target)) return;
  const text = await deps.reader.sidecarText(object);
  const parsed = text === null ? null : parseSidecar(text);
  if (!parsed?.ok) return;
  const file = parsed.sidecar.file;
  if (file.sha256 !== recording.sha256 || file.relativePath !== recording.localPath) return;
  await writeFileAtomic(target, text!);
}
