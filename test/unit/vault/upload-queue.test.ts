import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  HeadObjectCommand,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { markArchived, upsertDiscovered } from '../../../main/core/db/recordings.ts';
import { vaultCounts, type VaultTargetRow } from '../../../main/core/db/vault.ts';
import { drainQueue, enqueueMissing } from '../../../main/core/vault/upload-queue.ts';
import { kallglotAccount, kallglotRecording, tempIndex } from '../../support/index-fixtures.ts';

// The queue's promise, against a store that lies: a row says vaulted only after a HEAD showed
// the object with the right SHA-256 and size, whatever the PUT answered.

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const TARGET: VaultTargetRow = {
  kind: 's3',
  endpoint: 'http://127.0.0.1:1',
  bucket: 'b',
  region: 'us-east-1',
  prefix: '',
  accessKeyRef: 'env:A',
  secretKeyRef: 'env:B',
  mode: 'compliance',
  retainDays: 7,
  attached: false,
  addedAt: '2026-01-01T00:00:00Z',
};

/** A store that accepts every PUT and then reports `stored` for it on HEAD. */
function lyingStore(stored: (sha: string, size: number) => { sha: string; size: number }) {
  const objects = new Map<string, { sha: string; size: number }>();
  const calls: string[] = [];
  const send = async (command: object) => {
    const input = (
      command as {
        input: { Key: string; Metadata?: Record<string, string>; ContentLength?: number };
      }
    ).input;
    calls.push(command.constructor.name);
    if (command instanceof PutObjectCommand) {
      // Read the body as a store would (a file stream left unread fails once its folder goes).
      const body = (command.input as { Body?: AsyncIterable<Buffer> }).Body;
      if (body && Symbol.asyncIterator in body) for await (const chunk of body) void chunk;
      objects.set(input.Key, stored(input.Metadata!.sha256!, input.ContentLength!));
      return { VersionId: 'v1', ETag: '"e"' };
    }
    if (command instanceof HeadObjectCommand) {
      const object = objects.get(input.Key);
      if (!object)
        throw Object.assign(new Error('NotFound'), {
          name: 'NotFound',
          $metadata: { httpStatusCode: 404 },
        });
      return { Metadata: { sha256: object.sha }, ContentLength: object.size, VersionId: 'v1' };
    }
    if (command instanceof PutObjectLegalHoldCommand) return {};
    throw new Error(`unexpected ${command.constructor.name}`);
  };
  return { s3: { send } as unknown as S3Client, calls };
}

function archivedIndex() {
  const index = tempIndex();
  cleanups.push(index.cleanup);
  const archiveDir = path.join(index.dir, 'archive');
  const bytes = Buffer.from('the recording, as archived');
  fs.mkdirSync(path.join(archiveDir, 'k'), { recursive: true });
  fs.writeFileSync(path.join(archiveDir, 'k', 'r.wav'), bytes);
  fs.writeFileSync(path.join(archiveDir, 'k', 'r.wav.json'), '{"sidecar":true}\n');
  const accountId = kallglotAccount(index.db);
  const { recording } = upsertDiscovered(index.db, accountId, kallglotRecording());
  markArchived(index.db, recording.id, {
    localPath: 'k/r.wav',
    localSize: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    archivedAt: new Date(),
  });
  return { db: index.db, archiveDir, dataDir: index.dir };
}

function deps(index: ReturnType<typeof archivedIndex>, s3: S3Client) {
  return {
    ...index,
    s3,
    target: TARGET,
    isHeld: () => false,
    retainUntil: (_: number | null, now: Date) => new Date(now.getTime() + 7 * 86_400_000),
  };
}

describe('the vault upload queue', () => {
  it('counts nothing as vaulted when the store, after a PUT, holds other bytes', async () => {
    const index = archivedIndex();
    const store = lyingStore((_, size) => ({ sha: '0'.repeat(64), size }));
    enqueueMissing(deps(index, store.s3));
    const result = await drainQueue(deps(index, store.s3));
    expect(result.uploaded).toBe(0);
    expect(result.failed.map((f) => f.reason)).toEqual([
      expect.stringMatching(/does not hold .* as written/),
      expect.stringMatching(/does not hold .* as written/),
    ]);
    expect(vaultCounts(index.db)).toEqual({ queued: 0, vaulted: 0, failed: 2 });
  });

  it('counts both objects as vaulted when the store holds them as written', async () => {
    const index = archivedIndex();
    const store = lyingStore((sha, size) => ({ sha, size }));
    enqueueMissing(deps(index, store.s3));
    expect((await drainQueue(deps(index, store.s3))).uploaded).toBe(2);
    expect(vaultCounts(index.db)).toEqual({ queued: 0, vaulted: 2, failed: 0 });
  });
});
