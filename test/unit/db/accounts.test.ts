import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addAccount,
  getAccount,
  listAccounts,
  removeAccount,
  updateAccount,
} from '../../../main/core/db/accounts.ts';
import { IndexInputError } from '../../../main/core/db/errors.ts';
import { upsertDiscovered } from '../../../main/core/db/recordings.ts';
import type { Db } from '../../../main/core/db/sqlite.ts';
import { kallglotAccount, kallglotRecording, tempIndex } from '../../support/index-fixtures.ts';

let db: Db;
let cleanup: () => void;
beforeEach(() => ({ db, cleanup } = tempIndex()));
afterEach(() => cleanup());

describe('accounts repository', () => {
  it('adds, lists, gets and updates accounts with their non-secret settings', () => {
    const added = addAccount(db, {
      name: '  Kore support ',
      provider: 'koreai',
      settings: {
        host: 'bots.kore.ai',
        botId: 'st-1',
        clientId: 'cs-2',
        secretEnvVar: 'KORE_SECRET',
      },
      secretRef: 'safe-storage:account-1',
    });
    expect(added).toMatchObject({
      name: 'Kore support',
      provider: 'koreai',
      settings: { host: 'bots.kore.ai', botId: 'st-1', clientId: 'cs-2' },
      disabled: false,
      authError: null,
    });
    expect(listAccounts(db).map((a) => a.id)).toEqual([added.id]);
    const updated = updateAccount(db, added.id, { authError: 'expired key', disabled: true });
    expect(updated).toMatchObject({
      authError: 'expired key',
      disabled: true,
      name: 'Kore support',
    });
    expect(getAccount(db, added.id)).toEqual(updated);
  });

  it('refuses settings that carry a secret, and malformed secret references', () => {
    expect(() =>
      addAccount(db, {
        name: 'leaky',
        provider: 'kallglot',
        settings: { baseUrl: 'https://api.kallglot.com', apiKey: 'sk_live_123' } as never,
      }),
    ).toThrow(IndexInputError);
    expect(() =>
      addAccount(db, {
        name: 'leaky',
        provider: 'kallglot',
        settings: { baseUrl: 'https://api.kallglot.com' },
        secretRef: 'sk_live_0123456789abcdef0123456789abcdef',
      }),
    ).toThrow(/secret reference/);
    // The rejected value never appears in the error.
    try {
      addAccount(db, {
        name: 'leaky',
        provider: 'envoy',
        settings: { baseUrl: 'https://x.test', token: 'tok_SECRET' } as never,
      });
    } catch (error) {
      expect((error as Error).message).not.toContain('tok_SECRET');
    }
    expect(listAccounts(db)).toEqual([]);
  });

  it('reports a duplicate name clearly', () => {
    kallglotAccount(db, 'Prod');
    expect(() => kallglotAccount(db, 'PROD')).toThrow('An account named "PROD" already exists.');
  });

  it('deletes an unused account but retires one whose recordings stay in the index', () => {
    const unused = kallglotAccount(db, 'unused');
    expect(removeAccount(db, unused)).toEqual({ removed: 'deleted' });
    expect(getAccount(db, unused)).toBeNull();

    const used = kallglotAccount(db, 'used');
    upsertDiscovered(db, used, kallglotRecording());
    expect(removeAccount(db, used)).toEqual({ removed: 'retired' });
    expect(listAccounts(db)).toEqual([]);
    expect(listAccounts(db, { includeRemoved: true })[0]).toMatchObject({
      id: used,
      disabled: true,
    });
    // The name is free again.
    expect(() => kallglotAccount(db, 'used')).not.toThrow();
  });
});
