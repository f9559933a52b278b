import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations, schemaVersion } from '../../../main/core/db/migrate.ts';
import { MIGRATIONS } from '../../../main/core/db/migrations/index.ts';
import type { Db } from '../../../main/core/db/sqlite.ts';

// Migration 011 (holds, retention rules, disposal tombstones, schedules), applied on top of 010.

let db: Db;
afterEach(() => db?.close());

const NOW = '2024-01-01T00:00:00.000Z';

function migrated(): Db {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  applyMigrations(db, MIGRATIONS.slice(0, 10));
  expect(schemaVersion(db)).toBe(10);
  applyMigrations(db, MIGRATIONS.slice(0, 11));
  expect(schemaVersion(db)).toBe(11);
  return db;
}

function account(name = 'a'): number {
  return Number(
    db
      .prepare(
        `INSERT INTO accounts (name, provider, created_at, updated_at) VALUES (?, 'kallglot', ?, ?)`,
      )
      .run(name, NOW, NOW).lastInsertRowid,
  );
}

function recording(accountId: number, remoteId: string): number {
  return Number(
    db
      .prepare(
        `INSERT INTO recordings (account_id, provider, remote_id, channel, provider_status,
           remote_status, discovered_at, updated_at)
         VALUES (?, 'kallglot', ?, 'mixed', 'ready', 'ready', ?, ?)`,
      )
      .run(accountId, remoteId, NOW, NOW).lastInsertRowid,
  );
}

const hold = (name: string) =>
  Number(
    db
      .prepare(`INSERT INTO holds (name, created_by, created_at) VALUES (?, 'user', ?)`)
      .run(name, NOW).lastInsertRowid,
  );

describe('migration 011 holds-retention-schedules', () => {
  it('is the eleventh step', () => {
    expect(MIGRATIONS[10]).toMatchObject({ version: 11, name: 'holds-retention-schedules' });
  });

  it('holds: a live name once (case-insensitive), reusable after release, which needs a reason', () => {
    migrated();
    const first = hold('Smith v Acme');
    expect(() => hold('smith V ACME')).toThrow(/UNIQUE/);
    expect(() =>
      db.prepare(`UPDATE holds SET released_at = ? WHERE id = ?`).run(NOW, first),
    ).toThrow(/CHECK/);
    db.prepare(`UPDATE holds SET released_at = ?, release_reason = 'settled' WHERE id = ?`).run(
      NOW,
      first,
    );
    expect(() => hold('Smith v Acme')).not.toThrow();
    expect(() => hold('  ')).toThrow(/CHECK/);
  });

  it('hold items: a recording once per matter; neither a held recording nor a matter can be deleted', () => {
    migrated();
    const r = recording(account(), 'rec_1');
    const h = hold('M');
    const add = () =>
      db
        .prepare(
          `INSERT INTO hold_items (hold_id, recording_id, added_by, added_at) VALUES (?, ?, 'user', ?)`,
        )
        .run(h, r, NOW);
    add();
    expect(add).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => db.prepare('DELETE FROM recordings WHERE id = ?').run(r)).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare('DELETE FROM holds WHERE id = ?').run(h)).toThrow(/FOREIGN KEY/);
  });

  it('retention rules: one global and one per account; a count needs its unit', () => {
    migrated();
    const a = account();
    const rule = (accountId: number | null, count: number | null, unit: string | null) =>
      db
        .prepare(
          `INSERT INTO retention_rules (account_id, keep_count, keep_unit, updated_by, updated_at)
           VALUES (?, ?, ?, 'cli', ?)`,
        )
        .run(accountId, count, unit, NOW);
    rule(null, 7, 'years');
    rule(a, null, null);
    expect(() => rule(null, 90, 'days')).toThrow(/UNIQUE/);
    expect(() => rule(a, 90, 'days')).toThrow(/UNIQUE/);
    expect(() => rule(account('b'), 90, null)).toThrow(/CHECK/);
    expect(() => rule(account('c'), 0, 'days')).toThrow(/CHECK/);
    expect(() => rule(account('d'), 3, 'weeks')).toThrow(/CHECK/);
  });

  it('disposals: tombstones are append-only', () => {
    migrated();
    const a = account();
    const r = recording(a, 'rec_1');
    db.prepare(
      `INSERT INTO disposals (recording_id, account_id, provider, remote_id, local_path, sha256,
         size, recorded_at, disposed_at, rule, actor)
       VALUES (?, ?, 'kallglot', 'rec_1', 'x/rec_1.mp3', ?, 10, ?, ?, 'global: keep 7 years', 'cli')`,
    ).run(r, a, 'a'.repeat(64), NOW, NOW);
    expect(() => db.prepare(`UPDATE disposals SET sha256 = 'b'`).run()).toThrow(/append-only/);
    expect(() => db.prepare(`DELETE FROM disposals`).run()).toThrow(/append-only/);
  });

  it('schedules: every N hours or daily at HH:MM, not both; removed with their account', () => {
    migrated();
    const a = account();
    const schedule = (accountId: number, every: number | null, daily: string | null) =>
      db
        .prepare(
          `INSERT INTO schedules (account_id, every_hours, daily_at, updated_at) VALUES (?, ?, ?, ?)`,
        )
        .run(accountId, every, daily, NOW);
    expect(() => schedule(a, 6, '02:30')).toThrow(/CHECK/);
    expect(() => schedule(a, null, null)).toThrow(/CHECK/);
    expect(() => schedule(a, null, '2:30')).toThrow(/CHECK/);
    expect(() => schedule(a, 0, null)).toThrow(/CHECK/);
    schedule(a, 6, null);
    expect(() => schedule(a, null, '02:30')).toThrow(/UNIQUE|PRIMARY KEY/);
    db.prepare('DELETE FROM accounts WHERE id = ?').run(a);
    expect(db.prepare('SELECT count(*) FROM schedules').pluck().get()).toBe(0);
  });
});
