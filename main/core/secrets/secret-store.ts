import fs from 'node:fs';
import path from 'node:path';
import { writeFileDurableSync } from '../durable/write-durable.ts';
import type { SecretCipher } from './cipher.ts';

/**
 * Encrypted account secrets in `secrets.json` (a map of reference → base64 ciphertext).
 * The index only ever holds the reference.
 */
export class SecretStore {
  readonly #file: string;

  constructor(dataDir: string) {
    this.#file = path.join(dataDir, 'secrets.json');
  }

  put(ref: string, cipher: SecretCipher, plain: string): void {
    const all = this.#read();
    all[ref] = cipher.encrypt(plain).toString('base64');
    this.#write(all);
  }

  get(ref: string, cipher: SecretCipher): string | null {
    const stored = this.#read()[ref];
    return stored === undefined ? null : cipher.decrypt(Buffer.from(stored, 'base64'));
  }

  delete(ref: string): void {
    const all = this.#read();
    if (!(ref in all)) return;
    delete all[ref];
    this.#write(all);
  }

  #read(): Record<string, string> {
    try {
      return JSON.parse(fs.readFileSync(this.#file, 'utf8')) as Record<string, string>;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
  }

  #write(all: Record<string, string>): void {
    writeFileDurableSync(this.#file, JSON.stringify(all, null, 2), { mode: 0o600 });
  }
}
