// Issue 11's export flow through the engine (the same handler table the bridge and the app
// use): the dialog's "N recordings → M files" is what the export then writes (split channels,
// rows not archived), the last destination and options survive a restart, "Retry with the same
// settings" makes the same files again and is audited, and "Verify this export" names an altered
// file.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inProcessApi, type InProcessApi } from '../../../main/core/api/in-process-client.ts';
import type { Engine } from '../../../main/core/engine.ts';
import { dualChannelSession, startFakeKallglot, type FakeKallglot } from '../../fakes/kallglot.ts';
import { verifyPlainExport } from '../../../main/core/export/verify-plain-export.ts';
import { openTestEngine } from '../../support/engine.ts';
import { tempDir } from '../../support/tmp.ts';

let fake: FakeKallglot;
let engine: Engine;
let api: InProcessApi;
let archived: number[];
let waiting: number;

beforeEach(async () => {
  fake = await startFakeKallglot({
    sessions: [
      dualChannelSession('sess_flow'),
      { id: 'sess_wait', recordings: [{ id: 'rec_wait', channel: 'mixed', status: 'processing' }] },
      // The index says "mixed" (stereo), the file is mono: only reading the file tells.
      {
        id: 'sess_mono',
        recordings: [
          { id: 'rec_mono', channel: 'mixed', audio: { channel: 'agent', format: 'mp3' } },
        ],
      },
    ],
  });
  engine = await openTestEngine({ KALLGLOT_KEY: fake.apiKey });
  api = inProcessApi(engine.handlers, engine.events);
  const account = engine.accounts.add(
    'kallglot',
    { name: 'Flow', baseUrl: fake.baseUrl },
    { secretEnv: 'KALLGLOT_KEY' },
  );
  const job = engine.jobs.start(account.id, {
    sessions: [{ id: 'sess_flow' }, { id: 'sess_wait' }],
    recordingIds: [],
    callIds: [],
  });
  await engine.jobs.wait(job.id);
  const rows = engine.db.prepare('SELECT id, state FROM recordings ORDER BY id').all() as {
    id: number;
    state: string;
  }[];
  archived = rows.filter((r) => r.state === 'archived').map((r) => r.id);
  waiting = rows.find((r) => r.state !== 'archived')!.id;
  expect(archived).toHaveLength(3);
});
afterEach(async () => {
  await engine?.close();
  await fake?.close();
});

const split = {
  format: 'wav',
  channels: 'split',
  fileNameTemplate: '{recording}_{channel}',
} as const;

async function value<T>(
  promise: Promise<{ ok: true; value: T } | { ok: false; message: string }>,
): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

async function exportTo(destination: { kind: 'folder' | 'zip'; path: string }) {
  const started = await value(
    api.exportStart({ recordingIds: archived, destination, options: split }),
  );
  return value(api.exportWait({ exportId: started.id }));
}

const mediaIn = (folder: string): string[] =>
  fs
    .readdirSync(folder)
    .filter((name) => name.endsWith('.wav'))
    .sort();

describe('the export flow', () => {
  it('plans "3 recordings → 4 files" with split channels, counts the row not archived, and the export writes exactly those files', async () => {
    const plan = await value(
      api.exportPlan({ recordingIds: [...archived, waiting], options: split }),
    );
    // The stereo recording becomes agent + customer; the two mono ones stay one file each.
    expect(plan).toMatchObject({
      selected: 4,
      archived: 3,
      notArchived: 1,
      files: 4,
      split: 1,
      byExtension: { wav: 4 },
    });
    const kept = await value(
      api.exportPlan({ recordingIds: archived, options: { ...split, channels: 'keep' } }),
    );
    expect(kept).toMatchObject({ selected: 3, files: 3, split: 0 });

    const out = path.join(tempDir(), 'split');
    const ended = await exportTo({ kind: 'folder', path: out });
    expect(ended.export.state).toBe('done');
    expect(mediaIn(out)).toHaveLength(plan.files);
    expect(mediaIn(out)).toEqual(expect.arrayContaining(plan.sampleNames));
  });

  it('reads what a file holds as the run does: a "mixed" recording that is mono stays one file', async () => {
    const job = engine.jobs.start(engine.accounts.list()[0]!.id, {
      sessions: [{ id: 'sess_mono' }],
      recordingIds: [],
      callIds: [],
    });
    await engine.jobs.wait(job.id);
    const mono = (
      engine.db.prepare(`SELECT id FROM recordings WHERE remote_id = 'rec_mono'`).get() as {
        id: number;
      }
    ).id;
    const plan = await value(api.exportPlan({ recordingIds: [mono], options: split }));
    expect(plan).toMatchObject({ archived: 1, files: 1, split: 0 });
    const out = path.join(tempDir(), 'mono');
    const started = await value(
      api.exportStart({
        recordingIds: [mono],
        destination: { kind: 'folder', path: out },
        options: split,
      }),
    );
    await value(api.exportWait({ exportId: started.id }));
    expect(mediaIn(out)).toHaveLength(plan.files);
  });

  it('remembers the last destination and options in the engine’s settings, across a restart', async () => {
    expect((await value(api.settingsGet({}))).lastExport ?? null).toBeNull();
    const out = path.join(tempDir(), 'remembered');
    await exportTo({ kind: 'folder', path: out });
    const expected = {
      destination: { kind: 'folder', path: out },
      options: expect.objectContaining({
        format: 'wav',
        channels: 'split',
        fileNameTemplate: '{recording}_{channel}',
      }),
    };
    expect((await value(api.settingsGet({}))).lastExport).toEqual(expected);
    const dataDir = engine.paths.dataDir;
    await engine.close();
    engine = await openTestEngine({ KALLGLOT_KEY: fake.apiKey }, { dataDir });
    api = inProcessApi(engine.handlers, engine.events);
    expect((await value(api.settingsGet({}))).lastExport).toEqual(expected);
  });

  it('retries a failed export with the same settings once the cause is fixed: the same files, audited; its detail and verification hold', async () => {
    const parent = tempDir();
    // A file where the zip's folder should be: the export fails when it writes.
    const blocker = path.join(parent, 'blocked');
    fs.writeFileSync(blocker, 'not a folder');
    const zip = path.join(blocker, 'for-legal.zip');
    const failed = await exportTo({ kind: 'zip', path: zip });
    expect(failed.export.state).toBe('failed');
    const failedDetail = await value(api.exportDetail({ exportId: failed.export.id }));
    expect(failedDetail).toMatchObject({
      kind: 'zip',
      recordings: 3,
      files: [],
      retryRefusal: null,
    });
    expect(failedDetail.export.error).toMatch(/blocked/);
    expect(failedDetail.options).toMatchObject({ format: 'wav', channels: 'split' });

    fs.rmSync(blocker);
    fs.mkdirSync(blocker);
    const retried = await value(api.exportRetry({ exportId: failed.export.id }));
    const ended = await value(api.exportWait({ exportId: retried.id }));
    expect(ended.export.state).toBe('done');
    const detail = await value(api.exportDetail({ exportId: retried.id }));
    expect(detail.retryOf).toBe(failed.export.id);
    expect(detail.zipSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(detail.manifestCsv?.split('\r\n')[0]).toMatch(/^output_file,output_sha256/);
    const audit = engine.db
      .prepare(`SELECT details_json FROM audit_log WHERE action = 'export.started' AND subject = ?`)
      .get(`export:${retried.id}`) as { details_json: string };
    expect(JSON.parse(audit.details_json)).toMatchObject({
      retryOf: failed.export.id,
      recordings: 3,
    });

    // The same selection and options exported afresh: the same names, the same bytes.
    const fresh = await exportTo({ kind: 'folder', path: path.join(parent, 'fresh') });
    const freshDetail = await value(api.exportDetail({ exportId: fresh.export.id }));
    const byName = (files: { name: string; sha256: string; bytes: number }[]) =>
      files
        .map(({ name, sha256, bytes }) => ({ name, sha256, bytes }))
        .sort((a, b) => a.name.localeCompare(b.name));
    expect(detail.files).toHaveLength(4);
    expect(byName(detail.files)).toEqual(byName(freshDetail.files));

    const verified = await value(api.exportCheck({ exportId: retried.id }));
    expect(verified.ok).toBe(true);
    const verifiedAudit = engine.db
      .prepare(
        `SELECT details_json FROM audit_log WHERE action = 'export.verified' AND subject = ?`,
      )
      .get(`export:${retried.id}`) as { details_json: string };
    expect(JSON.parse(verifiedAudit.details_json)).toMatchObject({ ok: true, failed: [] });
    // A zip whose bytes are not the ones recorded: said at the package, with both hashes.
    const otherZip = await verifyPlainExport({
      kind: 'zip',
      path: zip,
      files: detail.files,
      manifestSha256: detail.manifestSha256,
      zipSha256: '0'.repeat(64),
    });
    expect(otherZip.ok).toBe(false);
    expect(otherZip.findings.find((f) => !f.ok)?.message).toContain(
      `the zip's SHA-256 is ${detail.zipSha256}, the export recorded ${'0'.repeat(64)}`,
    );
    // The zip itself changed after the export: refused at the package, before any file.
    fs.appendFileSync(zip, Buffer.from('tampered'));
    const zipAltered = await value(api.exportCheck({ exportId: retried.id }));
    expect(zipAltered.ok).toBe(false);
    expect(zipAltered.findings.find((f) => !f.ok)).toMatchObject({ check: 'package' });
    // A file changed after the export: named, for the folder export.
    const victim = freshDetail.files[0]!.name;
    fs.appendFileSync(path.join(parent, 'fresh', victim), 'x');
    const altered = await value(api.exportCheck({ exportId: fresh.export.id }));
    expect(altered.ok).toBe(false);
    expect(altered.findings.find((f) => !f.ok)).toMatchObject({ subject: victim });
    expect(altered.findings.find((f) => !f.ok)?.message).toMatch(/changed/);
  });
});
