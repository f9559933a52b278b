import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArchiverLock } from '../../../main/core/sync/archiver-lock.ts';
import { tempDir } from '../../support/tmp.ts';

describe('archiver lock', () => {
  it('lets one process archive at a time and names the holder', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      const theirs = new ArchiverLock(dir, child.pid!);
      theirs.acquire();
      const ours = new ArchiverLock(dir);
      expect(ours.tryAcquire()).toBe(child.pid);
      expect(() => ours.acquire()).toThrow(`pid ${child.pid}`);
      theirs.release();
      expect(ours.tryAcquire()).toBeNull();
      expect(fs.readFileSync(path.join(dir, 'archiver.lock'), 'utf8')).toBe(String(process.pid));
      ours.release();
      expect(fs.existsSync(path.join(dir, 'archiver.lock'))).toBe(false);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('takes over the lock of a process that died', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => child.once('exit', resolve));
    fs.writeFileSync(path.join(dir, 'archiver.lock'), String(child.pid));
    const ours = new ArchiverLock(dir);
    expect(ours.tryAcquire()).toBeNull();
    expect(ours.held).toBe(true);
    ours.release();
  });
});
