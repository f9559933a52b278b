// The contract's own refusals at the trust boundary: ids that could reach a URL path, and
// provider addresses a key must not be sent to.
import { describe, expect, it } from 'vitest';
import { requestSchemas } from '../../../main/core/contract/requests.ts';

describe('syncStart ids', () => {
  it('are held to the plausible-id rule: no path separators, no dot segments, no spaces', () => {
    for (const bad of ['..', '../admin', 'a/b', 'a b', '', '%2e%2e', 'a?x=1', 'a#b']) {
      for (const field of ['recordingIds', 'callIds'] as const) {
        expect(requestSchemas.syncStart.safeParse({ accountId: 1, [field]: [bad] }).success).toBe(
          false,
        );
      }
      expect(
        requestSchemas.syncStart.safeParse({ accountId: 1, sessions: [{ id: bad }] }).success,
      ).toBe(false);
    }
    const good = {
      accountId: 1,
      recordingIds: ['rec_01H8', 'a.b:c@d+e-f'],
      sessions: [{ id: 's1' }],
    };
    expect(requestSchemas.syncStart.safeParse(good).success).toBe(true);
  });
});

describe('provider addresses', () => {
  it('are https, or http only to this machine', () => {
    const ok = (baseUrl: string) =>
      requestSchemas.accountsUpdate.safeParse({ id: 1, baseUrl }).success;
    expect(ok('https://api.kallglot.com')).toBe(true);
    expect(ok('http://127.0.0.1:4010')).toBe(true);
    expect(ok('http://localhost:4010')).toBe(true);
    expect(ok('http://[::1]:4010')).toBe(true);
    expect(ok('http://api.kallglot.com')).toBe(false);
    expect(ok('http://127.0.0.1.evil.example')).toBe(false);
    expect(ok('http://192.168.1.2')).toBe(false);
    const cliHost = (host: string) =>
      requestSchemas.accountsUpdateWithEnvSecret.safeParse({ id: 1, host }).success;
    expect(cliHost('platform.kore.ai')).toBe(true);
    expect(cliHost('http://platform.kore.ai')).toBe(false);
  });
});
