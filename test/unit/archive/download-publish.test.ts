// How a finished download is published: stale temp files of a killed atomic write are cleared
// when the recording's download starts, companions (the sidecar) appear only beside a published
// media file, and a file changed behind the writer's back is refused.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadToArchive } from '../../../main/core/archive/download.ts';
import type { DownloadOptions } from '../../../main/core/archive/download.ts';
import { ArchiveError } from '../../../main/core/archive/errors.ts';
import {
  fsyncDirShared,
  removeStaleTempFilesOnce,
  writeFileAtomic,
} from '../../../main/core/archive/fs-util.ts';
import { bytes, sha256 } from '../../support/bytes.ts';
import { fakeOpen } from '../../support/remote-file.ts';
import { removeDir, makeTempDir } from '../../support/tmp.ts';

const REL = 'kallglot/acct-1/2024/05/06/rec_77.wav';
let base: string;
let root: string;
let folder: string;

beforeEach(async () => {
  base = await makeTempDir('archive');
  root = path.join(base, 'archive');
  folder = path.join(root, path.dirname(REL));
  await mkdir(folder, { recursive: true });
});
afterEach(async () => {
  await removeDir(base);
});

function opts(
  open: DownloadOptions['open'],
  extra: Partial<DownloadOptions> = {},
): DownloadOptions {
  return { open, expectedSize: null, archiveRoot: root, relativePath: REL, ...extra };
}

describe('stale temp files', () => {
  it('a download first sweeps the temp files killed atomic writes left in its folder', async () => {
    const stale = [
      '.rec_77.wav.json.tmp-0123456789ab', // this recording's sidecar
      '.rec_77.wav.part.json.tmp-ba9876543210', // its resume state
      '.rec_78.wav.json.tmp-0123456789ab', // another recording's, from the same killed run
    ];
    const kept = [
      'rec_77.wav.json.tmp-0123456789ab', // not our temp-name pattern
      '.rec_77.wav.json.tmp-xyz', // nor this
    ];
    for (const name of [...stale, ...kept]) await writeFile(path.join(folder, name), '{"half":');
    const content = bytes(50_000);
    await downloadToArchive(opts(fakeOpen({ content }).open));
    const left = await readdir(folder);
    for (const name of stale) expect(left).not.toContain(name);
    for (const name of kept) expect(left).toContain(name);
    expect(await readFile(path.join(root, REL))).toEqual(content);
  });

  it("concurrent downloads into one folder never sweep one another's live temp files", async () => {
    await writeFile(path.join(folder, '.old.wav.json.tmp-0123456789ab'), 'x');
    const contents = Array.from({ length: 6 }, (_, i) => bytes(30_000 + i, i + 1));
    const results = await Promise.all(
      contents.map((content, i) => {
        const rel = path.posix.join(path.posix.dirname(REL), `rec_${i}.wav`);
        return downloadToArchive(
          opts(fakeOpen({ content }).open, {
            relativePath: rel,
            companions: (file) => [{ relativePath: rel + '.json', data: JSON.stringify(file) }],
          }),
        );
      }),
    );
    expect(results.map((r) => r.sha256)).toEqual(contents.map((c) => sha256(c)));
    const names = (await readdir(folder)).sort();
    expect(names).toEqual(contents.flatMap((_, i) => [`rec_${i}.wav`, `rec_${i}.wav.json`]).sort());
  });

  it('removeStaleTempFilesOnce ignores a folder that does not exist yet', async () => {
    expect(await removeStaleTempFilesOnce(path.join(base, 'nowhere'))).toBe(0);
  });
});

describe('companions', () => {
  it('are written beside the published file, from its size and SHA-256; no temp file stays', async () => {
    const content = bytes(70_000, 3);
    const seen: unknown[] = [];
    const result = await downloadToArchive(
      opts(fakeOpen({ content }).open, {
        companions: (file) => {
          seen.push(file);
          return [{ relativePath: REL + '.json', data: JSON.stringify(file) }];
        },
      }),
    );
    const expected = { relativePath: REL, size: content.length, sha256: sha256(content) };
    expect(seen).toEqual([{ ...expected, contentType: 'audio/wav' }]);
    expect(result).toMatchObject(expected);
    expect(JSON.parse(await readFile(path.join(root, REL + '.json'), 'utf8'))).toMatchObject(
      expected,
    );
    expect((await readdir(folder)).sort()).toEqual(['rec_77.wav', 'rec_77.wav.json']);
  });

  it('a conflict (different bytes already archived) publishes no companion and leaves no temp', async () => {
    await writeFile(path.join(root, REL), 'something else');
    const err = await downloadToArchive(
      opts(fakeOpen({ content: bytes(10_000) }).open, {
        companions: () => [{ relativePath: REL + '.json', data: '{}' }],
      }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArchiveError);
    expect((err as ArchiveError).kind).toBe('conflict');
    expect(await readdir(folder)).toEqual(['rec_77.wav']);
  });

  it('the same bytes already archived (crash before the index row): companion rewritten', async () => {
    const content = bytes(20_000, 9);
    await writeFile(path.join(root, REL), content);
    const result = await downloadToArchive(
      opts(fakeOpen({ content }).open, {
        companions: () => [{ relativePath: REL + '.json', data: '{"v":2}' }],
      }),
    );
    expect(result.alreadyArchived).toBe(true);
    expect(await readFile(path.join(root, REL + '.json'), 'utf8')).toBe('{"v":2}');
    expect((await readdir(folder)).sort()).toEqual(['rec_77.wav', 'rec_77.wav.json']);
  });

  it('a companion outside the archive is refused and the media file is not published', async () => {
    const err = await downloadToArchive(
      opts(fakeOpen({ content: bytes(5_000) }).open, {
        companions: () => [{ relativePath: '../escape.json', data: '{}' }],
      }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArchiveError);
    expect(existsSync(path.join(root, REL))).toBe(false);
    expect(existsSync(path.join(base, 'escape.json'))).toBe(false);
    expect((await readdir(folder)).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });
});

describe('the finished .part is checked against what was written', () => {
  it('a .part truncated behind the writer is an integrity error, never published', async () => {
    const content = bytes(40_000, 5);
    const part = path.join(root, REL + '.part');
    const err = await downloadToArchive(
      opts(fakeOpen({ content }).open, {
        openPartFile: async (file, flags) => {
          const { open } = await import('node:fs/promises');
          const handle = await open(file, flags);
          return {
            write: (b, o, l, p) => handle.write(b, o, l, p),
            sync: async () => {
              await truncate(part, 100);
              await handle.sync();
            },
            truncate: (len) => handle.truncate(len),
            close: () => handle.close(),
          };
        },
      }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArchiveError);
    expect((err as ArchiveError).kind).toBe('integrity');
    expect(existsSync(path.join(root, REL))).toBe(false);
    expect(existsSync(part)).toBe(false);
  });
});

describe('fsyncDirShared', () => {
  it('concurrent callers share fsyncs; each waits for one that started after it called', async () => {
    const calls = Array.from({ length: 20 }, () => fsyncDirShared(folder));
    await Promise.all(calls);
    // And sequential calls keep working once the group is idle.
    await fsyncDirShared(folder);
    await writeFileAtomic(path.join(folder, 'a.json'), '{}');
    expect((await stat(path.join(folder, 'a.json'))).size).toBe(2);
  });

  it('a folder that cannot be synced rejects every caller sharing it', async () => {
    const missing = path.join(base, 'gone');
    const results = await Promise.allSettled([
      fsyncDirShared(missing),
      fsyncDirShared(missing),
      fsyncDirShared(missing),
    ]);
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    await mkdir(missing);
    await expect(fsyncDirShared(missing)).resolves.toBeUndefined();
  });
});
