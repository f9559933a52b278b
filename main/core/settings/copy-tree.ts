import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fsyncDir, isTempFileName } from '../archive/fs-util.ts';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../file-modes.ts';

const CHUNK = 1024 * 1024;

export interface CopiedTree {
  /** SHA-256 of the bytes written for each file, by path relative to the root ('/'-separated). */
  written: Map<string, string>;
  files: number;
  bytes: number;
}

/**
 * Copies the folder tree `from` into the empty folder `to`: each file is written, hashed as it
 * is written and fsynced, then each folder is fsynced once its entries are in. Never replaces a
 * file ('wx'). Temp files of interrupted writes are left behind; a symlink is refused (an
 * archive holds none, and following one could copy something outside it, or itself).
 *
 * Why hash what was written instead of re-reading it: a re-read comes from the page cache, so
 * it proves nothing more, and Node cannot drop a file's cached pages (no posix_fadvise) nor
 * read around them portably (O_DIRECT needs page-aligned buffers Node does not promise, and
 * tmpfs and some filesystems refuse it); dropping every cache on the machine needs root and
 * slows everything. What is checked: every byte read from the old archive and handed to the
 * new file matches the index, and the file is flushed; a disk that later corrupts it is what
 * `recvault verify` of the new archive finds.
 */
export async function copyTreeDurable(
  from: string,
  to: string,
  onFile: (relative: string) => void = () => undefined,
  onBytes: (bytes: number) => void = () => undefined,
): Promise<CopiedTree> {
  const result: CopiedTree = { written: new Map(), files: 0, bytes: 0 };
  const buffer = Buffer.allocUnsafe(CHUNK);

  async function copyFolder(relative: string): Promise<void> {
    const source = path.join(from, relative);
    const target = path.join(to, relative);
    for (const entry of await fs.readdir(source, { withFileTypes: true })) {
      const rel = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        await fs.mkdir(path.join(to, rel), PRIVATE_DIR_MODE);
        await copyFolder(rel);
      } else if (entry.isFile()) {
        if (isTempFileName(entry.name)) continue;
        const { sha256, size } = await copyFile(path.join(source, entry.name), path.join(to, rel));
        result.written.set(rel, sha256);
        result.files += 1;
        result.bytes += size;
        onFile(rel);
      } else {
        throw new Error(`${path.join(source, entry.name)} is not a file or folder (a link?)`);
      }
    }
    await fsyncDir(target);
  }

  async function copyFile(source: string, target: string) {
    const hash = createHash('sha256');
    const input = await fs.open(source, 'r');
    try {
      const output = await fs.open(target, 'wx', PRIVATE_FILE_MODE);
      try {
        let size = 0;
        for (;;) {
          const { bytesRead } = await input.read(buffer, 0, CHUNK, size);
          if (bytesRead === 0) break;
          const chunk = buffer.subarray(0, bytesRead);
          hash.update(chunk);
          let written = 0;
          while (written < bytesRead) {
            written += (await output.write(chunk, written, bytesRead - written)).bytesWritten;
          }
          size += bytesRead;
          onBytes(bytesRead);
        }
        await output.sync();
        return { sha256: hash.digest('hex'), size };
      } finally {
        await output.close();
      }
    } finally {
      await input.close();
    }
  }

  await copyFolder('');
  return result;
}

/** The files and bytes `copyTreeDurable` would copy from `from` (temp files left out). */
export async function treeSize(from: string): Promise<{ files: number; bytes: number }> {
  const total = { files: 0, bytes: 0 };
  async function walk(folder: string): Promise<void> {
    for (const entry of await fs.readdir(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && !isTempFileName(entry.name)) {
        total.files += 1;
        total.bytes += (await fs.stat(full)).size;
      }
    }
  }
  await walk(from);
  return total;
}
