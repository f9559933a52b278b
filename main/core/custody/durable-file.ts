import fs from 'node:fs';
import path from 'node:path';

// Checkpoint and key files are evidence: each is written to a temp file, fsynced, renamed into
// place (or linked, when it must never replace an existing file) and its folder fsynced, so a
// crash leaves the file whole or absent, never half-written.

export function writeEvidenceFile(
  target: string,
  data: Uint8Array | string,
  options: { mode?: number; noClobber?: boolean } = {},
): void {
  const folder = path.dirname(target);
  const temp = path.join(folder, `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  const fd = fs.openSync(temp, 'wx', options.mode ?? 0o644);
  try {
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (options.noClobber) {
      fs.linkSync(temp, target);
      fs.unlinkSync(temp);
    } else {
      fs.renameSync(temp, target);
    }
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
  syncFolder(folder);
}

function syncFolder(folder: string): void {
  // Windows cannot open a folder to sync it (NTFS journals its metadata).
  if (process.platform === 'win32') return;
  const fd = fs.openSync(folder, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
