// What an export must never do: write outside its folder, overwrite a file it did not write,
// leave partial files after a cancel, or let one bad input sink the batch.
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportConflictError } from '../../../main/core/convert/destination.ts';
import { runExport } from '../../../main/core/convert/run-export.ts';
import type { ExportSource } from '../../../main/core/convert/source.ts';
import {
  ffmpeg,
  makeMonoWav,
  makeStereoMixed,
  sourceFor,
  tools,
  writeGarbage,
} from '../../support/media.ts';
import { makeTempDir, removeDir } from '../../support/tmp.ts';

let dir: string;
let good: ExportSource;
let long: string;

beforeAll(async () => {
  dir = await makeTempDir('safety');
  good = await sourceFor(await makeMonoWav(path.join(dir, 'good.wav')), {
    recordedAt: '2024-01-01T00:00:00Z',
  });
  // Long enough (with loudnorm) that a cancel lands while ffmpeg is still working.
  long = path.join(dir, 'long.flac');
  await ffmpeg(['-f', 'lavfi', '-i', 'sine=f=300:d=120:r=44100', '-ac', '2', '-c:a', 'flac', long]);
});
afterAll(() => removeDir(dir));

/** Every file under `root`, relative, recursively (hidden ones included). */
async function listAll(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

describe('hostile ids and names', () => {
  it('produce safe, unique names inside the output folder', async () => {
    const hostile = [
      '../../etc/passwd',
      'CON',
      'con.txt',
      'nul\u0000byte',
      'x'.repeat(300),
      'a:b*?',
      'manifest', // with the {recording} template alone this would be manifest.json-ish
      'trailing dots...',
      'evil\u202Egpj.exe',
    ];
    const sources = await Promise.all(
      hostile.map((remoteId, i) =>
        sourceFor(good.absolutePath, {
          remoteId,
          recordingId: `h${i}`,
          recordedAt: `2024-02-01T00:00:0${i}Z`,
        }),
      ),
    );
    // Same id twice → a deterministic "(2)".
    sources.push(
      await sourceFor(good.absolutePath, {
        remoteId: 'CON',
        recordingId: 'h9',
        recordedAt: '2024-02-02T00:00:00Z',
      }),
    );
    const out = path.join(dir, 'hostile');
    const summary = await runExport({
      sources,
      options: { format: 'original', fileNameTemplate: '{recording}' },
      destination: { kind: 'folder', path: out },
      tools,
    });
    expect(summary.failures).toEqual([]);
    const names = summary.outputs.map((o) => o.outputName);
    expect(names).toEqual([
      '__._etc_passwd.wav',
      '_CON.wav',
      '_con.txt.wav',
      'nul_byte.wav',
      `${'x'.repeat(150)}.wav`,
      'a_b__.wav',
      'manifest.wav',
      'trailing dots.wav',
      'evilgpj.exe.wav',
      '_CON (2).wav',
    ]);
    for (const name of names) {
      expect(path.dirname(path.resolve(out, name))).toBe(out);
      expect(name).not.toMatch(/[<>:"/\\|?*\u0000-\u001f]|\.\./);
      expect(Buffer.byteLength(name)).toBeLessThanOrEqual(160);
    }
    // Everything the export wrote is in the folder, nothing elsewhere.
    expect((await listAll(out)).sort()).toEqual(
      [...names, 'SHA256SUMS', 'manifest.csv', 'manifest.json'].sort(),
    );
    expect((await readdir(dir)).sort()).toEqual(['good.wav', 'hostile', 'long.flac']);
  });
});

describe('pre-existing files', () => {
  it('refuses to touch a file already in the folder, and writes nothing', async () => {
    const out = path.join(dir, 'existing');
    await mkdir(out);
    // Case differs: on Windows and macOS this is the same file.
    const existing = path.join(out, 'KEEP-ME.WAV');
    await writeFile(existing, 'precious');
    const error = await runExport({
      sources: [await sourceFor(good.absolutePath, { remoteId: 'keep-me' })],
      options: { format: 'original', fileNameTemplate: '{recording}' },
      destination: { kind: 'folder', path: out },
      tools,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExportConflictError);
    expect((error as ExportConflictError).conflicts).toEqual(['keep-me.wav']);
    expect(await readFile(existing, 'utf8')).toBe('precious');
    expect(await listAll(out)).toEqual(['KEEP-ME.WAV']);
  });

  it('refuses a folder that already holds a manifest, and an existing zip', async () => {
    const out = path.join(dir, 'old-export');
    await mkdir(out);
    await writeFile(path.join(out, 'manifest.json'), '{}');
    await expect(
      runExport({
        sources: [good],
        options: { format: 'original' },
        destination: { kind: 'folder', path: out },
        tools,
      }),
    ).rejects.toThrow(/already contains manifest\.json/);
    const zip = path.join(dir, 'old.zip');
    await writeFile(zip, 'not mine');
    await expect(
      runExport({
        sources: [good],
        options: { format: 'original' },
        destination: { kind: 'zip', path: zip },
        tools,
      }),
    ).rejects.toBeInstanceOf(ExportConflictError);
    expect(await readFile(zip, 'utf8')).toBe('not mine');
  });
});

describe('failures', () => {
  it("one corrupt input fails alone, with ffmpeg's reason; the others succeed", async () => {
    const corrupt = await sourceFor(await writeGarbage(path.join(dir, 'corrupt.mp3')), {
      remoteId: 'rec_corrupt',
      recordedAt: '2024-01-02T00:00:00Z',
    });
    const stereo = await sourceFor(await makeStereoMixed(path.join(dir, 'fine.wav'), 1), {
      remoteId: 'rec_fine',
      recordedAt: '2024-01-03T00:00:00Z',
    });
    const out = path.join(dir, 'one-corrupt');
    const summary = await runExport({
      sources: [good, corrupt, stereo],
      options: { format: 'mp3' },
      destination: { kind: 'folder', path: out },
      tools,
    });
    expect(summary.outputs.map((o) => o.recordingId)).toEqual([
      good.recordingId,
      stereo.recordingId,
    ]);
    expect(summary.failures).toHaveLength(1);
    expect(summary.failures[0]).toMatchObject({ recordingId: corrupt.recordingId });
    // ffmpeg's own words (e.g. "Invalid data found when processing input"), not a generic error.
    expect(summary.failures[0]!.reason).toMatch(
      /Invalid (data|argument|frame)|could not find|Error/i,
    );
    expect(summary.failures[0]!.reason).toContain('corrupt.mp3');
    const manifest = JSON.parse(await readFile(summary.manifestPath, 'utf8'));
    expect(manifest.failures).toEqual(summary.failures);
    expect((await listAll(out)).filter((n) => n.includes('corrupt'))).toEqual([]);
  });

  it('refuses a source whose bytes no longer match the archived checksum', async () => {
    const tampered = await sourceFor(good.absolutePath, { sha256: 'a'.repeat(64) });
    const out = path.join(dir, 'tampered');
    for (const format of ['original', 'wav'] as const) {
      const summary = await runExport({
        sources: [tampered],
        options: { format },
        destination: { kind: 'folder', path: path.join(out, format) },
        tools,
      });
      expect(summary.outputs).toEqual([]);
      expect(summary.failures[0]!.reason).toMatch(/does not match the archive's checksum/);
    }
  });

  it('stops a conversion whose source fails its check, publishing nothing of it', async () => {
    // The check runs alongside ffmpeg: a long conversion is stopped, not finished and dropped.
    const tampered = await sourceFor(long, {
      remoteId: 'long_tampered',
      sha256: 'b'.repeat(64),
      recordedAt: '2024-07-01T00:00:00Z',
    });
    const fine = await sourceFor(good.absolutePath, {
      remoteId: 'short_fine',
      recordedAt: '2024-07-02T00:00:00Z',
    });
    const out = path.join(dir, 'tampered-long');
    const summary = await runExport({
      sources: [tampered, fine],
      options: { format: 'mp3', loudnorm: true },
      destination: { kind: 'folder', path: out },
      tools,
      concurrency: 1,
    });
    expect(summary.outputs.map((o) => o.recordingId)).toEqual([fine.recordingId]);
    expect(summary.failures).toHaveLength(1);
    expect(summary.failures[0]).toMatchObject({ recordingId: tampered.recordingId });
    expect(summary.failures[0]!.reason).toMatch(/does not match the archive's checksum/);
    expect((await listAll(out)).sort()).toEqual(
      [summary.outputs[0]!.outputName, 'SHA256SUMS', 'manifest.csv', 'manifest.json'].sort(),
    );
  });
});

describe('cancel', () => {
  it('kills ffmpeg and removes every file of a folder export, finished ones included', async () => {
    const sources = [
      good,
      await sourceFor(long, { remoteId: 'long1', recordedAt: '2024-06-01T00:00:00Z' }),
      await sourceFor(long, { remoteId: 'long2', recordedAt: '2024-06-02T00:00:00Z' }),
    ];
    const out = path.join(dir, 'cancelled');
    const controller = new AbortController();
    let doneBeforeCancel = 0;
    const started = Date.now();
    const run = runExport({
      sources,
      options: { format: 'mp3', loudnorm: true },
      destination: { kind: 'folder', path: out },
      tools,
      concurrency: 1,
      signal: controller.signal,
      onProgress: (e) => {
        if (e.type === 'file' && e.state === 'done') doneBeforeCancel++;
        // Mid-conversion of the first long file, after the short one was published.
        if (e.type === 'file' && e.index === 1 && e.state === 'progress' && e.fraction > 0) {
          controller.abort();
        }
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(doneBeforeCancel).toBe(1);
    expect(Date.now() - started).toBeLessThan(15_000);
    // The folder was created by the export, so it is gone entirely.
    await expect(stat(out)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('leaves no partial zip and no staging folder', async () => {
    const zipDir = path.join(dir, 'zip-cancel');
    const controller = new AbortController();
    const run = runExport({
      sources: [
        await sourceFor(long, { remoteId: 'z1' }),
        await sourceFor(long, { remoteId: 'z2' }),
      ],
      options: { format: 'ogg', loudnorm: true },
      destination: { kind: 'zip', path: path.join(zipDir, 'out.zip') },
      tools,
      concurrency: 2,
      signal: controller.signal,
      onProgress: (e) => {
        if (e.type === 'file' && e.state === 'progress' && e.fraction > 0) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(await readdir(zipDir)).toEqual([]);
  });
});
