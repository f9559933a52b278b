import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadToArchive } from '../../../main/core/archive/download.ts';
import { ArchiveError } from '../../../main/core/archive/errors.ts';
import { readArchiveSidecars } from '../../../main/core/archive/read-sidecars.ts';
import { buildSidecar, parseSidecar, writeSidecar } from '../../../main/core/archive/sidecar.ts';
import { verifyArchiveFiles } from '../../../main/core/archive/verify-files.ts';
import type { ExpectedFile } from '../../../main/core/archive/verify-files.ts';
import type { RemoteRecording } from '../../../main/core/providers/types.ts';
import { bytes } from '../../support/bytes.ts';
import { fakeOpen } from '../../support/remote-file.ts';
import { removeDir, makeTempDir } from '../../support/tmp.ts';

let base: string;
let root: string;
beforeEach(async () => {
  base = await makeTempDir('archive');
  root = path.join(base, 'archive');
  await mkdir(root);
});
afterEach(async () => removeDir(base));

function recording(remoteId: string): RemoteRecording {
  return {
    provider: 'envoy',
    remoteId,
    sessionId: null,
    callId: remoteId,
    userId: null,
    channel: 'mixed',
    status: 'ready',
    providerStatus: 'completed',
    format: 'wav',
    contentType: 'audio/wav',
    size: null,
    durationSec: null,
    sampleRate: null,
    bitDepth: null,
    recordedAt: '2024-01-02T03:04:05Z',
    createdAt: null,
    expiresAt: null,
    phoneNumbers: ['+15550100'],
    providerFileName: '../../evil.wav',
    raw: {
      id: remoteId,
      recording_url:
        'https://bucket.s3.amazonaws.com/a/b.wav?X-Amz-Signature=abc123&X-Amz-Credential=AKIAXYZ',
      api_key: 'sk_live_supersecret',
      nested: { access_token: 'tok_123', list: [{ password: 'hunter2' }], fine: 'keep me' },
    },
  };
}

async function archive(id: string, seed: number): Promise<ExpectedFile> {
  const content = bytes(20_000 + seed, seed);
  const relativePath = `envoy/acct/2024/01/02/${id}.wav`;
  const result = await downloadToArchive({
    open: fakeOpen({ content }).open,
    expectedSize: content.length,
    archiveRoot: root,
    relativePath,
  });
  await writeSidecar(root, {
    account: { id: 'acct', name: 'Support line' },
    recording: recording(id),
    file: result,
    archivedAt: '2024-06-01T00:00:00.000Z',
    recorderVersion: '0.1.0',
  });
  return { relativePath, sha256: result.sha256, size: result.size };
}

describe('sidecar', () => {
  it('holds the metadata and checksum but no secret, and reads back', async () => {
    const file = await archive('call_a', 1);
    const text = await readFile(path.join(root, file.relativePath + '.json'), 'utf8');
    for (const secret of ['abc123', 'AKIAXYZ', 'sk_live_supersecret', 'tok_123', 'hunter2']) {
      expect(text).not.toContain(secret);
    }
    const parsed = parseSidecar(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.sidecar).toMatchObject({
      schemaVersion: 1,
      provider: 'envoy',
      account: { id: 'acct', name: 'Support line' },
      file: { relativePath: file.relativePath, sha256: file.sha256, size: file.size },
      recorder: { app: 'Recvault', version: '0.1.0' },
    });
    expect(parsed.sidecar.recording.raw).toMatchObject({
      recording_url: 'https://bucket.s3.amazonaws.com/a/b.wav?[redacted]',
      nested: { access_token: '[redacted]', fine: 'keep me' },
    });
    expect(parsed.sidecar.recording.phoneNumbers).toEqual(['+15550100']);
  });

  it('refuses to describe a media file that is not there', async () => {
    await expect(
      writeSidecar(root, {
        account: { id: 'a', name: 'n' },
        recording: recording('x'),
        file: { relativePath: 'envoy/a/x.wav', size: 1, sha256: 'a'.repeat(64), contentType: null },
        recorderVersion: '0.1.0',
      }),
    ).rejects.toBeInstanceOf(ArchiveError);
  });

  it('reports newer, broken and invalid sidecars instead of throwing', () => {
    const good = buildSidecar({
      account: { id: 'a', name: 'n' },
      recording: recording('x'),
      file: { relativePath: 'envoy/a/x.wav', size: 1, sha256: 'a'.repeat(64), contentType: null },
      recorderVersion: '0.1.0',
    });
    expect(parseSidecar(JSON.stringify({ ...good, schemaVersion: 2 }))).toMatchObject({
      ok: false,
      problem: 'newer_version',
    });
    expect(parseSidecar('{nope')).toMatchObject({ ok: false, problem: 'not_json' });
    expect(
      parseSidecar(JSON.stringify({ ...good, file: { ...good.file, sha256: 'xyz' } })),
    ).toMatchObject({ ok: false, problem: 'invalid' });
  });
});

describe('verifyArchiveFiles / readArchiveSidecars', () => {
  it('reports missing, altered, unindexed, partial and sidecar mismatches', async () => {
    const ok = await archive('call_ok', 1);
    const flipped = await archive('call_flip', 2);
    const truncated = await archive('call_trunc', 3);
    const gone = await archive('call_gone', 4);
    const badSidecar = await archive('call_badside', 5);
    const abs = (rel: string) => path.join(root, rel);
    // Same size, one byte changed.
    const data = await readFile(abs(flipped.relativePath));
    data[100] = (data[100] ?? 0) ^ 0xff;
    await writeFile(abs(flipped.relativePath), data);
    await appendFile(abs(truncated.relativePath), 'x');
    await rm(abs(gone.relativePath));
    const side = JSON.parse(await readFile(abs(badSidecar.relativePath + '.json'), 'utf8'));
    side.file.sha256 = 'b'.repeat(64);
    await writeFile(abs(badSidecar.relativePath + '.json'), JSON.stringify(side));
    await writeFile(abs('envoy/acct/2024/01/02/stray.mp3'), 'stray');
    await writeFile(abs('envoy/acct/2024/01/02/next.wav.part'), 'partial');
    await writeFile(abs('envoy/acct/.DS_Store'), '');
    await writeFile(abs('index.sqlite'), 'not media');

    const progress: number[] = [];
    const report = await verifyArchiveFiles(
      root,
      [
        ok,
        flipped,
        truncated,
        gone,
        badSidecar,
        { relativePath: '../outside.wav', sha256: 'c'.repeat(64), size: 1 },
      ],
      (p) => progress.push(p.filesDone),
    );
    expect(report.checked).toBe(6);
    expect(report.ok).toBe(2);
    expect(report.missing).toEqual([gone]);
    expect(report.altered.map((a) => a.relativePath).sort()).toEqual(
      [flipped.relativePath, truncated.relativePath].sort(),
    );
    expect(report.altered.find((a) => a.relativePath === truncated.relativePath)?.actualSize).toBe(
      truncated.size + 1,
    );
    expect(report.unreadable.map((u) => u.relativePath)).toEqual(['../outside.wav']);
    expect(report.unindexed).toEqual(['envoy/acct/2024/01/02/stray.mp3']);
    expect(report.partials).toEqual(['envoy/acct/2024/01/02/next.wav.part']);
    expect(report.orphanSidecars).toEqual([]);
    expect(report.sidecarMismatches).toEqual([
      expect.objectContaining({
        relativePath: badSidecar.relativePath + '.json',
        problem: 'sha_differs',
      }),
    ]);
    expect(progress.at(-1)).toBe(6);

    const entries = [];
    for await (const entry of readArchiveSidecars(root)) entries.push(entry);
    expect(entries).toHaveLength(5);
    expect(entries.find((e) => e.mediaRelativePath === gone.relativePath)).toMatchObject({
      ok: true,
      mediaSize: null,
    });

    await writeFile(abs(ok.relativePath + '.json'), '{broken');
    const again = [];
    for await (const entry of readArchiveSidecars(root)) again.push(entry);
    expect(again.find((e) => e.mediaRelativePath === ok.relativePath)).toMatchObject({
      ok: false,
      problem: 'not_json',
    });
  });

  it('throws archive_missing when the root is gone', async () => {
    await removeDir(root);
    await expect(verifyArchiveFiles(root, [])).rejects.toMatchObject({ kind: 'archive_missing' });
  });
});
