import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import yauzl from 'yauzl';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/main.ts';
import { auditEntryHash } from '../../../main/core/audit/audit-hash.ts';
import { parseExportOptions } from '../../../main/core/contract/export-options.ts';
import type { CheckpointSource } from '../../../main/core/custody/bag/checkpoint-port.ts';
import {
  canonicalCheckpointBytes,
  CHECKPOINT_FORMAT,
  publicKeyFingerprint,
  type Checkpoint,
} from '../../../main/core/custody/checkpoint.ts';
import { merkleRoot } from '../../../main/core/custody/merkle.ts';
import { readAuditHead } from '../../../main/core/db/audit-log.ts';
import { archivedDigestsInIdOrder } from '../../../main/core/db/checkpoints.ts';
import { listAudit } from '../../../main/core/audit/read-audit.ts';
import type { BagSummary } from '../../../main/core/export/bag-export.ts';
import { ExportManager } from '../../../main/core/export/export-manager.ts';
import { archivedKallglotSession, type ArchivedSession } from '../../support/engine.ts';
import { README } from '../../support/readme.ts';
import { makeTempDir, removeDir, tempDir } from '../../support/tmp.ts';
import { makeLocalTsa, type LocalTsa } from './local-tsa.ts';
import { bagInfo, rfc8493Problems } from './rfc8493.ts';

// A bag export end to end: the engine archives a session from the Kallglot fake, exports it as
// a bag with a signed (and timestamped) checkpoint, and then only the bag is used: an
// independent RFC 8493 check, the README's sha256sum/openssl commands, and `recvault
// verify-export` with the data directory deleted; then single tamperings, each named.

let session: ArchivedSession | null = null;
let tsaDir = '';
let tsa: LocalTsa;

beforeAll(async () => {
  tsaDir = await makeTempDir('tsa');
  tsa = makeLocalTsa(tsaDir);
  return () => removeDir(tsaDir);
});

afterEach(async () => {
  await session?.close();
  session = null;
});

/** A signing key and checkpoints over the engine's audit head, as custody's service makes them. */
function checkpointSource(
  s: ArchivedSession,
  stamp: boolean,
): CheckpointSource & { publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  let seq = 0;
  return {
    publicKeyPem,
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
        archive: {
          fileCount: archivedDigestsInIdOrder(s.engine.db).length,
          merkleRoot: merkleRoot(archivedDigestsInIdOrder(s.engine.db)),
          tree: 'rfc6962-sha256/recording-id',
        },
        keyFingerprint: publicKeyFingerprint(publicKeyPem),
        software: 'Recvault test',
      };
      const bytes = canonicalCheckpointBytes(checkpoint);
      return {
        checkpoint,
        bytes,
        signature: sign(null, bytes, privateKey),
        tsr: stamp ? tsa.stamp(bytes) : null,
        publicKeyPem,
      };
    },
  };
}

async function exportBag(kind: 'folder' | 'zip', stamp = true) {
  session = await archivedKallglotSession('sess_BAG');
  const source = checkpointSource(session, stamp);
  const exports = new ExportManager({
    db: session.engine.db,
    events: session.engine.events,
    archiveRoot: () => session!.engine.archiveDir(),
    actor: 'cli',
    checkpoints: source,
  });
  const out = path.join(tempDir(), kind === 'zip' ? 'for-legal.zip' : 'for-legal');
  const started = exports.start({
    recordingIds: session.ids,
    query: null,
    destination: { kind, path: out },
    options: parseExportOptions({ package: 'bag', organization: 'Acme Compliance' }),
  });
  const ended = await exports.wait(started.id);
  expect(ended.export.state).toBe('done');
  return { out, summary: ended.summary!, publicKeyPem: source.publicKeyPem, exports };
}

function run(cmd: string, args: string[], cwd: string) {
  return spawnSync(cmd, args, { cwd, encoding: 'utf8' });
}

/** `recvault verify-export …` in-process, with a data directory that does not exist. */
async function verifyExportCli(args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const missing = path.join(tempDir(), 'no-data-dir');
  const code = await runCli(['verify-export', ...args], {
    stdout,
    stderr,
    stdin: new PassThrough(),
    env: { RECVAULT_DATA_DIR: missing, HOME: missing },
  });
  // Nothing was opened or created where an archive would be.
  expect(fs.existsSync(missing)).toBe(false);
  return { code, stdout: out, stderr: err };
}

/** Deletes the engine's whole data directory: the recipient has none. */
async function deleteDataDir(): Promise<void> {
  const dataDir = session!.engine.paths.dataDir;
  await session!.close();
  session = null;
  fs.rmSync(dataDir, { recursive: true, force: true });
}

function rewriteTagManifest(bag: string): void {
  // An attacker who edits a tag file also fixes the tag manifest: the deeper checks must hold.
  const lines = fs
    .readFileSync(path.join(bag, 'tagmanifest-sha256.txt'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const name = line.slice(66);
      const sum = run('sha256sum', [name], bag).stdout.slice(0, 64);
      return `${sum}  ${name}`;
    });
  fs.writeFileSync(path.join(bag, 'tagmanifest-sha256.txt'), `${lines.join('\n')}\n`);
}

describe('an export packaged as a BagIt bag', () => {
  it('passes an independent RFC 8493 check, and its README commands with sha256sum and openssl', async () => {
    const { out, summary } = await exportBag('folder');
    expect(rfc8493Problems(out)).toEqual([]);
    const files = fs.readdirSync(path.join(out, 'data')).sort();
    expect(files.filter((f) => f.endsWith('.wav') || f.endsWith('.mp3'))).toHaveLength(3);
    const info = bagInfo(out);
    expect(info['Source-Organization']).toBe('Acme Compliance');
    expect(info['Bag-Software-Agent']).toMatch(/^Recvault \d+\.\d+\.\d+/);
    expect(info['Bagging-Date']).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    // The layout the README's "For the recipient" promises, file by file.
    const layout = /### For the recipient[\s\S]*?```text\n(bagit\.txt[\s\S]*?)```/.exec(
      README,
    )![1]!;
    const promised = [...layout.matchAll(/^(\S+)/gm)].map((m) => m[1]!);
    expect(promised.length).toBeGreaterThanOrEqual(10);
    for (const name of promised) expect(fs.existsSync(path.join(out, name)), name).toBe(true);

    // The commands custody/README.txt gives, run as written from the bag's folder.
    const readme = fs.readFileSync(path.join(out, 'custody', 'README.txt'), 'utf8');
    expect(readme).toContain('sha256sum -c manifest-sha256.txt');
    for (const manifest of ['manifest-sha256.txt', 'tagmanifest-sha256.txt']) {
      const check = run('sha256sum', ['-c', manifest], out);
      expect(check.status, check.stdout + check.stderr).toBe(0);
    }
    const pkeyutl = readme.match(/openssl pkeyutl[^\n]*\\\n[^\n]*/)![0].replace(/\\\n\s*/, '');
    const verified = run('sh', ['-c', pkeyutl], out);
    expect(verified.stdout + verified.stderr).toContain('Signature Verified Successfully');
    const ts = readme.match(/openssl ts -verify[^\n]*\\\n[^\n]*/)![0].replace(/\\\n\s*/, '');
    const stamped = run('sh', ['-c', ts.replace('TSA-CA.pem', tsa.caFile)], out);
    expect(stamped.stdout + stamped.stderr).toContain('Verification: OK');

    // Custody records: one per file, naming its source, never a URL or a secret.
    const records = fs
      .readFileSync(path.join(out, 'custody', 'records.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(records).toHaveLength(3);
    for (const record of records) {
      expect(record.source.provider).toBe('kallglot');
      expect(record.source.account).toBe('Archive');
      expect(record.source.storageHost).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(record.source.downloadedAt).toMatch(/^\d{4}-/);
      expect(record.source.originalSha256).toBe(record.outputSha256); // format "original"
      expect(record.conversion).toContain('format=original');
    }
    const custodyText = fs.readFileSync(path.join(out, 'custody', 'records.jsonl'), 'utf8');
    expect(custodyText).not.toMatch(/https?:\/\/|\?|token|signature=/i);

    // The audit entries recompute with the project's hash function and reach the checkpoint.
    const entries = fs
      .readFileSync(path.join(out, 'custody', 'audit-entries.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    for (const entry of entries) expect(auditEntryHash(entry)).toBe(entry.hash);
    const checkpoint = JSON.parse(
      fs.readFileSync(path.join(out, 'custody', 'checkpoint.json'), 'utf8'),
    );
    expect(entries.at(-1).hash).toBe(checkpoint.audit.headHash);

    // The export's own audit entry records the bag's manifest SHA-256.
    const manifestSum = run('sha256sum', ['manifest-sha256.txt'], out).stdout.slice(0, 64);
    expect((summary as BagSummary).bag.manifestSha256).toBe(manifestSum);
    const completed = listAudit(session!.engine.db, { action: 'export.completed', limit: 1 })[0]!;
    expect((completed.details as { bag: { manifestSha256: string } }).bag.manifestSha256).toBe(
      manifestSum,
    );
  });

  it('verify-export passes with the data directory deleted, with the included or a given key', async () => {
    const { out, publicKeyPem } = await exportBag('folder');
    await deleteDataDir();
    const included = await verifyExportCli([out]);
    expect(included.stdout).toContain('VERIFIED');
    expect(included.stdout).toContain(
      "3 original(s) proven in the checkpoint's archive Merkle tree",
    );
    expect(included.code).toBe(0);
    const keyFile = path.join(tempDir(), 'sender.pem');
    fs.writeFileSync(keyFile, publicKeyPem);
    const given = await verifyExportCli([out, '--public-key', keyFile, '--json']);
    expect(given.code).toBe(0);
    expect(JSON.parse(given.stdout).ok).toBe(true);
  });

  it('a zip bag holds one bag folder, and verifies as the zip', async () => {
    const { out } = await exportBag('zip', false);
    const names = await zipNames(out);
    expect(names).toContain('for-legal/bagit.txt');
    expect(names.every((n) => n.startsWith('for-legal/'))).toBe(true);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['for-legal.zip']);
    await deleteDataDir();
    const result = await verifyExportCli([out]);
    expect(result.stdout).toContain('not timestamped');
    expect(result.code).toBe(0);
  });

  it('refuses, before writing anything, a folder that is not empty or an engine with no key', async () => {
    session = await archivedKallglotSession('sess_BAGNO');
    const manager = (checkpoints: CheckpointSource | null) =>
      new ExportManager({
        db: session!.engine.db,
        events: session!.engine.events,
        archiveRoot: () => session!.engine.archiveDir(),
        actor: 'cli',
        checkpoints,
      });
    const start = (exports: ExportManager, destination: string) =>
      exports.start({
        recordingIds: session!.ids,
        query: null,
        destination: { kind: 'folder', path: destination },
        options: parseExportOptions({ package: 'bag' }),
      });
    const used = tempDir();
    fs.writeFileSync(path.join(used, 'notes.txt'), 'mine');
    expect(() => start(manager(checkpointSource(session!, false)), used)).toThrow(
      /A bag needs an empty or new folder/,
    );
    expect(fs.readdirSync(used)).toEqual(['notes.txt']);
    const fresh = path.join(tempDir(), 'bag');
    expect(() => start(manager(null), fresh)).toThrow(/needs the signing key/);
    expect(fs.existsSync(fresh)).toBe(false);
    expect(manager(null).list()).toEqual([]);
  });

  it.each([
    ['one changed payload byte', 'payload'],
    ['a changed custody record', 'custody-records'],
    ['a forged Merkle proof', 'custody-records'],
    ['an edited audit entry', 'audit-chain'],
    ['a swapped public key', 'signature'],
    ["a swapped public key, the sender's key given", 'signature'],
    ['an edited checkpoint', 'signature'],
  ])('%s fails verify-export with a finding that names it', async (what, check) => {
    const { out, publicKeyPem } = await exportBag('folder', false);
    await deleteDataDir();
    const custody = (name: string) => path.join(out, 'custody', name);
    let named: string;
    let args: string[] = [out];
    if (what === 'one changed payload byte') {
      named = `data/${fs.readdirSync(path.join(out, 'data')).find((f) => f.endsWith('.wav'))!}`;
      const bytes = fs.readFileSync(path.join(out, named));
      bytes[bytes.length - 1] = bytes.at(-1)! ^ 0x01;
      fs.writeFileSync(path.join(out, named), bytes);
    } else if (what === 'a changed custody record') {
      named = 'custody/records.jsonl';
      const text = fs.readFileSync(custody('records.jsonl'), 'utf8');
      fs.writeFileSync(
        custody('records.jsonl'),
        text.replace(/"remoteId":"([^"]+)"/, '"remoteId":"$1x"'),
      );
      rewriteTagManifest(out);
    } else if (what === 'an edited audit entry') {
      const lines = fs.readFileSync(custody('audit-entries.jsonl'), 'utf8').trim().split('\n');
      const entry = JSON.parse(lines[1]!);
      entry.at = '2020-01-01T00:00:00.000Z';
      lines[1] = JSON.stringify(entry);
      named = `seq ${entry.seq}`;
      fs.writeFileSync(custody('audit-entries.jsonl'), `${lines.join('\n')}\n`);
      rewriteTagManifest(out);
    } else if (what === 'a forged Merkle proof') {
      named = 'archive Merkle tree';
      const lines = fs.readFileSync(custody('records.jsonl'), 'utf8').trim().split('\n');
      const record = JSON.parse(lines[0]!);
      record.merkle.leafIndex = (record.merkle.leafIndex + 1) % record.merkle.treeSize;
      lines[0] = JSON.stringify(record);
      fs.writeFileSync(custody('records.jsonl'), `${lines.join('\n')}\n`);
      rewriteTagManifest(out);
    } else if (what.startsWith('a swapped public key')) {
      named = 'custody/public-key.pem';
      const other = generateKeyPairSync('ed25519').publicKey.export({
        type: 'spki',
        format: 'pem',
      });
      fs.writeFileSync(custody('public-key.pem'), other);
      rewriteTagManifest(out);
      if (what.endsWith('given')) {
        // The sender's real key, got apart from the package: the package's key is not theirs.
        const keyFile = path.join(tempDir(), 'sender.pem');
        fs.writeFileSync(keyFile, publicKeyPem);
        args = [out, '--public-key', keyFile];
      }
    } else {
      named = 'custody/checkpoint.json';
      const text = fs.readFileSync(custody('checkpoint.json'), 'utf8');
      fs.writeFileSync(
        custody('checkpoint.json'),
        text.replace(/"createdAt":"\d{4}/, '"createdAt":"2020'),
      );
      rewriteTagManifest(out);
    }
    const result = await verifyExportCli([...args, '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      ok: boolean;
      findings: { check: string; ok: boolean; subject: string | null; message: string }[];
    };
    expect(report.ok).toBe(false);
    const failed = report.findings.filter((f) => !f.ok);
    expect(
      failed.some((f) => f.check === check && `${f.subject} ${f.message}`.includes(named)),
    ).toBe(true);
    // And the text verdict says so.
    const text = await verifyExportCli(args);
    expect(text.stdout).toContain('NOT VERIFIED');
  });
});

function zipNames(file: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('no zip'));
      const names: string[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.readEntry();
    });
  });
}
