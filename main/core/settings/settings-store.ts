import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { LastExportSettings, SettingsView } from '../contract/types.ts';
import { exportOptionsSchema } from '../contract/export-options.ts';
import { writeFileDurableSync } from '../durable/write-durable.ts';
import {
  CONCURRENCY,
  SETTINGS_DEFAULTS,
  exportFormatSchema,
  LIBRARY_COLUMNS_DEFAULT,
  libraryColumnsSchema,
  themeSchema,
} from '../contract/vocabulary.ts';
import { isTimeZone } from '../contract/export-options.ts';

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
  /** The last export's destination and options (the export dialog's defaults). */
  lastExport: lastExportSchema().nullable().catch(null).default(null),
  // A zone this machine's ICU no longer knows (a file from elsewhere) falls back to the system's.
  timeZone: z
    .string()
    .nullable()
    .default(SETTINGS_DEFAULTS.timeZone)
    .catch(null)
    .transform((zone) => (zone !== null && isTimeZone(zone) ? zone : null)),
  // A layout from an older or newer version that does not parse is dropped, not fatal.
  libraryColumns: libraryColumnsSchema
    .default(LIBRARY_COLUMNS_DEFAULT)
    .catch(LIBRARY_COLUMNS_DEFAULT),
});
export type Settings = z.infer<typeof settingsSchema>;

/**
 * Options saved by an older version may no longer parse (a format since removed): they are then
 * forgotten (`.catch(null)` above) rather than making settings.json unreadable.
 */
function lastExportSchema() {
  return z.object({
    destination: z.object({ kind: z.enum(['folder', 'zip']), path: z.string().min(1) }),
    options: exportOptionsSchema,
  });
}

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
      lastExport: this.#settings.lastExport,
      timeZone: this.#settings.timeZone,
      libraryColumns: this.#settings.libraryColumns,
    };
  }

  /** Remembers an export that started: the next export dialog opens with these. */
  rememberExport(last: LastExportSettings): SettingsView {
    return this.update({ lastExport: last });
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
