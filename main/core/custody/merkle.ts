import { createHash } from 'node:crypto';

// The archive's Merkle tree, RFC 6962 §2.1 (Certificate Transparency) with SHA-256:
//
//   leaves  d[0..n-1] = the 32 raw bytes of the SHA-256 of each archived file, ordered by
//                       recording id (ascending; the index's `recordings.id`)
//   MTH({})           = SHA-256()                                  (the empty archive)
//   MTH({d0})         = SHA-256(0x00 || d0)                        (leaf)
//   MTH(d[0..n-1])    = SHA-256(0x01 || MTH(d[0..k-1]) || MTH(d[k..n-1]))   (node)
//                       where k is the largest power of two smaller than n
//
// The 0x00 / 0x01 prefixes keep a leaf from ever being taken for a node (second-preimage
// attacks on unbalanced trees). The root is written as 64 lowercase hex digits.

const LEAF = Buffer.from([0x00]);
const NODE = Buffer.from([0x01]);

const sha256 = (...parts: Buffer[]): Buffer => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/** A leaf as given: a file's SHA-256, 64 hex digits (case-insensitive). */
function leafBytes(hexDigest: string): Buffer {
  if (!/^[0-9a-fA-F]{64}$/.test(hexDigest)) {
    throw new TypeError(`merkle leaf is not a SHA-256 hex digest: ${JSON.stringify(hexDigest)}`);
  }
  return Buffer.from(hexDigest, 'hex');
}

export function leafHash(hexDigest: string): Buffer {
  return sha256(LEAF, leafBytes(hexDigest));
}

export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return sha256(NODE, left, right);
}

/** The largest power of two strictly smaller than n (n ≥ 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function subtreeRoot(leaves: Buffer[], from: number, to: number): Buffer {
  const n = to - from;
  if (n === 1) return leaves[from]!;
  const k = split(n);
  return nodeHash(subtreeRoot(leaves, from, from + k), subtreeRoot(leaves, from + k, to));
}

/**
 * The Merkle tree hash (hex) of files' SHA-256 digests, in the order given: callers pass them
 * sorted by recording id.
 */
export function merkleRoot(hexDigests: readonly string[]): string {
  if (hexDigests.length === 0) return sha256().toString('hex');
  const leaves = hexDigests.map(leafHash);
  return subtreeRoot(leaves, 0, leaves.length).toString('hex');
}

/**
 * The audit path (RFC 6962 §2.1.1) of leaf `index`: the sibling hashes (hex) from the leaf up,
 * which with the leaf alone re-derive the root. Lets an export prove one file is in the
 * checkpointed archive without listing every other file's digest.
 */
export function merkleAuditPath(hexDigests: readonly string[], index: number): string[] {
  if (!Number.isInteger(index) || index < 0 || index >= hexDigests.length) {
    throw new RangeError(`leaf ${index} is not in a tree of ${hexDigests.length}`);
  }
  const leaves = hexDigests.map(leafHash);
  const path: Buffer[] = [];
  const walk = (m: number, from: number, to: number): void => {
    const n = to - from;
    if (n === 1) return;
    const k = split(n);
    if (m < k) {
      walk(m, from, from + k);
      path.push(subtreeRoot(leaves, from + k, to));
    } else {
      walk(m - k, from + k, to);
      path.push(subtreeRoot(leaves, from, from + k));
    }
  };
  walk(index, 0, leaves.length);
  return path.map((hash) => hash.toString('hex'));
}

/**
 * Whether `hexDigest` at `index` of a tree of `size` leaves, with `auditPath`, gives `root`
 * (RFC 9162 §2.1.3.2's algorithm).
 */
export function verifyMerkleAuditPath(
  hexDigest: string,
  index: number,
  size: number,
  auditPath: readonly string[],
  root: string,
): boolean {
  if (!Number.isInteger(index) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leafHash(hexDigest);
  for (const siblingHex of auditPath) {
    if (!/^[0-9a-f]{64}$/i.test(siblingHex) || sn === 0) return false;
    const sibling = Buffer.from(siblingHex, 'hex');
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(sibling, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, sibling);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.toString('hex') === root.toLowerCase();
}

/** The tree in words, for README files that travel with checkpoints (checkpoints/, bags). */
export const MERKLE_TREE_DESCRIPTION = `archive.merkleRoot is the RFC 6962 Merkle tree hash (SHA-256) over the archived files:
  leaves d[0..n-1]: the 32 raw bytes of each archived file's SHA-256, in ascending recording id
  MTH({})    = SHA-256("")                               (no archived file)
  MTH({d})   = SHA-256(0x00 || d)                        (a leaf)
  MTH(d[n])  = SHA-256(0x01 || MTH(d[0..k-1]) || MTH(d[k..n-1])),
               k = the largest power of two smaller than n
archive.fileCount is n. The root is written as 64 lowercase hex digits.`;
