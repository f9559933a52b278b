import { createHash } from 'node:crypto';
import path from 'node:path';
import { pipeline, Transform, type Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SecretAccess } from '../accounts/secret-ref.ts';
import { AppError } from '../app-error.ts';
import { listAccounts } from '../db/accounts.ts';
import type { Recording } from '../db/recording-row.ts';
import type { Db } from '../db/sqlite.ts';
import { getVaultTarget, vaultItemsOfRecording, type VaultTargetRow } from '../db/vault.ts';
import { describeS3Error } from './bucket-check.ts';
import { makeS3Client } from './client.ts';
import { headObject, isNotFound } from './head-object.ts';
import { recordingKeys } from './keys.ts';
import { SHA256_METADATA } from './lock.ts';
import { resolveVaultKeys } from './vault-keys.ts';

/** A recording's media object in the vault, with what the index says its bytes are. */
export interface VaultMediaObject {
  recordingId: number;
  /** How the recording is named to the officer (the provider's id). */
  remoteId: string;
  bucket: string;
  key: string;
  /** The index's SHA-256 and size: what every byte read from the store is held to. */
  sha256: string;
  size: number;
}

/** The vault's bytes are not the index's: named by recording, never served or copied. */
export function objectMismatch(object: VaultMediaObject, found: string): AppError {
  return new AppError(
    'storage',
    `Recording ${object.remoteId} (id ${object.recordingId}): the team vault's object ` +
      `${object.key} ${found}, not the SHA-256 ${object.sha256} (${object.size} bytes) the index ` +
      'records, so it is not used. Run "recvault vault verify" and ask whoever runs the vault.',
  );
}

/**
 * Reads recordings' media objects from the team vault for a data directory whose archive has
 * no local copy (an officer who attached the vault): ranges for playback, whole objects (hashed
 * against the index as they stream) for offline copies and exports. One S3 client is kept
 * while the target and keys stay the same, so a player's many Range requests reuse connections.
 */
export class VaultReader {
  readonly #db: Db;
  readonly #secrets: SecretAccess;
  #client: { fingerprint: string; s3: S3Client } | null = null;

  constructor(deps: { db: Db; secrets: SecretAccess }) {
    this.#db = deps.db;
    this.#secrets = deps.secrets;
  }

  /** The recording's media object, or null when this data directory has no vault. */
  locate(recording: Recording): VaultMediaObject | null {
    const target = getVaultTarget(this.#db);
    if (!target || recording.state !== 'archived' || !recording.localPath || !recording.sha256) {
      return null;
    }
    const queued = vaultItemsOfRecording(this.#db, recording.id).find((i) => i.kind === 'media');
    const key = queued?.objectKey ?? this.#derivedKey(target, recording);
    return {
      recordingId: recording.id,
      remoteId: recording.remoteId,
      bucket: target.bucket,
      key,
      sha256: recording.sha256,
      size: recording.localSize ?? queued?.size ?? 0,
    };
  }

  /**
   * HEAD: the store holds the object with the index's SHA-256 (in its metadata, as every
   * Recvault upload writes it) and size. Cheap, so a player is refused before it starts.
   */
  async check(object: VaultMediaObject): Promise<void> {
    const stored = await this.#send(object, (s3) => headObject(s3, object.bucket, object.key));
    if (!stored) throw missing(object);
    if (stored.sha256 !== object.sha256 || stored.size !== object.size) {
      throw objectMismatch(object, described(stored.sha256, stored.size));
    }
  }

  /**
   * Bytes start..end (inclusive) by a Range GET. The answer's own metadata and total length
   * are held to the index, so a replaced object is refused at the first range, not played.
   */
  async range(object: VaultMediaObject, start: number, end: number): Promise<Readable> {
    const got = await this.#send(object, (s3) =>
      s3.send(
        new GetObjectCommand({
          Bucket: object.bucket,
          Key: object.key,
          Range: `bytes=${start}-${end}`,
        }),
      ),
    );
    const body = got.Body as Readable;
    const total = Number(/\/(\d+)$/.exec(got.ContentRange ?? '')?.[1] ?? got.ContentLength);
    const sha256 = got.Metadata?.[SHA256_METADATA] ?? null;
    if (sha256 !== object.sha256 || total !== object.size) {
      body.destroy();
      throw objectMismatch(object, described(sha256, total));
    }
    return body;
  }

  /**
   * The whole object, streamed; the stream fails at its end (before it ends) when the bytes'
   * SHA-256 or length is not the index's, so a reader never takes wrong bytes for the record.
   */
  async whole(object: VaultMediaObject): Promise<Readable> {
    const body = await this.range(object, 0, Math.max(0, object.size - 1));
    const checked = hashChecked(object);
    // A cut connection or a wrong hash fails the one stream the reader holds.
    pipeline(body, checked, () => undefined);
    return checked;
  }

  /** The sidecar object beside the media (the officer's copy of the provider's metadata). */
  async sidecarText(object: VaultMediaObject): Promise<string | null> {
    const key = `${object.key.slice(0, object.key.lastIndexOf('/'))}/sidecar.json`;
    try {
      const got = await this.#send(object, (s3) =>
        s3.send(new GetObjectCommand({ Bucket: object.bucket, Key: key })),
      );
      return await got.Body!.transformToString('utf8');
    } catch (error) {
      if (error instanceof AppError && error.code === 'not_found') return null;
      throw error;
    }
  }

  close(): void {
    this.#client?.s3.destroy();
    this.#client = null;
  }

  #derivedKey(target: VaultTargetRow, recording: Recording): string {
    const account = listAccounts(this.#db, { includeRemoved: true }).find(
      (a) => a.id === recording.accountId,
    );
    return recordingKeys(target.prefix, {
      provider: recording.provider,
      accountName: account?.name ?? '',
      remoteId: recording.remoteId,
      recordedAt: recording.recordedAt ?? recording.createdAt,
      extension: path.extname(recording.localPath!).slice(1) || 'bin',
    }).media;
  }

  /** Runs one request with the target's client; the store's refusals become plain sentences. */
  async #send<T>(object: VaultMediaObject, run: (s3: S3Client) => Promise<T>): Promise<T> {
    const s3 = this.#s3();
    try {
      return await run(s3);
    } catch (error) {
      if (error instanceof AppError) throw error;
      if (isNotFound(error)) throw missing(object);
      throw new AppError(
        'unreachable',
        `Recording ${object.remoteId} (id ${object.recordingId}) could not be read from the team vault: ${describeS3Error(error)}`,
      );
    }
  }

  #s3(): S3Client {
    const target = getVaultTarget(this.#db);
    if (!target) throw new AppError('not_found', 'No team vault is set up.');
    const keys = resolveVaultKeys(this.#secrets, target);
    const fingerprint = JSON.stringify([target.endpoint, target.region, keys]);
    if (this.#client?.fingerprint !== fingerprint) {
      this.close();
      this.#client = {
        fingerprint,
        s3: makeS3Client({ endpoint: target.endpoint, region: target.region, ...keys }),
      };
    }
    return this.#client.s3;
  }
}

function missing(object: VaultMediaObject): AppError {
  return new AppError(
    'not_found',
    `Recording ${object.remoteId} (id ${object.recordingId}) has no local copy, and the team vault has no object ${object.key}.`,
  );
}

function described(sha256: string | null, size: number): string {
  return sha256
    ? `holds SHA-256 ${sha256} (${size} bytes)`
    : `carries no SHA-256 of Recvault (${size} bytes)`;
}

/** Passes the bytes on, hashing them; errors instead of ending when they are not the index's. */
export function hashChecked(object: VaultMediaObject): Transform {
  const hash = createHash('sha256');
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
    flush(done) {
      const sha256 = hash.digest('hex');
      if (sha256 !== object.sha256 || size !== object.size) {
        done(objectMismatch(object, `streamed SHA-256 ${sha256} (${size} bytes)`));
      } else done();
    },
  });
}
