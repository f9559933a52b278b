import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { SettingsView } from '../contract/types.ts';
import { writeFileDurableSync } from '../durable/write-durable.ts';
import {
  CONCURRENCY,
  SETTINGS_DEFAULTS,
  exportFormatSchema,
  themeSchema,
} from '../contract/vocabulary.ts';

const settingsSchema = z.object({
  /** Absolute path; null means `<dataDir>/archive`. */
  archiveDir: z.string().nullable().default(null),
  concurrency: z
    .number()
    .int()
    .min(CONCURRENCY.min)
    .max(CONCURRENCY.max)
    .default(SETTINGS_DEFAULTS.concurrency),
  dragFormat: exportFormatSchema.default(SETTINGS_DEFAULTS.dragFormat),
  theme: themeSchema.default(SETTINGS_DEFAULTS.theme),
});
export type Settings = z.infer<typeof settingsSchema>;

/** The user's preferences in `settings.json` (never a secret). */
export class SettingsStore {
  readonly #file: string;
  readonly #dataDir: string;
  readonly #defaultArchiveDir: string;
  #settings: Settings;

  constructor(dataDir: string, defaultArchiveDir: string) {
    this.#file = path.join(dataDir, 'settings.json');
    this.#dataDir = dataDir;
    this.#defaultArchiveDir = defaultArchiveDir;
    this.#settings = this.#load();
  }

  get archiveDir(): string {
    // Saved absolute since moves resolve it; an older relative one is read against the data
    // directory, never the working folder (which differs between the app and the CLI).
    const saved = this.#settings.archiveDir;
    return saved === null ? this.#defaultArchiveDir : path.resolve(this.#dataDir, saved);
  }

  get concurrency(): number {
    return this.#settings.concurrency;
  }

  view(): SettingsView {
    return {
      archiveDir: this.archiveDir,
      concurrency: this.#settings.concurrency,
      dragFormat: this.#settings.dragFormat,
      theme: this.#settings.theme,
    };
  }

  update(change: Partial<Settings>): SettingsView {
    this.#settings = settingsSchema.parse({ ...this.#settings, ...change });
    writeFileDurableSync(this.#file, JSON.stringify(this.#settings, null, 2));
    return this.view();
  }

  #load(): Settings {
    try {
      return settingsSchema.parse(JSON.parse(fs.readFileSync(this.#file, 'utf8')));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return settingsSchema.parse({});
      throw new Error(`${this.#file} is unreadable: ${(error as Error).message}`, { cause: error });
    }
  }
}
