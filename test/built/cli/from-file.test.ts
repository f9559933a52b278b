import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dualChannelSession } from '../../fakes/kallglot.ts';
import { tempDir } from '../../support/tmp.ts';
import { addKallglotAccount, runCli, runCliOk } from '../../support/cli.ts';
import { newDataDir, startWorld, type World } from '../../support/engine.ts';
import { recordings } from '../../support/data-dir.ts';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

describe('recvault sync --from-file', () => {
  it('refuses a file with bad lines, naming each, and syncs nothing', async () => {
    world = await startWorld({ kallglot: { sessions: [dualChannelSession('sess_F1')] } });
    const dataDir = newDataDir();
    const env = await addKallglotAccount(dataDir, world.kallglot, 'F');
    const file = path.join(tempDir(), 'export.csv');
    fs.writeFileSync(file, 'session_id,agent\nsess_F1,ann\nnot a session,bob\n../../etc,eve\n');
    const bad = await runCli(dataDir, ['sync', '--account', 'F', '--from-file', file], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${file}:3: "not a session" is not an id`);
    expect(bad.stderr).toContain(`${file}:4:`);
    expect(bad.stderr).toContain('2 line(s)');
    expect(recordings(dataDir)).toEqual([]);
  });

  it('syncs every session a CSV column names', async () => {
    world = await startWorld({
      kallglot: { sessions: [dualChannelSession('sess_F1'), dualChannelSession('sess_F2')] },
    });
    const dataDir = newDataDir();
    const env = await addKallglotAccount(dataDir, world.kallglot, 'F');
    const file = path.join(tempDir(), 'sessions.csv');
    fs.writeFileSync(file, '\uFEFFdate;session_id\n2026-11-01;sess_F1\n2026-11-02;"sess_F2"\n');
    await runCliOk(dataDir, ['sync', '--account', 'F', '--from-file', file], env);
    const rows = recordings(dataDir);
    expect(rows).toHaveLength(6);
    expect(new Set(rows.map((r) => r.session_id))).toEqual(new Set(['sess_F1', 'sess_F2']));
    expect(rows.every((r) => r.state === 'archived')).toBe(true);
  });
});
