// Where a path really points: a path that does not exist yet is judged by its nearest existing
// ancestor's real path, so a symlink (or a junction) into the archive cannot pass as elsewhere.
import fs from 'node:fs';
import path from 'node:path';

/** The real path of `target`, resolving the symlinks of its nearest existing ancestor. */
export async function realPathNearest(target: string): Promise<string> {
  let current = path.resolve(target);
  const missing: string[] = [];
  for (;;) {
    try {
      return path.join(await fs.promises.realpath(current), ...missing.reverse());
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      const parent = path.dirname(current);
      if (parent === current) return path.resolve(target);
      missing.push(path.basename(current));
      current = parent;
    }
  }
}

/** True when `inner` is `outer` or below it (both real, absolute paths). */
export function isWithin(inner: string, outer: string): boolean {
  const fold = (p: string): string =>
    process.platform === 'win32' || process.platform === 'darwin' ? p.toLowerCase() : p;
  const relative = path.relative(fold(outer), fold(inner));
  return (
    relative === '' ||
    (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative))
  );
}
