// Removing an account through the handler table, as the app does (its secret typed in and kept
// encrypted in secrets.json): the secret is forgotten, what it archived stays, and a new account
// of the same name starts with nothing of the old one's.
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../main/core/engine.ts';
import { localKeyCipher } from '../../../main/core/secrets/local-key-cipher.ts';
import { dualChannelSession, startFakeKallglot, type FakeKallglot } from '../../fakes/kallglot.ts';
import { mediaFiles, queryIndex } from '../../support/data-dir.ts';
import { newDataDir } from '../../support/engine.ts';
import { openAppEngine, request, settledJob } from '../../support/handlers.ts';

let fake: FakeKallglot | null = null;
let engine: Engine | null = null;

afterEach(async () => {
  await engine?.close();
  await fake?.close();
  engine = fake = null;
});

const REFUSED_KEY = 'sk_test_recvault_some_other_key';

function storedSecrets(dataDir: string): Record<string, string> {
  const file = path.join(dataDir, 'secrets.json');
  return fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>)
    : {};
}

/** The key the fake saw on its last request. */
function lastKeySeen(kallglot: FakeKallglot): string | undefined {
  const auth = kallglot.requests.at(-1)?.headers.authorization;
  return /^Bearer (\S+)$/.exec(String(auth ?? ''))?.[1];
}

describe('removing an account', () => {
  it('forgets its secret, keeps its recordings, and a new one of the same name inherits nothing', async () => {
    fake = await startFakeKallglot({ sessions: [dualChannelSession('sess_rm')] });
    const dataDir = newDataDir();
    fs.mkdirSync(dataDir, { recursive: true });
    engine = await openAppEngine(
      {},
      { dataDir, platform: { cipher: localKeyCipher(path.join(dataDir, 'secrets.key')) } },
    );
    const first = await request(engine, 'accountsAdd', {
      provider: 'kallglot',
      name: 'Main',
      baseUrl: fake.baseUrl,
      secret: fake.apiKey,
    });
    expect(first.secretSource).toBe('encrypted');
    const stored = storedSecrets(dataDir);
    expect(Object.keys(stored)).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(fake.apiKey);
    const job = await request(engine, 'syncStart', {
      accountId: first.id,
      sessions: [{ id: 'sess_rm' }],
    });
    expect((await settledJob(engine, job.id)).totals.archived).toBe(3);

    expect(await request(engine, 'accountsRemove', { id: first.id })).toEqual({ removed: true });
    expect(await request(engine, 'accountsList', {})).toEqual([]);
    expect(storedSecrets(dataDir)).toEqual({});
    const [removal] = queryIndex<{ actor: string; details_json: string }>(
      dataDir,
      `SELECT actor, details_json FROM audit_log WHERE action = 'account.removed'`,
    );
    expect(removal!.actor).toBe(os.userInfo().username);
    // What it archived stays in the library and on disk.
    expect(
      (await request(engine, 'librarySearch', { query: { text: 'sess_rm' } })).rows,
    ).toHaveLength(3);
    expect(mediaFiles(dataDir)).toHaveLength(3);
    await expect(
      request(engine, 'syncStart', { accountId: first.id, sessions: [{ id: 'sess_rm' }] }),
    ).rejects.toMatchObject({ code: 'not_found' });

    // A new account of the same name, with another key: that key is the one used.
    const second = await request(engine, 'accountsAdd', {
      provider: 'kallglot',
      name: 'Main',
      baseUrl: fake.baseUrl,
      secret: REFUSED_KEY,
    });
    expect(second.id).not.toBe(first.id);
    expect(second.recordingCount).toBe(0);
    expect(await request(engine, 'accountsList', {})).toEqual([second]);
    expect(Object.keys(storedSecrets(dataDir))).toHaveLength(1);
    expect(Object.keys(storedSecrets(dataDir))).not.toEqual(Object.keys(stored));
    const verdict = await request(engine, 'accountsTest', { id: second.id });
    expect(verdict.ok).toBe(false);
    expect(lastKeySeen(fake)).toBe(REFUSED_KEY);
    const again = await request(engine, 'syncStart', {
      accountId: second.id,
      sessions: [{ id: 'sess_rm' }],
    });
    const refused = await settledJob(engine, again.id);
    expect(refused.state).toBe('failed');
    expect(refused.error).toMatch(/API key/);
    expect(lastKeySeen(fake)).toBe(REFUSED_KEY);
  });
});
