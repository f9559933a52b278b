import { KindedError } from '../kinded-error.ts';

/**
 * What went wrong in the archive layer, as the engine must act on it:
 * disk_full / permission / archive_missing → stop the job and tell the user (nothing is lost:
 * a consistent `.part` is kept for resume); size_mismatch / integrity → record the recording as
 * failed (the provider delivered bytes we cannot trust); aborted → paused or cancelled (the
 * `.part` is kept); unsafe_path → a path from the index, renderer or network tried to leave the
 * archive; conflict → the final path already holds different content (never overwritten);
 * interrupted → the connection kept dropping (retry later: the `.part` is kept);
 * io → any other filesystem error.
 */
export type ArchiveErrorKind =
  | 'disk_full'
  | 'permission'
  | 'archive_missing'
  | 'size_mismatch'
  | 'integrity'
  | 'aborted'
  | 'unsafe_path'
  | 'conflict'
  | 'interrupted'
  | 'io';

export interface ArchiveErrorInit {
  kind: ArchiveErrorKind;
  message: string;
  /** Archive-relative path concerned, if any (never an absolute path from the network). */
  relativePath?: string | null;
  /** The underlying errno code (ENOSPC, EACCES, …), if any. */
  code?: string | null;
  cause?: unknown;
}

export class ArchiveError extends KindedError<ArchiveErrorKind> {
  readonly relativePath: string | null;
  readonly code: string | null;

  constructor(init: ArchiveErrorInit) {
    super('ArchiveError', init);
    this.relativePath = init.relativePath ?? null;
    this.code = init.code ?? null;
  }
}

export function errnoCode(err: unknown): string | null {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === 'string' ? code : null;
  }
  return null;
}

/**
 * Maps a filesystem error to an ArchiveError. ENOENT is ambiguous (the archive root vanished, or
 * a file inside it did), so the caller passes whether the root still exists.
 */
export function fromFsError(
  err: unknown,
  what: string,
  relativePath: string | null,
  rootExists: boolean,
): ArchiveError {
  if (err instanceof ArchiveError) return err;
  const code = errnoCode(err);
  const base = { relativePath, code, cause: err };
  if (!rootExists) {
    return new ArchiveError({
      ...base,
      kind: 'archive_missing',
      message: `The archive folder is gone (while ${what})`,
    });
  }
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new ArchiveError({
        ...base,
        kind: 'disk_full',
        message: `No space left while ${what}`,
      });
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new ArchiveError({
        ...base,
        kind: 'permission',
        message: `Permission denied while ${what}`,
      });
    default:
      return new ArchiveError({
        ...base,
        kind: 'io',
        message: `Filesystem error (${code ?? 'unknown'}) while ${what}`,
      });
  }
}
