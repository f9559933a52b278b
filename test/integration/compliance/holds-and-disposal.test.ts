import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dualChannelSession, startFakeKallglot, type FakeKallglot } from '../../fakes/kallglot.ts';
import { sha256 } from '../../support/bytes.ts';
import { archiveDir, filesUnder, queryIndex } from '../../support/data-dir.ts';
import { newDataDir } from '../../support/engine.ts';
import { recvault, recvaultOk } from './in-process-cli.ts';

// Legal holds and defensible disposal, through the `recvault` command as a user runs it, on an
// archive synced from the Kallglot fake: what ends up on disk, in the index and in the log.

let fake: FakeKallglot | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

const OLD = '2020-03-01T10:00:00.000Z';
const NEW = new Date(Date.now() - 86_400_000).toISOString();

interface Row {
  id: number;
  remote_id: string;
  session_id: string;
  state: string;
  local_path: string | null;
  sha256: string | null;
  local_size: number | null;
}

/** Two old sessions and a recent one, archived by `recvault sync`. */
async function archive(): Promise<{ dataDir: string; env: NodeJS.ProcessEnv; rows: Row[] }> {
  fake = await startFakeKallglot({
    sessions: [
      dualChannelSession('sess_old_a', { createdAt: OLD }),
      dualChannelSession('sess_old_b', { createdAt: OLD }),
      // Recent: one file with bytes of its own, one the same bytes as the old agent files.
      {
        id: 'sess_new',
        recordings: [
          {
            channel: 'mixed',
            createdAt: NEW,
            audio: { channel: 'mixed', format: 'mp3', durationSec: 2.5 },
          },
          { channel: 'agent', createdAt: NEW },
        ],
      },
    ],
  });
  const dataDir = newDataDir();
  const env = { KG_KEY: fake.apiKey };
  await recvaultOk(
    dataDir,
    [
      'account',
      'add',
      'kallglot',
      '--name',
      'KG',
      '--base-url',
      fake.baseUrl,
      '--api-key-env',
      'KG_KEY',
    ],
    env,
  );
  for (const session of ['sess_old_a', 'sess_old_b', 'sess_new']) {
    await recvaultOk(dataDir, ['sync', '--account', 'KG', '--session', session], env);
  }
  return { dataDir, env, rows: rows(dataDir) };
}

function rows(dataDir: string): Row[] {
  return queryIndex<Row>(
    dataDir,
    'SELECT id, remote_id, session_id, state, local_path, sha256, local_size FROM recordings ORDER BY id',
  );
}

const onDisk = (dataDir: string, row: Row) =>
  fs.existsSync(path.join(archiveDir(dataDir), row.local_path!));

describe('legal holds and disposal', () => {
  it('a held recording survives dispose --confirm; the others past retention are disposed of', async () => {
    const { dataDir, env, rows: before } = await archive();
    const [heldRow, ...rest] = before.filter((r) => r.session_id === 'sess_old_a');
    expect(before.every((r) => r.state === 'archived')).toBe(true);

    await recvaultOk(dataDir, ['hold', 'create', 'Smith v Acme', '--reference', 'CASE-7'], env);
    const added = await recvaultOk(dataDir, ['hold', 'add', 'Smith v Acme', String(heldRow!.id)]);
    expect(added.stdout).toContain('1 recording(s) added');
    await recvaultOk(dataDir, ['retention', 'set', '--keep', '1y']);

    const dry = await recvaultOk(dataDir, ['dispose', '--dry-run', '--json']);
    const preview = JSON.parse(dry.stdout) as {
      eligible: { recordingId: number }[];
      held: { recordingId: number; holds: string[] }[];
    };
    const old = before.filter((r) => r.session_id !== 'sess_new').map((r) => r.id);
    expect(preview.eligible.map((e) => e.recordingId).sort()).toEqual(
      old.filter((id) => id !== heldRow!.id).sort(),
    );
    expect(preview.held).toEqual([
      expect.objectContaining({ recordingId: heldRow!.id, holds: ['Smith v Acme'] }),
    ]);
    // A dry run deletes nothing.
    expect(before.every((r) => onDisk(dataDir, r))).toBe(true);

    const confirmed = await recvaultOk(dataDir, ['dispose', '--confirm']);
    expect(confirmed.stdout).toContain('Disposed of 5 recording(s)');
    const after = rows(dataDir);
    const byId = new Map(after.map((r) => [r.id, r]));
    expect(byId.get(heldRow!.id)).toMatchObject({ state: 'archived', sha256: heldRow!.sha256 });
    expect(onDisk(dataDir, heldRow!)).toBe(true);
    expect(sha256(fs.readFileSync(path.join(archiveDir(dataDir), heldRow!.local_path!)))).toBe(
      heldRow!.sha256,
    );
    for (const row of [...rest, ...before.filter((r) => r.session_id === 'sess_old_b')]) {
      expect(onDisk(dataDir, row), row.remote_id).toBe(false);
      expect(fs.existsSync(path.join(archiveDir(dataDir), `${row.local_path}.json`))).toBe(false);
      expect(byId.get(row.id)).toMatchObject({ state: 'skipped', local_path: null, sha256: null });
    }
    for (const row of before.filter((r) => r.session_id === 'sess_new')) {
      expect(onDisk(dataDir, row)).toBe(true);
    }

    // Released (with a reason, which is required), the recording is eligible at last.
    const noReason = await recvault(dataDir, ['hold', 'release', 'Smith v Acme']);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('--reason is required');
    await recvaultOk(dataDir, ['hold', 'release', 'Smith v Acme', '--reason', 'Case settled']);
    // A released matter holds nothing: no badge, no match for the hold filter.
    const stillHeld = JSON.parse(
      (await recvaultOk(dataDir, ['search', '--on-hold', '--json'])).stdout,
    ) as { rows: unknown[] };
    expect(stillHeld.rows).toEqual([]);
    const list = await recvaultOk(dataDir, ['hold', 'list']);
    expect(list.stdout).toMatch(/Smith v Acme\s+CASE-7\s+1\s.*released .*: Case settled/);
    const again = JSON.parse(
      (await recvaultOk(dataDir, ['dispose', '--dry-run', '--json'])).stdout,
    );
    expect(again.eligible.map((e: { recordingId: number }) => e.recordingId)).toEqual([
      heldRow!.id,
    ]);
  });

  it('disposal leaves a tombstone, an audit entry per file, no derived copies and a clean verify', async () => {
    const { dataDir, env, rows: before } = await archive();
    const victims = before.filter((r) => r.session_id !== 'sess_new');
    const recent = before.filter((r) => r.session_id === 'sess_new');
    // Derived copies, keyed by the file's SHA-256 (media/peaks.ts, drag/drag-files.ts): those
    // of bytes only disposed files had go; those of bytes a kept file shares stay.
    const gone = victims.find((v) => !recent.some((r) => r.sha256 === v.sha256))!;
    const twin = recent.find((r) => victims.some((v) => v.sha256 === r.sha256))!;
    const cache = path.join(dataDir, 'cache');
    const peaks = path.join(cache, 'peaks', `${gone.sha256}-2-800.json`);
    const drag = path.join(cache, 'drag', `${gone.sha256}-mp3`, 'copy.mp3');
    const keptPeaks = path.join(cache, 'peaks', `${twin.sha256}-1-800.json`);
    for (const file of [peaks, drag, keptPeaks]) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, 'derived');
    }
    await recvaultOk(dataDir, ['retention', 'set', '--account', 'KG', '--keep', '90d'], env);
    expect((await recvaultOk(dataDir, ['retention', 'list'])).stdout).toMatch(/KG\s+90 days/);
    await recvaultOk(dataDir, ['dispose', '--confirm']);

    const tombstones = queryIndex<Record<string, unknown>>(
      dataDir,
      'SELECT recording_id, remote_id, sha256, size, recorded_at, disposed_at, rule, actor FROM disposals ORDER BY recording_id',
    );
    expect(tombstones).toEqual(
      victims.map((r) => ({
        recording_id: r.id,
        remote_id: r.remote_id,
        sha256: r.sha256,
        size: r.local_size,
        recorded_at: OLD,
        disposed_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        rule: 'account KG: keep 90 days',
        // The OS user who ran the command, not a role word.
        actor: os.userInfo().username,
      })),
    );
    const audit = queryIndex<{ subject: string; details_json: string }>(
      dataDir,
      `SELECT subject, details_json FROM audit_log WHERE action = 'recording.disposed' ORDER BY seq`,
    );
    expect(audit.map((a) => a.subject).sort()).toEqual(
      victims.map((r) => `recording:${r.id}`).sort(),
    );
    expect(JSON.parse(audit[0]!.details_json)).toMatchObject({
      sha256: expect.any(String),
      rule: 'account KG: keep 90 days',
    });
    expect(fs.existsSync(peaks)).toBe(false);
    expect(fs.existsSync(path.dirname(drag))).toBe(false);
    expect(fs.existsSync(keptPeaks)).toBe(true);

    const verify = await recvaultOk(dataDir, ['verify']);
    expect(verify.stdout).toContain('6 recording(s) disposed of under retention');
    expect(verify.stdout).toContain('The archive matches its index.');
    expect(verify.stdout).not.toContain('missing');
    await recvaultOk(dataDir, ['audit', 'verify']);
    // Only the recent session's files remain in the archive.
    expect(filesUnder(archiveDir(dataDir)).filter((f) => !f.endsWith('.json'))).toEqual(
      recent.map((r) => r.local_path).sort(),
    );
  });

  it('a disposed recording is not downloaded again, unless asked with --include-disposed', async () => {
    const { dataDir, env, rows: before } = await archive();
    await recvaultOk(dataDir, ['retention', 'set', '--keep', '30d']);
    await recvaultOk(dataDir, ['dispose', '--confirm']);
    const disposed = before.filter((r) => r.session_id === 'sess_old_a');

    const hits = fake!.storage.requests.length;
    const resync = await recvaultOk(
      dataDir,
      ['sync', '--account', 'KG', '--session', 'sess_old_a'],
      env,
    );
    expect(fake!.storage.requests.length).toBe(hits);
    expect(resync.code).toBe(0);
    for (const row of disposed) expect(onDisk(dataDir, row)).toBe(false);
    expect(
      rows(dataDir)
        .filter((r) => r.session_id === 'sess_old_a')
        .map((r) => r.state),
    ).toEqual(['skipped', 'skipped', 'skipped']);

    await recvaultOk(
      dataDir,
      ['sync', '--account', 'KG', '--session', 'sess_old_a', '--include-disposed'],
      env,
    );
    expect(fake!.storage.requests.length).toBeGreaterThan(hits);
    const back = rows(dataDir).filter((r) => r.session_id === 'sess_old_a');
    expect(back.map((r) => r.state)).toEqual(['archived', 'archived', 'archived']);
    expect(back.map((r) => r.sha256)).toEqual(disposed.map((r) => r.sha256));
    await recvaultOk(dataDir, ['verify']);
  });

  it('dispose --confirm with nothing eligible and holds by query; an export per matter', async () => {
    const { dataDir, rows: before } = await archive();
    await recvaultOk(dataDir, ['hold', 'create', 'Audit 2020']);
    const added = JSON.parse(
      (await recvaultOk(dataDir, ['hold', 'add', 'Audit 2020', '--query', 'sess_old_b', '--json']))
        .stdout,
    );
    expect(added).toMatchObject({ added: 3, alreadyHeld: 0, hold: { recordings: 3 } });
    const search = await recvaultOk(dataDir, ['search', '--hold', 'Audit 2020', '--json']);
    const held = before.filter((r) => r.session_id === 'sess_old_b').map((r) => r.id);
    const found = (JSON.parse(search.stdout) as { rows: { id: number; holds?: string[] }[] }).rows;
    expect(found.map((r) => r.id).sort()).toEqual(held.sort());
    expect(found.every((r) => r.holds?.[0] === 'Audit 2020')).toBe(true);
    const onHold = await recvaultOk(dataDir, ['search', '--on-hold']);
    expect(onHold.stdout.match(/archived, on hold/g)).toHaveLength(3);
    const out = path.join(path.dirname(dataDir), 'matter');
    await recvaultOk(dataDir, ['export', '--hold', 'Audit 2020', '--out', out]);
    const exported = filesUnder(out).filter((f) => !/^(manifest\.|SHA256SUMS)/.test(f));
    expect(exported).toHaveLength(3);
    const ids = before.filter((r) => r.session_id === 'sess_old_b').map((r) => r.remote_id);
    for (const id of ids) expect(exported.some((f) => f.includes(id))).toBe(true);

    const nothing = await recvaultOk(dataDir, ['dispose', '--confirm']);
    expect(nothing.stdout).toContain('Nothing is eligible for disposal.');
    const unknown = await recvault(dataDir, ['hold', 'add', 'No such matter', '1']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No legal hold named "No such matter"');
    const actions = queryIndex<{ action: string }>(
      dataDir,
      `SELECT action FROM audit_log WHERE action LIKE 'hold.%' ORDER BY seq`,
    ).map((a) => a.action);
    expect(actions).toEqual(['hold.created', 'hold.recordings_added']);
  });
});
