// The app asks before it creates an export folder that does not exist yet: a typo in a typed
// path ("/mnt/lega1") would otherwise silently become a new folder nobody looks in.
import fs from 'node:fs';
import { AppError } from '../app-error.ts';

/** Refuses (not_found, naming the folder) a folder destination that does not exist yet. */
export async function refuseMissingFolder(destination: {
  kind: 'folder' | 'zip';
  path: string;
}): Promise<void> {
  if (destination.kind !== 'folder') return;
  const stat = await fs.promises.stat(destination.path).catch(() => null);
  if (stat === null) {
    throw new AppError(
      'not_found',
      `The folder ${destination.path} does not exist yet. Create it, or check the path for a typo.`,
    );
  }
  if (!stat.isDirectory()) {
    throw new AppError(
      'conflict',
      `${destination.path} is a file, not a folder: choose a folder to export into.`,
    );
  }
}
