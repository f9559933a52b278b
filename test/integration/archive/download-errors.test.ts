// downloadToArchive failure paths: short bodies, full disks, permissions, a vanished archive.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadToArchive } from '../../../main/core/archive/download.ts';
import type { DownloadOptions } from '../../../main/core/archive/download.ts';
import { ArchiveError } from '../../../main/core/archive/errors.ts';
import type { OpenPartFile } from '../../../main/core/archive/part-writer.ts';
import { ProviderError } from '../../../main/core/providers/errors.ts';
import type { OpenOptions, RemoteStream } from '../../../main/core/providers/types.ts';
import { bytes, sha256 } from '../../support/bytes.ts';
import { fakeOpen } from '../../support/remote-file.ts';
import { removeDir, makeTempDir } from '../../support/tmp.ts';

const REL = 'envoy/acct-2/2024/01/02/call_5fx.wav';
let base: string;
let root: string;
const mounts: string[] = [];

beforeEach(async () => {
  base = await makeTempDir('archive');
  root = path.join(base, 'archive');
  await mkdir(root);
});
afterEach(async () => {
  for (const m of mounts.splice(0)) execFileSync('umount', ['-l', m]);
  await removeDir(base);
});

function opts(
  open: DownloadOptions['open'],
  extra: Partial<DownloadOptions> = {},
): DownloadOptions {
  return {
    open,
    expectedSize: null,
    archiveRoot: root,
    relativePath: REL,
    maxRestarts: 2,
    ...extra,
  };
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

/** CI runs as root, where a tmpfs can always be mounted. */
const isRoot = process.getuid?.() === 0;

/**
 * Mounts a tmpfs. As root a failed mount fails the test (so CI never passes by skipping it);
 * false only for other users, who may not mount.
 */
function mountTmpfs(dir: string, options: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (error) {
    if (!isRoot) return false;
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '').trim();
    throw new Error(`mount -t tmpfs -o ${options} failed as root: ${stderr || String(error)}`, {
      cause: error,
    });
  }
  mounts.push(dir);
  return true;
}

/** Wraps real file handles so writes fail with `code` once `limit` bytes are written. */
function failingPartFile(code: string, limit: number, failOpen = false): OpenPartFile {
  return async (file, flags) => {
    if (failOpen) throw Object.assign(new Error(`${code}: open`), { code });
    const handle = await open(file, flags);
    let written = 0;
    return {
      async write(buffer, offset, length, position) {
        const room = limit - written;
        if (room <= 0) throw Object.assign(new Error(`${code}: write`), { code });
        const n = Math.min(room, length);
        const r = await handle.write(buffer, offset, n, position);
        written += r.bytesWritten;
        return r;
      },
      sync: () => handle.sync(),
      truncate: (len) => handle.truncate(len),
      close: () => handle.close(),
    };
  };
}

describe('downloadToArchive failures', () => {
  it('short body (fewer bytes than Content-Length): retries from where it got to, then errors; no final file', async () => {
    const content = bytes(10_000);
    const fake = fakeOpen({ content, deliverAtMost: 3_000 });
    const err = await rejection(downloadToArchive(opts(fake.open, { maxRestarts: 1 })));
    expect(err).toBeInstanceOf(ArchiveError);
    expect((err as ArchiveError).kind).toBe('size_mismatch');
    expect(fake.calls).toEqual([
      { offset: 0, etag: null },
      { offset: 3_000, etag: '"fake-1"' },
    ]);
    expect(existsSync(path.join(root, REL))).toBe(false);
    // The bytes received are a consistent prefix: kept, and a later run completes from them.
    expect((await stat(path.join(root, REL + '.part'))).size).toBe(6_000);
    const later = fakeOpen({ content });
    const result = await downloadToArchive(opts(later.open));
    expect(later.calls).toEqual([{ offset: 6_000, etag: '"fake-1"' }]);
    expect(result.sha256).toBe(sha256(content));
  });

  it('without a strong ETag a short body restarts from 0 instead of splicing', async () => {
    const content = bytes(10_000);
    const fake = fakeOpen({ content, etag: 'W/"weak"', deliverAtMost: 3_000 });
    await rejection(downloadToArchive(opts(fake.open, { maxRestarts: 2 })));
    expect(fake.calls.map((c) => c.offset)).toEqual([0, 0, 0]);
  });

  it('passes ProviderErrors from open through unchanged', async () => {
    const gone = new ProviderError({
      provider: 'envoy',
      kind: 'gone',
      endpoint: '/calls/{id}',
      message: 'deleted',
    });
    const err = await rejection(downloadToArchive(opts(() => Promise.reject(gone))));
    expect(err).toBe(gone);
    expect(existsSync(path.join(root, REL))).toBe(false);
  });

  it('disk full on a real 1 MiB tmpfs → disk_full, earlier archived files intact', async (ctx) => {
    const mnt = path.join(base, 'mnt');
    await mkdir(mnt);
    if (!mountTmpfs(mnt, 'size=1m')) ctx.skip();
    const small = bytes(200_000, 1);
    const big = bytes(3 * 1024 * 1024, 2);
    const first = await downloadToArchive(
      opts(fakeOpen({ content: small }).open, {
        archiveRoot: mnt,
        relativePath: 'envoy/a/old.wav',
      }),
    );
    const err = await rejection(
      downloadToArchive(opts(fakeOpen({ content: big }).open, { archiveRoot: mnt })),
    );
    expect((err as ArchiveError).kind).toBe('disk_full');
    expect((err as ArchiveError).code).toBe('ENOSPC');
    expect(existsSync(path.join(mnt, REL))).toBe(false);
    expect(sha256(await readFile(path.join(mnt, 'envoy/a/old.wav')))).toBe(first.sha256);
    // Freeing space (here: discarding the partial) lets the next attempt proceed normally.
    await rm(path.join(mnt, REL + '.part'));
  });

  it('disk full (injected ENOSPC mid-write) → disk_full, .part kept with exactly the written bytes', async () => {
    const content = bytes(500_000, 3);
    const err = await rejection(
      downloadToArchive(
        opts(fakeOpen({ content }).open, { openPartFile: failingPartFile('ENOSPC', 123_456) }),
      ),
    );
    expect((err as ArchiveError).kind).toBe('disk_full');
    expect(existsSync(path.join(root, REL))).toBe(false);
    expect((await stat(path.join(root, REL + '.part'))).size).toBe(123_456);
    const result = await downloadToArchive(opts(fakeOpen({ content }).open));
    expect(result.resumedFrom).toBe(123_456);
    expect(result.sha256).toBe(sha256(content));
  });

  it('permission denied (injected EACCES on open, since root bypasses chmod) → permission', async () => {
    const err = await rejection(
      downloadToArchive(
        opts(fakeOpen({ content: bytes(1000) }).open, {
          openPartFile: failingPartFile('EACCES', 0, true),
        }),
      ),
    );
    expect((err as ArchiveError).kind).toBe('permission');
    expect(existsSync(path.join(root, REL))).toBe(false);
  });

  it('read-only archive (real read-only tmpfs, EROFS) → permission', async (ctx) => {
    const mnt = path.join(base, 'ro');
    await mkdir(mnt);
    if (!mountTmpfs(mnt, 'size=1m,ro')) ctx.skip();
    const err = await rejection(
      downloadToArchive(opts(fakeOpen({ content: bytes(1000) }).open, { archiveRoot: mnt })),
    );
    expect((err as ArchiveError).kind).toBe('permission');
  });

  it('archive root missing before the start → archive_missing, nothing recreated', async () => {
    await removeDir(root);
    const err = await rejection(downloadToArchive(opts(fakeOpen({ content: bytes(1000) }).open)));
    expect((err as ArchiveError).kind).toBe('archive_missing');
    expect(existsSync(root)).toBe(false);
  });

  it('archive root deleted mid-download → archive_missing, nothing recreated', async () => {
    const content = bytes(300_000, 4);
    const open = async (_o: OpenOptions): Promise<RemoteStream> => ({
      body: Readable.from(
        (async function* () {
          yield content.subarray(0, 100_000);
          await rm(root, { recursive: true, force: true });
          yield content.subarray(100_000);
        })(),
      ),
      status: 200,
      startOffset: 0,
      contentLength: content.length,
      totalSize: content.length,
      etag: '"x"',
      acceptRanges: true,
      contentType: null,
    });
    const err = await rejection(downloadToArchive(opts(open)));
    expect(err).toBeInstanceOf(ArchiveError);
    expect((err as ArchiveError).kind).toBe('archive_missing');
    expect(existsSync(root)).toBe(false);
  });
});
