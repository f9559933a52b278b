import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { CustodySettingsView } from '../contract/custody.ts';
import { writeFileDurableSync } from '../durable/write-durable.ts';

/** Weekly unless changed: a fixity check often enough to catch a failing disk in time. */
export const DEFAULT_VERIFY_EVERY_DAYS = 7;

export const custodySettingsSchema = z.object({
  tsaUrl: z.string().url().nullable().default(null),
  tsaCaFile: z.string().min(1).nullable().default(null),
  verifyEveryDays: z.number().int().min(0).max(366).default(DEFAULT_VERIFY_EVERY_DAYS),
});

/**
 * The custody preferences in `custody-settings.json` beside settings.json: the time-stamping
 * authority (off by default: it needs the network) and the fixity schedule.
 */
export class CustodySettingsStore {
  readonly #file: string;
  #settings: CustodySettingsView;

  constructor(dataDir: string) {
    this.#file = path.join(dataDir, 'custody-settings.json');
    this.#settings = this.#load();
  }

  view(): CustodySettingsView {
    return { ...this.#settings };
  }

  update(change: Partial<CustodySettingsView>): CustodySettingsView {
    this.#settings = custodySettingsSchema.parse({ ...this.#settings, ...change });
    writeFileDurableSync(this.#file, JSON.stringify(this.#settings, null, 2));
    return this.view();
  }

  #load(): CustodySettingsView {
    try {
      return custodySettingsSchema.parse(JSON.parse(fs.readFileSync(this.#file, 'utf8')));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        return custodySettingsSchema.parse({});
      throw new Error(`${this.#file} is unreadable: ${(error as Error).message}`, { cause: error });
    }
  }
}
