// downloadToArchive against a real HTTP server on 127.0.0.1.
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadToArchive, isAlreadyArchived } from '../../../main/core/archive/download.ts';
import type { DownloadOptions } from '../../../main/core/archive/download.ts';
import { ArchiveError } from '../../../main/core/archive/errors.ts';
import { readArchiveSidecars } from '../../../main/core/archive/read-sidecars.ts';
import { readSidecarFile, writeSidecar } from '../../../main/core/archive/sidecar.ts';
import type { RemoteRecording } from '../../../main/core/providers/types.ts';
import { bytes, sha256 } from '../../support/bytes.ts';
import { httpOpen, startServer } from '../../support/remote-file.ts';
import { removeDir, makeTempDir } from '../../support/tmp.ts';
import type { TestServer } from '../../support/remote-file.ts';

const REL = 'kallglot/acct-1/2024/05/01/rec_5f1.mp3';
let base: string;
let root: string;
let server: TestServer | null = null;

beforeEach(async () => {
  base = await makeTempDir('archive');
  root = path.join(base, 'archive');
  await mkdir(root);
});
afterEach(async () => {
  await server?.close();
  server = null;
  await removeDir(base);
});

function options(url: string, extra: Partial<DownloadOptions> = {}): DownloadOptions {
  return {
    open: httpOpen(url),
    expectedSize: null,
    archiveRoot: root,
    relativePath: REL,
    maxRestarts: 3,
    ...extra,
  };
}

const final = () => path.join(root, REL);

async function rejection(p: Promise<unknown>): Promise<ArchiveError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ArchiveError);
    return err as ArchiveError;
  }
  throw new Error('expected a rejection');
}

/** Starts a download, aborts it once `after` bytes are on disk; leaves a `.part`. */
async function interruptedRun(content: Buffer, etag: string, after: number): Promise<void> {
  const slow = await startServer({ content, etag, chunkDelayMs: 20 });
  const controller = new AbortController();
  const err = await rejection(
    downloadToArchive(
      options(slow.url, {
        signal: controller.signal,
        expectedSize: content.length,
        onProgress: (done) => {
          if (done >= after) controller.abort();
        },
      }),
    ),
  );
  await slow.close();
  expect(err.kind).toBe('aborted');
  expect(existsSync(final())).toBe(false);
  const part = await stat(final() + '.part');
  expect(part.size).toBeGreaterThan(0);
  expect(part.size).toBeLessThan(content.length);
  expect(existsSync(final() + '.part.json')).toBe(true);
}

const recording: RemoteRecording = {
  provider: 'kallglot',
  remoteId: 'rec_1',
  sessionId: 'ses_1',
  callId: null,
  userId: null,
  channel: 'mixed',
  status: 'ready',
  providerStatus: 'completed',
  format: 'mp3',
  contentType: 'audio/mpeg',
  size: 300_000,
  durationSec: 12.5,
  sampleRate: 8000,
  bitDepth: 16,
  recordedAt: '2024-05-01T10:00:00Z',
  createdAt: '2024-05-01T10:00:05Z',
  expiresAt: null,
  phoneNumbers: [],
  providerFileName: 'call.mp3',
  raw: { id: 'rec_1' },
};

describe('downloadToArchive over HTTP', () => {
  it('downloads completely: right bytes and SHA-256, no .part left, sidecar readable', async () => {
    const content = bytes(300_000);
    server = await startServer({ content, etag: '"v1"' });
    const seen: number[] = [];
    const result = await downloadToArchive(
      options(server.url, { expectedSize: content.length, onProgress: (d) => seen.push(d) }),
    );
    expect(result).toMatchObject({
      relativePath: REL,
      size: content.length,
      sha256: sha256(content),
    });
    expect(result.alreadyArchived).toBe(false);
    expect(result.contentType).toBe('audio/mpeg');
    expect((await readFile(final())).equals(content)).toBe(true);
    expect(existsSync(final() + '.part')).toBe(false);
    expect(existsSync(final() + '.part.json')).toBe(false);
    expect(seen.at(-1)).toBe(content.length);

    await writeSidecar(root, {
      account: { id: 'acct-1', name: 'Support' },
      recording,
      file: result,
      recorderVersion: '0.1.0',
    });
    const read = await readSidecarFile(final() + '.json');
    expect(read.ok && read.sidecar.file.sha256).toBe(sha256(content));
    const all = [];
    for await (const entry of readArchiveSidecars(root)) all.push(entry);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ ok: true, mediaRelativePath: REL, mediaSize: content.length });
    expect(await isAlreadyArchived(root, REL, sha256(content))).toBe(true);
    expect(await isAlreadyArchived(root, REL, sha256(Buffer.from('x')))).toBe(false);
  });

  it('resumes with Range + If-Range after the connection drops mid-body', async () => {
    const content = bytes(400_000, 2);
    server = await startServer({ content, etag: '"v1"', dropAfter: 150_000, dropTimes: 1 });
    const result = await downloadToArchive(options(server.url, { expectedSize: content.length }));
    expect(result.sha256).toBe(sha256(content));
    expect(result.restarts).toBe(1);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]?.range).toBeUndefined();
    const m = /^bytes=(\d+)-$/.exec(server.requests[1]?.range ?? '');
    expect(m).not.toBeNull();
    const offset = Number(m?.[1]);
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThanOrEqual(150_000);
    expect(server.requests[1]).toMatchObject({ ifRange: '"v1"', status: 206 });
    expect((await readFile(final())).equals(content)).toBe(true);
  });

  it('gives up after maxRestarts drops with the .part kept for a later resume', async () => {
    const content = bytes(200_000, 3);
    server = await startServer({ content, etag: '"v1"', dropAfter: 20_000, dropTimes: 10 });
    const err = await rejection(downloadToArchive(options(server.url, { maxRestarts: 2 })));
    expect(err.kind).toBe('interrupted');
    expect(server.requests).toHaveLength(3);
    expect(existsSync(final())).toBe(false);
    expect((await stat(final() + '.part')).size).toBeGreaterThan(0);
    server.options.dropTimes = 0;
    const result = await downloadToArchive(options(server.url));
    expect(result.sha256).toBe(sha256(content));
    expect(result.resumedFrom).toBeGreaterThan(0);
  });

  it('aborts leaving the .part, and a later run resumes it to the right SHA-256', async () => {
    const content = bytes(600_000, 4);
    await interruptedRun(content, '"v1"', 100_000);
    const partSize = (await stat(final() + '.part')).size;
    server = await startServer({ content, etag: '"v1"' });
    const result = await downloadToArchive(options(server.url, { expectedSize: content.length }));
    expect(server.requests).toEqual([
      { range: `bytes=${partSize}-`, ifRange: '"v1"', status: 206 },
    ]);
    expect(result.resumedFrom).toBe(partSize);
    expect(result.sha256).toBe(sha256(content));
    expect((await readFile(final())).equals(content)).toBe(true);
    expect(existsSync(final() + '.part')).toBe(false);
  });

  it('restarts from 0 when the server ignores Range (200)', async () => {
    const content = bytes(500_000, 5);
    await interruptedRun(content, '"v1"', 100_000);
    server = await startServer({ content, etag: '"v1"', ignoreRange: true });
    const result = await downloadToArchive(options(server.url, { expectedSize: content.length }));
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.range).toMatch(/^bytes=\d+-$/);
    expect(server.requests[0]?.status).toBe(200);
    expect(result.sha256).toBe(sha256(content));
    expect((await readFile(final())).equals(content)).toBe(true);
  });

  it('restarts from 0 when the ETag changed (If-Range honoured → 200)', async () => {
    const before = bytes(500_000, 6);
    const after = bytes(500_000, 7);
    await interruptedRun(before, '"v1"', 100_000);
    server = await startServer({ content: after, etag: '"v2"' });
    const result = await downloadToArchive(options(server.url, { expectedSize: after.length }));
    expect(server.requests[0]).toMatchObject({ ifRange: '"v1"', status: 200 });
    expect(result.sha256).toBe(sha256(after));
  });

  it('restarts from 0 when a buggy server answers 206 for a changed ETag', async () => {
    const before = bytes(500_000, 8);
    const after = bytes(500_000, 9);
    await interruptedRun(before, '"v1"', 100_000);
    server = await startServer({ content: after, etag: '"v2"', ignoreIfRange: true });
    const result = await downloadToArchive(options(server.url, { expectedSize: after.length }));
    expect(server.requests.map((r) => r.status)).toEqual([206, 200]);
    expect(server.requests[1]?.range).toBeUndefined();
    expect(result.restarts).toBe(1);
    expect(result.sha256).toBe(sha256(after));
    expect((await readFile(final())).equals(after)).toBe(true);
  });

  it('refuses a body whose size disagrees with the provider: error, no final file, no .part', async () => {
    const content = bytes(100_000, 10);
    server = await startServer({ content, etag: '"v1"' });
    const err = await rejection(downloadToArchive(options(server.url, { expectedSize: 120_000 })));
    expect(err.kind).toBe('size_mismatch');
    expect(existsSync(final())).toBe(false);
    expect(existsSync(final() + '.part')).toBe(false);
  });

  it('refuses a chunked body longer than the provider size', async () => {
    const content = bytes(150_000, 11);
    server = await startServer({ content, etag: '"v1"', chunked: true });
    const err = await rejection(downloadToArchive(options(server.url, { expectedSize: 120_000 })));
    expect(err.kind).toBe('size_mismatch');
    expect(existsSync(final())).toBe(false);
    expect(existsSync(final() + '.part')).toBe(false);
  });

  it('skips identical bytes already at the final path and never replaces different ones', async () => {
    const content = bytes(50_000, 12);
    server = await startServer({ content, etag: '"v1"' });
    await downloadToArchive(options(server.url));
    const again = await downloadToArchive(options(server.url));
    expect(again.alreadyArchived).toBe(true);
    server.options.content = bytes(50_000, 13);
    const err = await rejection(downloadToArchive(options(server.url)));
    expect(err.kind).toBe('conflict');
    expect((await readFile(final())).equals(content)).toBe(true);
    expect(existsSync(final() + '.part')).toBe(false);
  });
});
