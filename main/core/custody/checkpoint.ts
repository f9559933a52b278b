import { createHash, createPublicKey, verify as verifySignature } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { canonicalJson } from '../audit/canonical-json.ts';

export {
  MERKLE_TREE_DESCRIPTION,
  merkleAuditPath,
  merkleRoot,
  verifyMerkleAuditPath,
} from './merkle.ts';

// A checkpoint: one signed statement "at this time the audit log's head was (seq, hash) and
// the archive held these files". Its bytes are the canonical JSON (core/audit/canonical-json:
// keys sorted, no whitespace, UTF-8, no trailing newline) of the object below; the signature is
// Ed25519 over exactly those bytes; the RFC 3161 timestamp is over their SHA-256. On disk, in
// the data directory's `checkpoints/` folder:
//   <seq 6 digits>-<time YYYYMMDDTHHMMSSZ>.json   the canonical bytes (what was signed)
//   …json.sig                                      the raw 64-byte Ed25519 signature
//   …json.tsr                                      the TSA's TimeStampResp (DER), when stamped
//   …json.audit                                    the audit entry hashes of `audit.range`, one per line
//   public-key-<fingerprint>.pem                   the public key (SPKI PEM) that signed them
// so `openssl pkeyutl -verify -pubin -inkey public-key-….pem -rawin -in X.json -sigfile X.json.sig`
// and `openssl ts -verify -data X.json -in X.json.tsr -CAfile tsa-ca.pem` check them.

export const CHECKPOINT_FORMAT = 'recvault-checkpoint/1';

export const CHECKPOINT_REASONS = [
  'sync',
  'export',
  'verify',
  'disposal',
  'scheduled',
  'on-demand',
] as const;
export type CheckpointReason = (typeof CHECKPOINT_REASONS)[number];

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 as 64 lowercase hex digits');

export const checkpointSchema = z
  .object({
    format: z.literal(CHECKPOINT_FORMAT),
    /** This checkpoint's number: 1, 2, 3… in the order they were made. */
    seq: z.number().int().positive(),
    /** When it was made (ISO 8601, UTC), by this machine's clock: the .tsr is the trusted time. */
    createdAt: z.string().datetime(),
    reason: z.enum(CHECKPOINT_REASONS),
    audit: z
      .object({
        /** The audit log's head when the checkpoint was made (0 and GENESIS for an empty log). */
        headSeq: z.number().int().nonnegative(),
        headHash: hex64,
        /**
         * The entries this checkpoint newly covers, fromSeq..headSeq (after the previous
         * checkpoint's head): `entryHashesSha256` is the SHA-256 of their hashes' raw 32 bytes
         * concatenated in seq order, so `audit verify` can name the first entry rewritten.
         */
        range: z.object({
          fromSeq: z.number().int().positive(),
          toSeq: z.number().int().nonnegative(),
          entryHashesSha256: hex64,
        }),
      })
      .strict(),
    archive: z
      .object({
        /** Archived files (recordings with state `archived`) the root covers. */
        fileCount: z.number().int().nonnegative(),
        /** RFC 6962 Merkle tree hash of their SHA-256s sorted by recording id (merkle.ts). */
        merkleRoot: hex64,
        tree: z.literal('rfc6962-sha256/recording-id'),
      })
      .strict(),
    /** SHA-256 (hex) of the DER SubjectPublicKeyInfo of the key that signed it. */
    keyFingerprint: hex64,
    /** The software that made it, e.g. "Recvault 1.4.0". */
    software: z.string().min(1),
  })
  .strict();

export type Checkpoint = z.infer<typeof checkpointSchema>;

/** The bytes that are signed, timestamped and written as the `.json` file. */
export function canonicalCheckpointBytes(checkpoint: Checkpoint): Buffer {
  return Buffer.from(canonicalJson(checkpoint), 'utf8');
}

/** The digest sent to the time-stamping authority. */
export function checkpointDigest(bytes: Buffer): Buffer {
  return createHash('sha256').update(bytes).digest();
}

/** SHA-256 (hex) of a public key's DER SubjectPublicKeyInfo: the key's fingerprint. */
export function publicKeyFingerprint(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex');
}

/** SHA-256 of the entry hashes' raw bytes in order (the `audit.range.entryHashesSha256`). */
export function entryHashesDigest(entryHashes: readonly string[]): string {
  const hash = createHash('sha256');
  for (const entry of entryHashes) hash.update(Buffer.from(entry, 'hex'));
  return hash.digest('hex');
}

export type CheckpointCheck =
  { ok: true; checkpoint: Checkpoint } | { ok: false; problem: string; checkpoint?: Checkpoint };

/**
 * Checks a checkpoint file's bytes against its signature and a public key: that they parse as
 * a checkpoint, are in canonical form (so what was signed is what is read), name that key's
 * fingerprint and carry its valid Ed25519 signature. `json` is the `.json` file's bytes.
 */
export function verifyCheckpointSignature(
  json: Buffer | string,
  signature: Buffer,
  publicKeyPem: string,
): CheckpointCheck {
  const bytes = typeof json === 'string' ? Buffer.from(json, 'utf8') : json;
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { ok: false, problem: 'The checkpoint is not JSON.' };
  }
  const result = checkpointSchema.safeParse(parsed);
  if (!result.success) {
    return { ok: false, problem: `The checkpoint is not a ${CHECKPOINT_FORMAT} checkpoint.` };
  }
  const checkpoint = result.data;
  if (!canonicalCheckpointBytes(checkpoint).equals(bytes)) {
    return { ok: false, problem: 'The checkpoint is not in its canonical form.', checkpoint };
  }
  let key;
  try {
    key = createPublicKey(publicKeyPem);
  } catch {
    return { ok: false, problem: 'The public key is not a readable PEM key.', checkpoint };
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    return { ok: false, problem: 'The public key is not an Ed25519 key.', checkpoint };
  }
  if (publicKeyFingerprint(publicKeyPem) !== checkpoint.keyFingerprint) {
    return {
      ok: false,
      problem: `The checkpoint names key ${checkpoint.keyFingerprint}, not the key given.`,
      checkpoint,
    };
  }
  if (!verifySignature(null, bytes, key, signature)) {
    return { ok: false, problem: 'The checkpoint signature does not verify.', checkpoint };
  }
  return { ok: true, checkpoint };
}

export const CHECKPOINTS_DIR = 'checkpoints';

/** The data directory's checkpoint folder. */
export function checkpointsDir(dataDir: string): string {
  return path.join(dataDir, CHECKPOINTS_DIR);
}

/** `000042-20261201T140400Z.json`: sorts by seq; the time is for the reader. */
export function checkpointFileName(checkpoint: Pick<Checkpoint, 'seq' | 'createdAt'>): string {
  const time = checkpoint.createdAt.replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
  return `${String(checkpoint.seq).padStart(6, '0')}-${time}.json`;
}

export function publicKeyFileName(fingerprint: string): string {
  return `public-key-${fingerprint}.pem`;
}

/** A checkpoint as stored, with everything needed to check it away from the archive. */
export interface StoredCheckpoint {
  checkpoint: Checkpoint;
  /** The `.json` file's exact bytes (the signed bytes). */
  bytes: Buffer;
  signature: Buffer;
  /** The TSA's DER TimeStampResp, or null when not (yet) timestamped. */
  tsr: Buffer | null;
  /** The signing key (SPKI PEM). */
  publicKeyPem: string;
  /** The hashes of the audit entries audit.range covers, oldest first. */
  entryHashes: string[];
  /** The `.json` file's path. */
  file: string;
}

/** Reads one checkpoint's files from the checkpoints folder (null when the .json is absent). */
export function readCheckpointFiles(dataDir: string, fileName: string): StoredCheckpoint | null {
  const file = path.join(checkpointsDir(dataDir), fileName);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const checkpoint = checkpointSchema.parse(JSON.parse(bytes.toString('utf8')));
  const optional = (name: string): Buffer | null => {
    try {
      return fs.readFileSync(name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  };
  const audit = optional(`${file}.audit`)?.toString('utf8') ?? '';
  return {
    checkpoint,
    bytes,
    signature: fs.readFileSync(`${file}.sig`),
    tsr: optional(`${file}.tsr`),
    publicKeyPem: fs.readFileSync(
      path.join(checkpointsDir(dataDir), publicKeyFileName(checkpoint.keyFingerprint)),
      'utf8',
    ),
    entryHashes: audit.split('\n').filter((line) => line !== ''),
    file,
  };
}

/** The `.json` file names in the checkpoints folder, oldest first. */
export function listCheckpointFiles(dataDir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(checkpointsDir(dataDir));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names.filter((name) => /^\d{6,}-\d{8}T\d{6}Z\.json$/.test(name)).sort();
}

/** The newest checkpoint in the data directory's checkpoints folder, or null when none. */
export function readLatestCheckpoint(dataDir: string): StoredCheckpoint | null {
  const names = listCheckpointFiles(dataDir);
  const newest = names.at(-1);
  return newest === undefined ? null : readCheckpointFiles(dataDir, newest);
}
