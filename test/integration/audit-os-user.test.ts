// The audit log names the operating-system user for what a person asks, as the app, the bridge
// (the engine's defaults) and the CLI open the engine; older rows keep their words and the
// chain stays valid across them, because each entry's hash covers the actor it was written with.
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { appendAudit } from '../../main/core/audit/append-audit.ts';
import { listAudit } from '../../main/core/audit/read-audit.ts';
import { verifyAudit } from '../../main/core/audit/verify-audit.ts';
import { CLI_ENGINE_OPTIONS } from '../../main/cli/engine-options.ts';
import { openEngine, type Engine } from '../../main/core/engine.ts';
import { newDataDir } from '../support/engine.ts';
import { request } from '../support/handlers.ts';

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.close();
  engine = null;
});

describe('the actor of an audit entry', () => {
  it.each([
    ['the app and the bridge', {}],
    ['the command line', CLI_ENGINE_OPTIONS],
  ])(
    'is the OS user for %s, after an older "user" row, with the chain intact',
    async (_, options) => {
      const dataDir = newDataDir();
      engine = await openEngine({ dataDir, env: {}, ...options });
      // A row as an older version wrote it.
      appendAudit(engine.db, { actor: 'user', action: 'account.tested', subject: 'account:0' });
      await request(engine, 'holdCreate', { name: 'Matter 7' });
      const entries = listAudit(engine.db, {});
      expect(entries.map((e) => e.actor)).toContain('user');
      const newest = entries.find((e) => e.action === 'hold.created');
      expect(newest?.actor).toBe(os.userInfo().username);
      expect(verifyAudit(engine.db)).toMatchObject({ ok: true, problems: [] });
    },
  );
});
