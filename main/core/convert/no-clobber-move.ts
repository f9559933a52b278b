// Moves a finished temporary file to its final name without ever replacing an existing file.
// rename() silently overwrites on POSIX, so the move is a hard link (fails with EEXIST) then an
// unlink; where hard links are unsupported (FAT/exFAT USB sticks), an exclusive copy.
import fs from 'node:fs/promises';

export class FileExistsError extends Error {
  override readonly name = 'FileExistsError';
  readonly path: string;

  constructor(file: string) {
    super(`Refusing to overwrite an existing file: ${file}`);
    this.path = file;
  }
}

export async function moveNoClobber(from: string, to: string): Promise<void> {
  try {
    await fs.link(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new FileExistsError(to);
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'ENOSYS', 'EACCES'].includes(code ?? '')) {
      throw error;
    }
    try {
      await fs.copyFile(from, to, fs.constants.COPYFILE_EXCL);
    } catch (copyError) {
      if ((copyError as NodeJS.ErrnoException).code === 'EEXIST') throw new FileExistsError(to);
      throw copyError;
    }
  }
  await fs.unlink(from);
}
