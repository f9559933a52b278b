import { generateKeyPairSync, sign } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeBagTags } from '../../../main/core/custody/bag/write-bag.ts';
import {
  canonicalCheckpointBytes,
  CHECKPOINT_FORMAT,
  publicKeyFingerprint,
  type Checkpoint,
} from '../../../main/core/custody/checkpoint.ts';
import { openPackage } from '../../../main/core/custody/verify-export/open-package.ts';
import { verifyExport } from '../../../main/core/custody/verify-export/verify-export.ts';
import { zipBag } from '../../../main/core/custody/bag/zip-bag.ts';
import { tempDir } from '../../support/tmp.ts';
import { rfc8493Problems } from './rfc8493.ts';

// The bag writer on names RFC 8493 treats specially: a "%" in a payload name is written %25 in
// the manifest (and the README warns sha256sum will not find it), and still checks out.

function checkpointFiles() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const checkpoint: Checkpoint = {
    format: CHECKPOINT_FORMAT,
    seq: 1,
    createdAt: '2026-12-01T10:00:00.000Z',
    reason: 'export',
    audit: {
      headSeq: 0,
      headHash: '0'.repeat(64),
      range: { fromSeq: 1, toSeq: 0, entryHashesSha256: '0'.repeat(64) },
    },
    archive: { fileCount: 0, merkleRoot: '0'.repeat(64), tree: 'rfc6962-sha256/recording-id' },
    keyFingerprint: publicKeyFingerprint(publicKeyPem),
    software: 'Recvault test',
  };
  const bytes = canonicalCheckpointBytes(checkpoint);
  return { checkpoint, bytes, signature: sign(null, bytes, privateKey), tsr: null, publicKeyPem };
}

describe('the bag writer', () => {
  it('percent-encodes a % in a payload name, warns in the README, and the bag still checks', async () => {
    const root = path.join(tempDir(), 'bag');
    fs.mkdirSync(path.join(root, 'data', 'sub'), { recursive: true });
    fs.writeFileSync(path.join(root, 'data', '100% agent.wav'), 'RIFF....');
    fs.writeFileSync(path.join(root, 'data', 'sub', 'plain.mp3'), 'ID3');
    const written = await writeBagTags(root, {
      records: [],
      auditEntries: [],
      checkpoint: checkpointFiles(),
      organization: 'Acme\nCompliance',
      software: 'Recvault 0.0.0',
      externalId: 'x',
      baggingDate: new Date('2026-12-01T10:00:00Z'),
    });
    expect(written.payloadOxum).toBe('11.2');
    const manifest = fs.readFileSync(path.join(root, 'manifest-sha256.txt'), 'utf8');
    expect(manifest).toContain('  data/100%25 agent.wav\n');
    expect(manifest).toContain('  data/sub/plain.mp3\n');
    expect(rfc8493Problems(root)).toEqual([]);
    // A newline in the organization would have started a new bag-info label.
    expect(fs.readFileSync(path.join(root, 'bag-info.txt'), 'utf8')).toContain(
      'Source-Organization: Acme Compliance\n',
    );
    expect(fs.readFileSync(path.join(root, 'custody', 'README.txt'), 'utf8')).toContain('"%25"');
    const report = await verifyExport({ path: root });
    const payload = report.findings.filter((f) => f.check === 'payload');
    expect(payload).toEqual([expect.objectContaining({ ok: true })]);
    // Refuses to write into a bag that already has its tag files.
    await expect(
      writeBagTags(root, {
        records: [],
        auditEntries: [],
        checkpoint: checkpointFiles(),
        organization: null,
        software: 'Recvault 0.0.0',
        externalId: 'x',
        baggingDate: new Date(),
      }),
    ).rejects.toThrow(/EEXIST/);
  });

  it('a zip that would unpack past the free disk is refused, and nothing of it is left', async () => {
    const root = path.join(tempDir(), 'bag');
    fs.mkdirSync(path.join(root, 'data'), { recursive: true });
    fs.writeFileSync(path.join(root, 'bagit.txt'), 'BagIt-Version: 1.0\n');
    fs.writeFileSync(path.join(root, 'data', 'a.wav'), Buffer.alloc(4096));
    const zip = path.join(tempDir(), 'big.zip');
    await zipBag(root, zip, new Date());
    const opened = await openPackage(zip);
    expect(fs.existsSync(path.join(opened.root, 'data', 'a.wav'))).toBe(true);
    await opened.close();
    expect(fs.existsSync(opened.root)).toBe(false);
    await expect(openPackage(zip, 1000)).rejects.toThrow(
      /unpacks to more than the 1000 bytes free/,
    );
  });
});
