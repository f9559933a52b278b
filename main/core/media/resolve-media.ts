import fs from 'node:fs';
import { resolveInsideArchive } from '../archive/inside-archive.ts';
import { AppError } from '../app-error.ts';
import type { Recording } from '../db/recording-row.ts';
import { isVideo } from '../library/recording-views.ts';
import { contentTypeForFormat } from '../providers/recording-media.ts';
import type { VaultMediaObject } from '../vault/read-object.ts';

/** Finds a recording's object in the team vault (null: no vault here). */
export interface VaultLocator {
  locate(recording: Recording): VaultMediaObject | null;
}

/** Where a recording's bytes are read from: its file in the archive, or the team vault. */
export type ResolvedMedia = { contentType: string; isVideo: boolean } & (
  | { where: 'local'; absolutePath: string }
  | { where: 'vault'; object: VaultMediaObject; absolutePath: string }
);

/**
 * The archived file of a recording, resolved inside the archive (a path from the index is
 * never trusted to stay there), with the type to serve it as. With no file there and a team
 * vault set up (an officer who attached the vault keeps no copy until asked), the vault's
 * object instead; `absolutePath` is then where an offline copy goes.
 */
export async function resolveMedia(
  archiveRoot: string,
  recording: Recording,
  vault?: VaultLocator,
): Promise<ResolvedMedia> {
  if (recording.state !== 'archived' || !recording.localPath) {
    throw new AppError(
      'not_found',
      'This recording is not archived yet, so it cannot be played offline.',
    );
  }
  const absolutePath = await resolveInsideArchive(archiveRoot, recording.localPath);
  const extension = recording.localPath.split('.').pop() ?? '';
  const video = isVideo(recording);
  const contentType = video
    ? 'video/mp4'
    : (contentTypeForFormat(extension) ?? recording.contentType ?? 'application/octet-stream');
  const type = { contentType, isVideo: video };
  const object = vault && !(await isFile(absolutePath)) ? vault.locate(recording) : null;
  return object
    ? { ...type, where: 'vault', object, absolutePath }
    : { ...type, where: 'local', absolutePath };
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await fs.promises.stat(file)).isFile();
  } catch {
    return false;
  }
}
