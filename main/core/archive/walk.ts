// Lists what is under the archive's `<provider>/` folders, without following symlinks. Other
// top-level entries (the index database, exports, …) are not the archive's media and are skipped.
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { PROVIDER_NAMES } from '../contract/vocabulary.ts';
import { isTempFileName } from './fs-util.ts';
import { SIDECAR_SUFFIX } from './sidecar.ts';

export type ArchiveEntryKind = 'media' | 'sidecar' | 'partial' | 'temp' | 'system' | 'symlink';

export interface ArchiveEntry {
  /** `/`-separated, relative to the root. */
  relativePath: string;
  kind: ArchiveEntryKind;
}

// Files operating systems drop into folders on their own.
const SYSTEM_FILES = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini', '.localized']);

export function classifyName(name: string): Exclude<ArchiveEntryKind, 'symlink'> {
  if (SYSTEM_FILES.has(name) || name.startsWith('._')) return 'system';
  if (isTempFileName(name)) return 'temp';
  if (name.endsWith('.part') || name.endsWith('.part.json')) return 'partial';
  if (name.endsWith(SIDECAR_SUFFIX)) return 'sidecar';
  return 'media';
}

/** Depth-first walk of `<realRoot>/<provider>/…`; folders that cannot be read are thrown. */
export async function* walkArchive(realRoot: string): AsyncGenerator<ArchiveEntry> {
  const stack: string[] = [];
  for (const provider of PROVIDER_NAMES) stack.push(provider);
  while (stack.length > 0) {
    const dir = stack.pop() as string;
    let entries: Dirent[];
    try {
      entries = await readdir(path.join(realRoot, ...dir.split('/')), { withFileTypes: true });
    } catch (err) {
      if ((err as { code?: unknown }).code === 'ENOENT' && !dir.includes('/')) continue;
      throw err;
    }
    entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
    for (const entry of entries) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) stack.push(rel);
      else if (entry.isSymbolicLink()) yield { relativePath: rel, kind: 'symlink' };
      else if (entry.isFile()) yield { relativePath: rel, kind: classifyName(entry.name) };
    }
  }
}
