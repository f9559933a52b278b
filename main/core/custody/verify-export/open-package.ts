// Finds the bag a recipient points at: a bag folder, a folder holding one bag, or a .zip of
// either (unpacked into a private temporary folder, refusing any entry that would land outside
// it). The checker then reads plain files whichever it was.
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { BAGIT_TXT } from '../bag/bag-names.ts';

export interface OpenedPackage {
  /** The folder holding bagit.txt. */
  root: string;
  /** Removes the temporary folder a zip was unpacked into. */
  close(): Promise<void>;
}

export class PackageError extends Error {
  override readonly name = 'PackageError';
}

export async function openPackage(
  target: string,
  /** Test seam: the free bytes a zip may unpack to (default: what the temp folder's disk has). */
  freeBytes?: number,
): Promise<OpenedPackage> {
  const stat = await fs.stat(target).catch(() => null);
  if (!stat) throw new PackageError(`${target} does not exist.`);
  if (stat.isDirectory()) return { root: await bagRoot(target), close: async () => {} };
  const temp = await fs.mkdtemp(path.join(os.tmpdir(), 'recvault-verify-'));
  try {
    const free =
      freeBytes ??
      (await fs.statfs(temp).then(
        (s) => s.bavail * s.bsize,
        () => Infinity,
      ));
    await unzipInto(target, temp, free);
    return {
      root: await bagRoot(temp),
      close: () => fs.rm(temp, { recursive: true, force: true }),
    };
  } catch (error) {
    await fs.rm(temp, { recursive: true, force: true });
    throw error;
  }
}

/** The folder itself when it holds bagit.txt, else its only subfolder that does. */
async function bagRoot(folder: string): Promise<string> {
  if (await isFile(path.join(folder, BAGIT_TXT))) return folder;
  const entries = await fs.readdir(folder, { withFileTypes: true });
  const candidates: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory() && (await isFile(path.join(folder, entry.name, BAGIT_TXT)))) {
      candidates.push(path.join(folder, entry.name));
    }
  }
  if (candidates.length === 1) return candidates[0]!;
  throw new PackageError(
    candidates.length
      ? `${folder} holds several bags; point at one of them.`
      : `No bagit.txt in ${folder}: this is not a BagIt bag (was it exported with --bag?).`,
  );
}

async function isFile(file: string): Promise<boolean> {
  return (await fs.stat(file).catch(() => null))?.isFile() ?? false;
}

/**
 * Unpacks every entry, stopping at the one that would take the declared total past the disk's
 * free bytes (yauzl holds each entry to its declared size, so the declaration can be trusted).
 */
function unzipInto(zipPath: string, into: string, freeBytes: number): Promise<void> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true, strictFileNames: true }, (openError, zip) => {
      if (openError || !zip) {
        reject(
          new PackageError(
            `${zipPath} is neither a folder nor a readable zip: ${openError?.message ?? ''}`,
          ),
        );
        return;
      }
      zip.on('error', (error: Error) => reject(new PackageError(`${zipPath}: ${error.message}`)));
      let declared = 0;
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        declared += entry.uncompressedSize;
        if (declared > freeBytes) {
          zip.close();
          reject(
            new PackageError(
              `${zipPath} unpacks to more than the ${freeBytes} bytes free in ${os.tmpdir()}.`,
            ),
          );
          return;
        }
        const target = path.resolve(into, ...entry.fileName.split('/'));
        if (!target.startsWith(into + path.sep)) {
          zip.close();
          reject(new PackageError(`${zipPath} has an entry outside its folder: ${entry.fileName}`));
          return;
        }
        if (entry.fileName.endsWith('/')) {
          fs.mkdir(target, { recursive: true }).then(() => zip.readEntry(), reject);
          return;
        }
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) {
            reject(new PackageError(`${zipPath}: ${streamError?.message ?? 'unreadable entry'}`));
            return;
          }
          fs.mkdir(path.dirname(target), { recursive: true })
            .then(() => pipeline(stream, createWriteStream(target, { flags: 'wx' })))
            .then(() => zip.readEntry(), reject);
        });
      });
      zip.readEntry();
    });
  });
}
