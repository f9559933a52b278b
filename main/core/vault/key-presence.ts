import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';

/** Folders listed in full at most this many pages (1,000 keys each); past it, HEAD per key. */
const MAX_PAGES = 10;

/**
 * Which keys may already be in the vault, from one listing per folder instead of one HEAD per
 * object: a key the listing does not show was never written (by this officer before a crash,
 * or by another officer), so it is PUT without a HEAD first; a key it shows is HEADed and
 * compared as before. A folder too large to list cheaply answers "maybe" for every key.
 */
export class KeyPresence {
  readonly #s3: S3Client;
  readonly #bucket: string;
  readonly #folders = new Map<string, Promise<Set<string> | null>>();

  constructor(s3: S3Client, bucket: string) {
    this.#s3 = s3;
    this.#bucket = bucket;
  }

  /** False only when the key is certainly not in the vault now. */
  async mayExist(key: string, folder: string): Promise<boolean> {
    let listed = this.#folders.get(folder);
    if (!listed) {
      listed = this.#list(folder);
      this.#folders.set(folder, listed);
    }
    const keys = await listed;
    return keys === null || keys.has(key);
  }

  /** Null when the folder is too large, or cannot be listed (keys without s3:ListBucket). */
  async #list(folder: string): Promise<Set<string> | null> {
    try {
      return await this.#listAll(folder);
    } catch {
      return null;
    }
  }

  async #listAll(folder: string): Promise<Set<string> | null> {
    const keys = new Set<string>();
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const listed = await this.#s3.send(
        new ListObjectsV2Command({
          Bucket: this.#bucket,
          Prefix: folder,
          ContinuationToken: token,
        }),
      );
      for (const object of listed.Contents ?? []) if (object.Key) keys.add(object.Key);
      token = listed.IsTruncated ? listed.NextContinuationToken : undefined;
      if (!token) return keys;
    }
    return null;
  }
}
