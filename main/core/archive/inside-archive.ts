// Every path coming from the index, the renderer or the network goes through here before it
// touches the disk: it must be a plain relative path that stays inside the archive root, also
// after following symlinks.
import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { ArchiveError, errnoCode } from './errors.ts';

function unsafe(relativePath: string, why: string): ArchiveError {
  return new ArchiveError({
    kind: 'unsafe_path',
    message: `Refused a path outside the archive (${why})`,
    relativePath: relativePath.length > 300 ? relativePath.slice(0, 300) + '…' : relativePath,
  });
}

/**
 * Lexical check, no filesystem access: `/`-separated, relative, no empty, `.` or `..` segment,
 * no backslash, colon or NUL (so the same string means the same file on every OS).
 * Returns the segments.
 */
export function assertSafeRelativePath(relativePath: string): string[] {
  if (typeof relativePath !== 'string' || relativePath === '')
    throw unsafe(String(relativePath), 'empty');
  if (relativePath.includes('\0')) throw unsafe(relativePath, 'NUL byte');
  if (relativePath.includes('\\')) throw unsafe(relativePath, 'backslash');
  if (relativePath.includes(':')) throw unsafe(relativePath, 'colon or drive letter');
  if (relativePath.startsWith('/')) throw unsafe(relativePath, 'absolute');
  const segments = relativePath.split('/');
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..') {
      throw unsafe(relativePath, `"${segment}" segment`);
    }
  }
  return segments;
}

function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The archive root's real path; `archive_missing` if it does not exist (never recreated). */
export async function realArchiveRoot(root: string): Promise<string> {
  try {
    const real = await realpath(root);
    const st = await lstat(real);
    if (!st.isDirectory()) {
      throw new ArchiveError({
        kind: 'archive_missing',
        message: 'The archive folder is not a folder',
      });
    }
    return real;
  } catch (err) {
    if (err instanceof ArchiveError) throw err;
    const code = errnoCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new ArchiveError({
        kind: 'archive_missing',
        message: 'The archive folder is gone',
        code,
        cause: err,
      });
    }
    throw new ArchiveError({
      kind: 'io',
      message: `Cannot open the archive folder (${code ?? 'unknown'})`,
      code,
      cause: err,
    });
  }
}

/**
 * Absolute path of `relativePath` under `root`, or ArchiveError `unsafe_path` if it would leave
 * the root: `..`, absolute paths, drive letters, or a symlink (the file itself or any existing
 * parent folder) resolving outside. Parts that do not exist yet are checked lexically.
 * Throws `archive_missing` if the root itself is gone.
 */
export async function resolveInsideArchive(root: string, relativePath: string): Promise<string> {
  const segments = assertSafeRelativePath(relativePath);
  const realRoot = await realArchiveRoot(root);
  const target = path.join(realRoot, ...segments);
  // Resolve the longest existing prefix (following symlinks) and check it stays inside.
  for (let n = segments.length; n >= 1; n--) {
    const prefix = path.join(realRoot, ...segments.slice(0, n));
    let real: string;
    try {
      real = await realpath(prefix);
    } catch (err) {
      const code = errnoCode(err);
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        // A dangling symlink is as unsafe as a live one: it could be created later.
        const link = await lstat(prefix).catch(() => null);
        if (link?.isSymbolicLink()) throw unsafe(relativePath, 'dangling symlink');
        continue;
      }
      if (code === 'ELOOP') throw unsafe(relativePath, 'symlink loop');
      throw new ArchiveError({
        kind: 'io',
        message: `Cannot resolve path (${code ?? 'unknown'})`,
        relativePath,
        code,
        cause: err,
      });
    }
    if (!isInside(realRoot, real)) throw unsafe(relativePath, 'symlink leads outside');
    return path.join(real, ...segments.slice(n));
  }
  return target;
}
