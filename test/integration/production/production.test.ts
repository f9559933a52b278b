import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseExportOptions } from '../../../main/core/contract/export-options.ts';
import type { CheckpointSource } from '../../../main/core/custody/bag/checkpoint-port.ts';
import {
  canonicalCheckpointBytes,
  CHECKPOINT_FORMAT,
  publicKeyFingerprint,
  type Checkpoint,
} from '../../../main/core/custody/checkpoint.ts';
import { readAuditHead } from '../../../main/core/db/audit-log.ts';
import { addHoldItems, insertHold } from '../../../main/core/db/holds.ts';
import { setNotes, setTags } from '../../../main/core/db/recordings.ts';
import { ExportManager } from '../../../main/core/export/export-manager.ts';
import { archivedKallglotSession, type ArchivedSession } from '../../support/engine.ts';
import { tempDir } from '../../support/tmp.ts';
import { children, only, parseXml, readDat } from './read-loadfiles.ts';

// A production end to end: the engine archives a Kallglot session, the index gets tags, notes
// (with a line break and a þ), an Envoy-style caller/callee and a legal hold, and the export
// writes its load files; each is then read back with a reader written here from the format's
// conventions, and every field is checked against the index and the files on disk.

let session: ArchivedSession | null = null;
afterEach(async () => {
  await session?.close();
  session = null;
});

const md5 = (file: string) => createHash('md5').update(fs.readFileSync(file)).digest('hex');
const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

function checkpoints(s: ArchivedSession): CheckpointSource {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  let seq = 0;
  return {
    checkpointNow: async (reason) => {
      const head = readAuditHead(s.engine.db)!;
      const checkpoint: Checkpoint = {
        format: CHECKPOINT_FORMAT,
        seq: ++seq,
        createdAt: new Date().toISOString(),
        reason,
        audit: {
          headSeq: head.seq,
          headHash: head.hash,
          range: { fromSeq: 1, toSeq: head.seq, entryHashesSha256: '0'.repeat(64) },
        },
        archive: { fileCount: 0, merkleRoot: '0'.repeat(64), tree: 'rfc6962-sha256/recording-id' },
        keyFingerprint: publicKeyFingerprint(publicKeyPem),
        software: 'Recvault test',
      };
      const bytes = canonicalCheckpointBytes(checkpoint);
      return {
        checkpoint,
        bytes,
        signature: sign(null, bytes, privateKey),
        tsr: null,
        publicKeyPem,
      };
    },
  };
}

interface IndexRow {
  id: number;
  remote_id: string;
  session_id: string | null;
  channel: string;
  recorded_at: string | null;
  duration_sec: number | null;
  notes: string;
  tags: string;
}

async function seededSession(): Promise<{ s: ArchivedSession; manager: ExportManager }> {
  const s = await archivedKallglotSession('sess_PROD');
  session = s;
  const db = s.engine.db;
  const [first, second] = s.ids as [number, number];
  setNotes(db, first, 'Escalated to legal.\nCustomer asked for the þ-sign');
  setTags(db, first, ['complaint', 'priority']);
  // The numbers Envoy would give (raw.call.from_number/to_number), on a Kallglot row.
  db.prepare(`UPDATE recordings SET raw_json = ?, phone_numbers = ? WHERE id = ?`).run(
    JSON.stringify({
      call: { from_number: '+15551230001', to_number: '+15559870002', call_direction: 'inbound' },
    }),
    JSON.stringify(['+15551230001', '+15559870002']),
    second,
  );
  const hold = insertHold(db, {
    name: 'Matter 2026-17',
    reference: '',
    description: '',
    createdBy: 'test',
  });
  addHoldItems(db, hold.id, [first], 'test');
  const manager = new ExportManager({
    db,
    events: s.engine.events,
    archiveRoot: () => s.engine.archiveDir(),
    actor: 'cli',
    checkpoints: checkpoints(s),
  });
  return { s, manager };
}

async function produce(
  manager: ExportManager,
  ids: number[],
  kind: 'folder' | 'zip',
  out: string,
  options: Record<string, unknown>,
) {
  const started = manager.start({
    recordingIds: ids,
    query: null,
    destination: { kind, path: out },
    options: parseExportOptions(options),
  });
  const ended = await manager.wait(started.id);
  expect(ended.export.error).toBeNull();
  expect(ended.export.state).toBe('done');
  return ended.summary!;
}

function indexRows(s: ArchivedSession): Map<string, IndexRow> {
  const rows = s.engine.db.prepare(`SELECT * FROM recordings`).all() as IndexRow[];
  return new Map(rows.map((r) => [String(r.id), r]));
}

describe('productions', () => {
  it('writes a DAT whose every field an independent reader finds matching the index and the files; a re-run numbers the same', async () => {
    const { s, manager } = await seededSession();
    const out = path.join(tempDir(), 'production-1');
    const options = {
      package: 'bag',
      loadFiles: ['dat', 'edrm'],
      controlPrefix: 'ACME-',
      controlStart: 41,
      timeZone: 'America/New_York',
    };
    const summary = await produce(manager, s.ids, 'folder', out, options);
    const data = path.join(out, 'data');
    const dat = readDat(fs.readFileSync(path.join(data, 'loadfile.dat')));
    expect(dat.encoding).toBe('utf-8');
    expect(dat.header).toEqual(
      expect.arrayContaining([
        'Control Number',
        'Native Path',
        'MD5 Hash',
        'SHA256 Hash',
        'Legal Holds',
      ]),
    );
    const index = indexRows(s);
    const names = fs.readdirSync(data).filter((n) => /\.(mp3|wav)$/.test(n));
    expect(dat.rows).toHaveLength(names.length);
    expect(names.length).toBe(summary.outputs.length);
    // Numbered in recording id order, zero-padded, from the user's start.
    const byId = [...summary.outputs].sort((a, b) => Number(a.recordingId) - Number(b.recordingId));
    expect(dat.rows.map((r) => r['File Name'])).toEqual(byId.map((o) => o.outputName));
    expect(dat.rows.map((r) => r['Control Number'])).toEqual(
      byId.map((_, i) => `ACME-${String(41 + i).padStart(8, '0')}`),
    );
    for (const row of dat.rows) {
      const file = path.join(data, row['Native Path']!);
      expect(fs.existsSync(file), row['Native Path']).toBe(true);
      const output = summary.outputs.find((o) => o.outputName === row['File Name'])!;
      const rec = index.get(output.recordingId)!;
      expect(row['MD5 Hash']).toBe(md5(file));
      expect(row['SHA256 Hash']).toBe(sha256(file));
      expect(row['File Size']).toBe(String(fs.statSync(file).size));
      expect(row['Provider']).toBe('kallglot');
      expect(row['Account']).toBe('Archive');
      expect(row['Session ID']).toBe(rec.session_id);
      expect(row['Call ID']).toBe('');
      expect(row['Recording ID']).toBe(rec.remote_id);
      expect(row['Recvault ID']).toBe(String(rec.id));
      expect(row['Channel']).toBe(rec.channel);
      expect(row['Time Zone']).toBe('America/New_York');
      // The start is the index's instant, written with New York's offset.
      expect(row['Recorded Start']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-0[45]:00$/);
      expect(new Date(row['Recorded Start']!).getTime()).toBe(
        Math.floor(new Date(rec.recorded_at!).getTime() / 1000) * 1000,
      );
      const duration = Number(row['Duration Seconds']);
      expect(duration).toBeCloseTo(rec.duration_sec!, 0);
      expect(
        new Date(row['Recorded End']!).getTime() - new Date(row['Recorded Start']!).getTime(),
      ).toBeCloseTo(duration * 1000, -3);
      // ® stands for a line break in text and separates the values of a multi-value field.
      expect(row['Notes']!.replaceAll('®', '\n')).toBe(rec.notes);
      const tags = JSON.parse(rec.tags) as string[];
      expect(row['Tags'] === '' ? [] : row['Tags']!.split('®')).toEqual(tags);
      expect(row['Legal Holds']).toBe(rec.id === s.ids[0] ? 'Matter 2026-17' : '');
      const caller = rec.id === s.ids[1] ? '+15551230001' : '';
      expect(row['Caller']).toBe(caller);
      expect(row['Callee']).toBe(rec.id === s.ids[1] ? '+15559870002' : '');
      expect(row['Phone Numbers']).toBe(rec.id === s.ids[1] ? '+15551230001®+15559870002' : '');
    }
    // The bag's payload manifest covers the load files.
    const manifest = fs.readFileSync(path.join(out, 'manifest-sha256.txt'), 'utf8');
    expect(manifest).toContain(`${sha256(path.join(data, 'loadfile.dat'))}  data/loadfile.dat`);

    // The audit entry records the control numbers and the load files' hashes.
    const audit = s.engine.db
      .prepare(`SELECT details_json FROM audit_log WHERE action = 'export.completed' ORDER BY seq`)
      .all() as { details_json: string }[];
    const production = JSON.parse(audit.at(-1)!.details_json).production;
    expect(production.firstControl).toBe('ACME-00000041');
    expect(production.controls).toEqual(
      Object.fromEntries(dat.rows.map((r) => [r['Control Number'], r['File Name']])),
    );
    expect(production.files.find((f: { name: string }) => f.name === 'loadfile.dat').sha256).toBe(
      sha256(path.join(data, 'loadfile.dat')),
    );

    // The same production again: the same numbers for the same files, the same bytes (original).
    const again = path.join(tempDir(), 'production-2');
    await produce(manager, [...s.ids].reverse(), 'folder', again, options);
    const second = readDat(fs.readFileSync(path.join(again, 'data', 'loadfile.dat')));
    const pick = (t: typeof dat) =>
      t.rows.map((r) => [r['Control Number'], r['File Name'], r['SHA256 Hash'], r['MD5 Hash']]);
    expect(pick(second)).toEqual(pick(dat));
  });

  it('writes an EDRM XML 1.2 document: the required elements, one Document per file, each hash its file', async () => {
    const { s, manager } = await seededSession();
    const out = path.join(tempDir(), 'edrm');
    const summary = await produce(manager, s.ids, 'folder', out, {
      loadFiles: ['edrm'],
      format: 'wav',
    });
    const root = parseXml(fs.readFileSync(path.join(out, 'loadfile.xml'), 'utf8'));
    // Required by the EDRM XML 1.2 schema: Root (MajorVersion, MinorVersion) › Batch ›
    // Documents › Document (DocID) › Files › File › ExternalFile; Tags › Tag (TagName,
    // TagDataType, TagValue).
    expect(root.name).toBe('Root');
    expect(root.attributes).toMatchObject({ MajorVersion: '1', MinorVersion: '2' });
    const documents = children(only(only(root, 'Batch'), 'Documents'), 'Document');
    expect(documents).toHaveLength(summary.outputs.length);
    const index = indexRows(s);
    for (const doc of documents) {
      expect(doc.attributes.DocID).toMatch(/^REC\d{8}$/);
      const external = only(only(only(doc, 'Files'), 'File'), 'ExternalFile');
      const file = path.join(out, external.attributes.FilePath!, external.attributes.FileName!);
      expect(external.attributes.HashType).toBe('MD5');
      expect(external.attributes.Hash).toBe(md5(file));
      expect(external.attributes.FileSize).toBe(String(fs.statSync(file).size));
      const tags = Object.fromEntries(
        children(only(doc, 'Tags'), 'Tag').map((t) => {
          expect(['Text', 'LongText', 'DateTime', 'Integer', 'Decimal']).toContain(
            t.attributes.TagDataType,
          );
          return [t.attributes.TagName!, t.attributes.TagValue!];
        }),
      );
      expect(tags['#SHA256Hash']).toBe(sha256(file));
      const rec = index.get(tags.RecvaultID!)!;
      expect(tags.RecordingID).toBe(rec.remote_id);
      expect(tags.Notes).toBe(rec.notes);
      expect(tags.LegalHolds).toBe(rec.id === s.ids[0] ? 'Matter 2026-17' : '');
    }
  });

  it('writes the DAT as UTF-16LE with a BOM when asked', async () => {
    const { s, manager } = await seededSession();
    const out = path.join(tempDir(), 'utf16');
    await produce(manager, s.ids, 'folder', out, { loadFiles: ['dat'], datEncoding: 'utf-16le' });
    const dat = readDat(fs.readFileSync(path.join(out, 'loadfile.dat')));
    expect(dat.encoding).toBe('utf-16le');
    expect(dat.rows.find((r) => r['Recvault ID'] === String(s.ids[0]))!['Notes']).toContain(
      'þ-sign',
    );
  });

  it('sec-audio: a zip unzip -t and 7-Zip pass, in a bag, MP3s that probe as MP3 and a metadata sheet', async () => {
    const { s, manager } = await seededSession();
    const out = path.join(tempDir(), 'for-the-regulator.zip');
    await produce(manager, s.ids, 'zip', out, {
      profile: 'sec-audio',
      package: 'bag',
      format: 'mp3',
    });
    const test = spawnSync('unzip', ['-t', out], { encoding: 'utf8' });
    expect(test.status, test.stdout + test.stderr).toBe(0);
    const seven = spawnSync('7zz', ['t', out], { encoding: 'utf8' });
    expect(seven.status, seven.stdout + seven.stderr).toBe(0);
    expect(seven.stdout).toMatch(/Everything is Ok/);
    const unpacked = tempDir();
    expect(spawnSync('unzip', ['-q', out, '-d', unpacked]).status).toBe(0);
    const data = path.join(unpacked, 'for-the-regulator', 'data');
    const audio = fs.readdirSync(data).filter((n) => n.endsWith('.mp3'));
    expect(audio.length).toBe(s.ids.length);
    for (const name of audio) {
      const probe = spawnSync(
        'ffprobe',
        [
          '-v',
          'error',
          '-show_entries',
          'format=format_name',
          '-of',
          'csv=p=0',
          path.join(data, name),
        ],
        { encoding: 'utf8' },
      );
      expect(probe.stdout.trim()).toBe('mp3');
    }
    const csv = fs.readFileSync(path.join(data, 'metadata.csv'), 'utf8');
    expect(csv.startsWith('\ufeff')).toBe(true);
    const [header, ...lines] = csv.slice(1).trimEnd().split('\r\n');
    const cols = header!.split(',');
    for (const c of [
      'file_id',
      'caller',
      'caller_number',
      'callee',
      'callee_number',
      'date',
      'time',
      'time_zone',
      'duration_sec',
    ]) {
      expect(cols).toContain(c);
    }
    expect(lines).toHaveLength(audio.length);
    const rows = lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v])));
    const called = rows.find((r) => r.caller_number === '+15551230001')!;
    expect(called.callee_number).toBe('+15559870002');
    expect(called.time).toMatch(/^\d\d:\d\d:\d\d\+00:00$/);
    expect(rows.every((r) => audio.includes(r.file_name!))).toBe(true);
  });

  it('refuses load files in a plain zip and a sec-audio format Windows cannot play, writing nothing', async () => {
    const { s, manager } = await seededSession();
    const out = path.join(tempDir(), 'plain.zip');
    expect(() =>
      manager.start({
        recordingIds: s.ids,
        query: null,
        destination: { kind: 'zip', path: out },
        options: parseExportOptions({ loadFiles: ['dat'] }),
      }),
    ).toThrow(/not in a plain zip/);
    expect(fs.existsSync(out)).toBe(false);
    expect(() =>
      parseExportOptions({ profile: 'sec-audio', package: 'bag', format: 'flac' }),
    ).toThrow(/mp3 or wav/);
  });
});
