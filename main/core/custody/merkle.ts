import { hash } from 'node:crypto';

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
const HASH_BYTES = 32;

// One-shot hashing (crypto.hash) of a reused buffer: a tree of a million files is two million
// hashes, where creating a Hash object for each costs more than the hashing itself.
const sha256 = (data: Buffer): Buffer => hash('sha256', data, 'buffer');

/** A leaf as given: a file's SHA-256, 64 hex digits (case-insensitive). */
function leafBytes(hexDigest: string): Buffer {
  if (!/^[0-9a-fA-F]{64}$/.test(hexDigest)) {
    throw new TypeError(`merkle leaf is not a SHA-256 hex digest: ${JSON.stringify(hexDigest)}`);
  }
  return Buffer.from(hexDigest, 'hex');
}

export function leafHash(hexDigest: string): Buffer {
  return sha256(Buffer.concat([LEAF, leafBytes(hexDigest)]));
}

export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return sha256(Buffer.concat([NODE, left, right]));
}

/**
 * The whole tree, built once, level by level: adjacent nodes are paired and an odd last node is
 * carried up unchanged, which gives exactly RFC 6962's split at the largest power of two (its
 * left subtrees are always complete). Each level is one buffer of 32-byte hashes.
 */
export class MerkleTree {
  readonly size: number;
  readonly #levels: Buffer[];

  constructor(hexDigests: readonly string[]) {
    this.size = hexDigests.length;
    const leaves = Buffer.alloc(this.size * HASH_BYTES);
    const leafInput = Buffer.alloc(1 + HASH_BYTES);
    LEAF.copy(leafInput, 0);
    hexDigests.forEach((digest, i) => {
      leafBytes(digest).copy(leafInput, 1);
      sha256(leafInput).copy(leaves, i * HASH_BYTES);
    });
    this.#levels = [leaves];
    const nodeInput = Buffer.alloc(1 + 2 * HASH_BYTES);
    NODE.copy(nodeInput, 0);
    for (let level = leaves; level.length > HASH_BYTES;) {
      const count = level.length / HASH_BYTES;
      const next = Buffer.alloc(Math.ceil(count / 2) * HASH_BYTES);
      for (let i = 0; i + 1 < count; i += 2) {
        level.copy(nodeInput, 1, i * HASH_BYTES, (i + 2) * HASH_BYTES);
        sha256(nodeInput).copy(next, (i / 2) * HASH_BYTES);
      }
      if (count % 2 === 1) level.copy(next, next.length - HASH_BYTES, (count - 1) * HASH_BYTES);
      this.#levels.push(next);
      level = next;
    }
  }

  /** The Merkle tree hash, 64 hex digits (SHA-256 of nothing for an empty tree). */
  get root(): string {
    if (this.size === 0) return hash('sha256', Buffer.alloc(0), 'hex');
    return this.#levels.at(-1)!.subarray(0, HASH_BYTES).toString('hex');
  }

  /**
   * The audit path (RFC 6962 §2.1.1) of leaf `index`: the sibling hashes (hex) from the leaf up,
   * which with the leaf alone re-derive the root. Lets an export prove one file is in the
   * checkpointed archive without listing every other file's digest.
   */
  auditPath(index: number): string[] {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) {
      throw new RangeError(`leaf ${index} is not in a tree of ${this.size}`);
    }
    const path: string[] = [];
    let i = index;
    for (const level of this.#levels.slice(0, -1)) {
      const count = level.length / HASH_BYTES;
      const sibling = i ^ 1;
      // The odd last node has no sibling here: it is carried up, adding nothing to the path.
      if (sibling < count) {
        path.push(level.subarray(sibling * HASH_BYTES, (sibling + 1) * HASH_BYTES).toString('hex'));
      }
      i = Math.floor(i / 2);
    }
    return path;
  }
}

/**
 * The Merkle tree hash (hex) of files' SHA-256 digests, in the order given: callers pass them
 * sorted by recording id.
 */
export function merkleRoot(hexDigests: readonly string[]): string {
  return new MerkleTree(hexDigests).root;
}

/** One leaf's audit path; for several leaves of one tree, build a MerkleTree once. */
export function merkleAuditPath(hexDigests: readonly string[], index: number): string[] {
  return new MerkleTree(hexDigests).auditPath(index);
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
