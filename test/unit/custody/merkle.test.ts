import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  canonicalCheckpointBytes,
  CHECKPOINT_FORMAT,
  checkpointFileName,
  merkleAuditPath,
  merkleRoot,
  publicKeyFingerprint,
  verifyCheckpointSignature,
  verifyMerkleAuditPath,
  type Checkpoint,
} from '../../../main/core/custody/checkpoint.ts';

const sha = (...parts: (Buffer | number[])[]): Buffer => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(Buffer.from(part));
  return hash.digest();
};
const digest = (text: string) => createHash('sha256').update(text).digest('hex');

describe('merkleRoot (RFC 6962 with 0x00 leaves, 0x01 nodes)', () => {
  // Written out by hand from RFC 6962 §2.1, not with the module's own helpers.
  const d = ['a', 'b', 'c'].map(digest);
  const leaf = (hex: string) => sha([0x00], Buffer.from(hex, 'hex'));
  const node = (l: Buffer, r: Buffer) => sha([0x01], l, r);

  it('is SHA-256 of nothing for an empty archive', () => {
    expect(merkleRoot([])).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('hashes one leaf with the 0x00 prefix', () => {
    expect(merkleRoot([d[0]!])).toBe(leaf(d[0]!).toString('hex'));
  });

  it('splits three leaves at the largest power of two below (2 + 1)', () => {
    const expected = node(node(leaf(d[0]!), leaf(d[1]!)), leaf(d[2]!));
    expect(merkleRoot(d)).toBe(expected.toString('hex'));
  });

  it('equals RFC 6962 MTH, written recursively here, for trees of 1 to 33 leaves', () => {
    const mth = (hexes: string[]): Buffer => {
      if (hexes.length === 1) return leaf(hexes[0]!);
      let k = 1;
      while (k * 2 < hexes.length) k *= 2;
      return node(mth(hexes.slice(0, k)), mth(hexes.slice(k)));
    };
    for (let size = 1; size <= 33; size += 1) {
      const leaves = Array.from({ length: size }, (_, i) => digest(`leaf ${i}`));
      expect(merkleRoot(leaves), `size ${size}`).toBe(mth(leaves).toString('hex'));
    }
  });

  it('depends on the order of the leaves', () => {
    expect(merkleRoot([d[1]!, d[0]!])).not.toBe(merkleRoot([d[0]!, d[1]!]));
  });

  it('refuses a leaf that is not a SHA-256 digest', () => {
    expect(() => merkleRoot(['abc'])).toThrow(/not a SHA-256/);
  });

  it('gives every leaf of trees of 1 to 13 leaves an audit path that re-derives the root', () => {
    for (let size = 1; size <= 13; size += 1) {
      const leaves = Array.from({ length: size }, (_, i) => digest(`file ${i}`));
      const root = merkleRoot(leaves);
      for (let index = 0; index < size; index += 1) {
        const path = merkleAuditPath(leaves, index);
        expect(verifyMerkleAuditPath(leaves[index]!, index, size, path, root)).toBe(true);
        // Another file's digest at that place does not verify.
        expect(verifyMerkleAuditPath(digest('other'), index, size, path, root)).toBe(false);
      }
    }
  });
});

describe('checkpoint signatures', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const checkpoint: Checkpoint = {
    format: CHECKPOINT_FORMAT,
    seq: 3,
    createdAt: '2026-12-01T14:04:00.123Z',
    reason: 'sync',
    audit: {
      headSeq: 9,
      headHash: digest('head'),
      range: { fromSeq: 5, toSeq: 9, entryHashesSha256: digest('range') },
    },
    archive: { fileCount: 2, merkleRoot: digest('root'), tree: 'rfc6962-sha256/recording-id' },
    keyFingerprint: publicKeyFingerprint(pem),
    software: 'Recvault test',
  };
  const bytes = canonicalCheckpointBytes(checkpoint);
  const signature = sign(null, bytes, privateKey);

  it('writes sorted keys without whitespace', () => {
    expect(bytes.toString('utf8')).toMatch(/^\{"archive":\{"fileCount":2,"merkleRoot":"/);
    expect(bytes.toString('utf8')).not.toMatch(/[\n\t]|": |, "/);
  });

  it('verifies the signed bytes with the signing key', () => {
    expect(verifyCheckpointSignature(bytes, signature, pem)).toMatchObject({ ok: true });
  });

  it('refuses an edited checkpoint, another key, and re-spaced JSON', () => {
    const edited = Buffer.from(bytes.toString('utf8').replace('"fileCount":2', '"fileCount":1'));
    expect(verifyCheckpointSignature(edited, signature, pem)).toMatchObject({
      ok: false,
      problem: 'The checkpoint signature does not verify.',
    });
    const other = generateKeyPairSync('ed25519')
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    expect(verifyCheckpointSignature(bytes, signature, other)).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/not the key given/),
    });
    const spaced = Buffer.from(JSON.stringify(JSON.parse(bytes.toString()), null, 2));
    expect(verifyCheckpointSignature(spaced, signature, pem)).toMatchObject({
      ok: false,
      problem: 'The checkpoint is not in its canonical form.',
    });
  });

  it('names files by seq and compact UTC time', () => {
    expect(checkpointFileName(checkpoint)).toBe('000003-20261201T140400Z.json');
  });
});
