import fs from 'node:fs';
import path from 'node:path';

/**
 * The absolute, symlink-free form of a folder that may not exist yet: the deepest part that
 * exists is resolved with realpath and the rest appended. Stored this way, the app and the CLI
 * (started from different working folders) find the same archive, and a symlink cannot make a
 * target that looks outside the archive lie inside it.
 */
export function resolveArchivePath(folder: string): string {
  const absolute = path.resolve(folder);
  const missing: string[] = [];
  let existing = absolute;
  for (;;) {
    try {
      return path.join(fs.realpathSync(existing), ...missing.reverse());
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const parent = path.dirname(existing);
      if (parent === existing) return absolute;
      missing.push(path.basename(existing));
      existing = parent;
    }
  }
}

/** Whether `inner` is `outer` or inside it (both resolved). */
export function isSameOrInside(inner: string, outer: string): boolean {
  const relative = path.relative(outer, inner);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
