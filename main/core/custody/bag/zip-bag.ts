// A finished bag folder into one .zip, the bag as the zip's single top-level folder (how BagIt
// bags are usually serialised), published with a no-overwrite move like every export.
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { moveNoClobber } from '../../convert/no-clobber-move.ts';
import { sha256File } from '../../convert/sha256.ts';

const COMPRESSED = /\.(txt|json|jsonl|pem|csv)$|^SHA256SUMS$/;

export async function zipBag(
  bagRoot: string,
  zipPath: string,
  mtime: Date,
  signal?: AbortSignal,
): Promise<{ zipSha256: string }> {
  const top = path.basename(bagRoot);
  const entries = await fs.readdir(bagRoot, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) =>
      path.relative(bagRoot, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'),
    )
    .sort();
  const zip = new yazl.ZipFile();
  for (const name of files) {
    zip.addFile(path.join(bagRoot, ...name.split('/')), `${top}/${name}`, {
      mtime,
      compress: COMPRESSED.test(path.posix.basename(name)),
    });
  }
  zip.end();
  const partial = path.join(
    path.dirname(zipPath),
    `.${path.basename(zipPath)}.${randomUUID()}.partial`,
  );
  try {
    await pipeline(zip.outputStream, createWriteStream(partial, { flags: 'wx' }), { signal });
    const zipSha256 = await sha256File(partial, signal);
    await moveNoClobber(partial, zipPath);
    return { zipSha256 };
  } finally {
    await fs.rm(partial, { force: true });
  }
}
