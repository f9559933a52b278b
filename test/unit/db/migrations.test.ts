import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations, schemaVersion } from '../../../main/core/db/migrate.ts';
import { MIGRATIONS } from '../../../main/core/db/migrations/index.ts';
import type { Db } from '../../../main/core/db/sqlite.ts';

// One test per migration: the schema just before it, then that one step, then what it added.

let db: Db;
afterEach(() => db?.close());

function migratedTo(version: number): Db {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  applyMigrations(db, MIGRATIONS.slice(0, version - 1));
  expect(schemaVersion(db)).toBe(version - 1);
  applyMigrations(db, MIGRATIONS.slice(0, version));
  expect(schemaVersion(db)).toBe(version);
  return db;
}

function columns(table: string): string[] {
  return (
    db.prepare(`SELECT name FROM pragma_table_xinfo(?)`).all(table) as { name: string }[]
  ).map((row) => row.name);
}

function indexes(table: string): string[] {
  return (db.prepare(`SELECT name FROM pragma_index_list(?)`).all(table) as { name: string }[]).map(
    (row) => row.name,
  );
}

function objects(type: string): string[] {
  return (
    db.prepare('SELECT name FROM sqlite_schema WHERE type = ? ORDER BY name').all(type) as {
      name: string;
    }[]
  ).map((row) => row.name);
}

const NOW = '2024-01-01T00:00:00.000Z';

function insertAccount(name = 'a', provider = 'kallglot'): number {
  return Number(
    db
      .prepare(`INSERT INTO accounts (name, provider, created_at, updated_at) VALUES (?, ?, ?, ?)`)
      .run(name, provider, NOW, NOW).lastInsertRowid,
  );
}

function insertRecording(accountId: number, remoteId: string, extra = ''): number {
  return Number(
    db
      .prepare(
        `INSERT INTO recordings (account_id, provider, remote_id, channel, provider_status,
           remote_status, discovered_at, updated_at ${extra ? ', notes' : ''})
         VALUES (?, 'kallglot', ?, 'mixed', 'ready', 'ready', ?, ? ${extra ? ', ?' : ''})`,
      )
      .run(accountId, remoteId, NOW, NOW, ...(extra ? [extra] : [])).lastInsertRowid,
  );
}

describe('migrations', () => {
  it('are numbered 1..N with unique names', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(new Set(MIGRATIONS.map((m) => m.name)).size).toBe(MIGRATIONS.length);
  });

  it('001 accounts: table without secret columns, live names unique case-insensitively', () => {
    migratedTo(1);
    expect(columns('accounts')).toEqual([
      'id',
      'name',
      'provider',
      'config_json',
      'secret_ref',
      'disabled',
      'auth_error',
      'created_at',
      'updated_at',
      'removed_at',
    ]);
    expect(columns('accounts').some((c) => /key|secret$|token|password/i.test(c))).toBe(false);
    insertAccount('Prod');
    expect(() => insertAccount('prod')).toThrow(/UNIQUE/);
    db.prepare(`UPDATE accounts SET removed_at = ? WHERE name = 'Prod'`).run(NOW);
    expect(() => insertAccount('prod')).not.toThrow();
    expect(() => insertAccount('x', 'zoom')).toThrow(/CHECK/);
  });

  it('002 recordings: columns, per-account unique remote id, sort keys and their indexes', () => {
    migratedTo(2);
    const cols = columns('recordings');
    for (const c of ['remote_id', 'remote_status', 'state', 'expires_at', 'sha256', 'tags']) {
      expect(cols).toContain(c);
    }
    expect(cols).toContain('sort_expires_at');
    expect(indexes('recordings')).toEqual(
      expect.arrayContaining([
        'recordings_recorded',
        'recordings_account_recorded',
        'recordings_expiry',
        'recordings_state_expiry',
        'recordings_account_state_expiry',
        'recordings_size',
        'recordings_duration',
      ]),
    );
    const account = insertAccount();
    const id = insertRecording(account, 'rec_1');
    expect(() => insertRecording(account, 'rec_1')).toThrow(/UNIQUE/);
    expect(() => insertRecording(999, 'rec_2')).toThrow(/FOREIGN KEY/);
    expect(
      db.prepare('SELECT sort_expires_at, state FROM recordings WHERE id = ?').get(id),
    ).toEqual({ sort_expires_at: '9999-12-31T23:59:59.999Z', state: 'discovered' });
    // An archived row must say where the file is and what its checksum is.
    expect(() =>
      db.prepare(`UPDATE recordings SET state = 'archived' WHERE id = ?`).run(id),
    ).toThrow(/CHECK/);
  });

  it('003 recordings-search: FTS table and triggers follow inserts, updates and deletes', () => {
    migratedTo(3);
    expect(objects('trigger')).toEqual([
      'recordings_fts_delete',
      'recordings_fts_insert',
      'recordings_fts_update',
    ]);
    const match = (q: string) =>
      (
        db.prepare('SELECT rowid FROM recordings_fts WHERE recordings_fts MATCH ?').all(q) as {
          rowid: number;
        }[]
      ).map((r) => r.rowid);
    const id = insertRecording(insertAccount(), 'rec_findme', 'first note');
    expect(match('"findme"')).toEqual([id]);
    db.prepare(
      `UPDATE recordings SET notes = 'second', phone_numbers = '["+1 (555) 010-9999"]'`,
    ).run();
    expect(match('"first"')).toEqual([]);
    expect(match('"second"')).toEqual([id]);
    expect(match('"5550109999"')).toEqual([id]);
    db.prepare('DELETE FROM recordings').run();
    expect(match('"findme"')).toEqual([]);
  });

  it('004 jobs: jobs and job_items, items cascade with their job', () => {
    migratedTo(4);
    expect(columns('jobs')).toEqual(
      expect.arrayContaining(['account_id', 'kind', 'spec_json', 'state', 'totals_json']),
    );
    expect(columns('job_items')).toEqual(
      expect.arrayContaining([
        'job_id',
        'recording_id',
        'state',
        'bytes_done',
        'bytes_total',
        'error',
      ]),
    );
    const account = insertAccount();
    const recording = insertRecording(account, 'rec_1');
    const job = Number(
      db
        .prepare(`INSERT INTO jobs (account_id, kind, created_at) VALUES (?, 'sync', ?)`)
        .run(account, NOW).lastInsertRowid,
    );
    db.prepare('INSERT INTO job_items (job_id, recording_id, updated_at) VALUES (?, ?, ?)').run(
      job,
      recording,
      NOW,
    );
    expect(() => db.prepare(`UPDATE jobs SET state = 'sleeping'`).run()).toThrow(/CHECK/);
    db.prepare('DELETE FROM jobs').run();
    expect(db.prepare('SELECT count(*) AS n FROM job_items').get()).toEqual({ n: 0 });
  });

  it('005 exports: table with JSON options and summary', () => {
    migratedTo(5);
    expect(columns('exports')).toEqual(
      expect.arrayContaining([
        'created_at',
        'destination',
        'options_json',
        'state',
        'summary_json',
      ]),
    );
    expect(() =>
      db
        .prepare(`INSERT INTO exports (created_at, destination, options_json) VALUES (?, ?, ?)`)
        .run(NOW, '/tmp/x', 'not json'),
    ).toThrow(/CHECK/);
  });

  it('006 audit-log: append-only log, head seeded at the genesis hash', () => {
    migratedTo(6);
    expect(columns('audit_log')).toEqual([
      'seq',
      'at',
      'actor',
      'action',
      'subject',
      'details_json',
      'prev_hash',
      'hash',
    ]);
    expect(db.prepare('SELECT * FROM audit_head').all()).toEqual([
      { id: 1, seq: 0, hash: '0'.repeat(64) },
    ]);
    db.prepare(
      `INSERT INTO audit_log (seq, at, actor, action, prev_hash, hash) VALUES (1, ?, 'u', 'a', 'p', 'h')`,
    ).run(NOW);
    expect(() => db.prepare(`UPDATE audit_log SET actor = 'x'`).run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_head').run()).toThrow(/cannot be deleted/);
  });

  it('007 audit-subject-index: a recording history read uses an index, not a scan', () => {
    migratedTo(7);
    expect(indexes('audit_log')).toContain('audit_log_subject');
    const plan = (
      db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT * FROM audit_log WHERE subject = ? ORDER BY seq DESC LIMIT 200`,
        )
        .all('recording:1') as { detail: string }[]
    ).map((row) => row.detail);
    expect(plan.join('\n')).toContain('audit_log_subject');
    expect(plan.join('\n')).not.toMatch(/USE TEMP B-TREE/);
  });
  it('008 recordings-filter-indexes: sort indexes carry the filters; unarchived and filter indexes', () => {
    migratedTo(8);
    const list = indexes('recordings');
    for (const gone of [
      'recordings_recorded',
      'recordings_expiry',
      'recordings_size',
      'recordings_duration',
    ]) {
      expect(list).not.toContain(gone);
    }
    expect(list).toEqual(
      expect.arrayContaining([
        'recordings_recorded_filter',
        'recordings_expiry_filter',
        'recordings_size_filter',
        'recordings_duration_filter',
        'recordings_unarchived',
        'recordings_filters',
        'recordings_account_recorded',
        'recordings_state_expiry',
        'recordings_account_state_expiry',
      ]),
    );
    const indexColumns = (name: string) =>
      (
        db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').all(name) as {
          name: string;
        }[]
      ).map((row) => row.name);
    expect(indexColumns('recordings_size_filter').slice(0, 2)).toEqual(['sort_size', 'id']);
    expect(indexColumns('recordings_size_filter')).toEqual(
      expect.arrayContaining(['account_id', 'provider', 'channel', 'state', 'sort_recorded_at']),
    );
    const partial = db
      .prepare(`SELECT sql FROM sqlite_schema WHERE name = 'recordings_unarchived'`)
      .pluck()
      .get() as string;
    expect(partial).toMatch(/WHERE state <> 'archived'/);
    // A first page under a filter walks the sort index in order: no sort, no table scan.
    const account = insertAccount();
    insertRecording(account, 'rec_1');
    const plan = (
      db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT id FROM recordings INDEXED BY recordings_size_filter
           WHERE channel = 'agent' ORDER BY sort_size DESC, id DESC LIMIT 101`,
        )
        .all() as { detail: string }[]
    ).map((row) => row.detail);
    expect(plan.join('\n')).not.toMatch(/TEMP B-TREE/);
  });
  it('016 recordings-equal-filter-indexes: one channel, provider and state is a range in page order', () => {
    migratedTo(16);
    const indexColumns = (name: string) =>
      (
        db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').all(name) as {
          name: string;
        }[]
      ).map((row) => row.name);
    expect(indexColumns('recordings_equal_size')).toEqual([
      'channel',
      'provider',
      'state',
      'sort_size',
      'id',
    ]);
    for (const [name, column] of [
      ['recordings_equal_recorded', 'sort_recorded_at'],
      ['recordings_equal_expiry', 'sort_expires_at'],
      ['recordings_equal_duration', 'sort_duration'],
    ]) {
      expect(indexColumns(name!)[3]).toBe(column);
    }
    const account = insertAccount();
    insertRecording(account, 'rec_1');
    const plan = (
      db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT id FROM recordings INDEXED BY recordings_equal_recorded
           WHERE channel = 'agent' AND provider = 'kallglot' AND state = 'archived'
             AND sort_recorded_at >= '2026-01-01' ORDER BY sort_recorded_at, id LIMIT 101`,
        )
        .all() as { detail: string }[]
    ).map((row) => row.detail);
    expect(plan.join('\n')).toMatch(/sort_recorded_at>\?/);
    expect(plan.join('\n')).not.toMatch(/TEMP B-TREE/);
  });
  it('017 recordings-unarchived-equal-indexes: rows not archived, one channel and provider, in page order', () => {
    migratedTo(17);
    for (const [name, column] of [
      ['recordings_unarchived_equal_recorded', 'sort_recorded_at'],
      ['recordings_unarchived_equal_expiry', 'sort_expires_at'],
      ['recordings_unarchived_equal_size', 'sort_size'],
      ['recordings_unarchived_equal_duration', 'sort_duration'],
    ]) {
      const columns = (
        db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').all(name) as {
          name: string;
        }[]
      ).map((row) => row.name);
      expect(columns).toEqual(['channel', 'provider', column, 'id', 'state']);
      const sql = db
        .prepare(`SELECT sql FROM sqlite_schema WHERE name = ?`)
        .pluck()
        .get(name) as string;
      expect(sql).toMatch(/WHERE state <> 'archived'/);
    }
    const account = insertAccount();
    insertRecording(account, 'rec_1');
    const plan = (
      db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT id FROM recordings INDEXED BY recordings_unarchived_equal_expiry
           WHERE channel = 'agent' AND provider = 'kallglot' AND state <> 'archived'
             AND sort_expires_at >= '2026-01-01' ORDER BY sort_expires_at, id LIMIT 101`,
        )
        .all() as { detail: string }[]
    ).map((row) => row.detail);
    expect(plan.join('\n')).toMatch(/sort_expires_at>\?/);
    expect(plan.join('\n')).not.toMatch(/TEMP B-TREE/);
  });
  it('014 vault bundles: bundle objects and the recordings they cover, each covered once', () => {
    migratedTo(14);
    expect(columns('vault_bundles')).toEqual([
      'object_key',
      'sha256',
      'size',
      'version_id',
      'lock_mode',
      'retain_until',
      'recordings',
      'written',
      'at',
    ]);
    expect(columns('vault_bundled')).toEqual(['media_key', 'bundle_key']);
    db.prepare(
      `INSERT INTO vault_bundles (object_key, sha256, size, recordings, written, at)
       VALUES ('index/a/b/2026-11-24/x.jsonl.gz', 'f', 1, 1, 1, ?)`,
    ).run(NOW);
    const cover = db.prepare(`INSERT INTO vault_bundled (media_key, bundle_key) VALUES (?, ?)`);
    cover.run('recordings/a/media.wav', 'index/a/b/2026-11-24/x.jsonl.gz');
    expect(() => cover.run('recordings/a/media.wav', 'index/a/b/2026-11-24/x.jsonl.gz')).toThrow(
      /UNIQUE/,
    );
    expect(() => cover.run('recordings/b/media.wav', 'index/none.jsonl.gz')).toThrow(/FOREIGN KEY/);
  });
});
