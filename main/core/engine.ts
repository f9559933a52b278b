import fs from 'node:fs';
import path from 'node:path';
import { AccountService } from './accounts/account-service.ts';
import type { SecretAccess } from './accounts/secret-ref.ts';
import type { HandlerTable } from './api/dispatch.ts';
import { EventBus } from './api/event-bus.ts';
import { buildHandlers } from './api/handlers.ts';
import type { AuditActor } from './audit/actions.ts';
import { openDatabase, optimizeDatabase } from './db/open-database.ts';
import type { Db } from './db/sqlite.ts';
import { ExportManager } from './export/export-manager.ts';
import { locateFfmpeg } from './ffmpeg/locate.ts';
import { LibraryService } from './library/library-service.ts';
import { dataPaths, type DataPaths } from './paths.ts';
import { createProviderClient } from './providers/index.ts';
import type { SecretCipher } from './secrets/cipher.ts';
import { SecretStore } from './secrets/secret-store.ts';
import { SettingsStore } from './settings/settings-store.ts';
import { ArchiverLock } from './sync/archiver-lock.ts';
import { JobManager } from './sync/job-manager.ts';

/** How long after start-up the app refreshes the index statistics. */
const STATISTICS_DELAY_MS = 60_000;

/** What only the shell around the engine can do (Electron dialogs, the OS keychain…). */
export interface PlatformServices {
  /** Encrypts secrets typed into the app; null where none is available (the CLI). */
  cipher: SecretCipher | null;
  /** Native dialogs; absent in the browser bridge, where the UI asks for a typed path. */
  pickDirectory?: (title: string) => Promise<string | null>;
  pickSaveFile?: (title: string, defaultName: string) => Promise<string | null>;
  showItemInFolder?: (absolutePath: string) => void;
  /** The URL a renderer plays an archived recording from. */
  mediaUrl: (recordingId: number) => string;
}

export interface EngineOptions {
  dataDir: string;
  transport: 'electron' | 'bridge' | 'cli';
  platform?: Partial<PlatformServices>;
  env?: NodeJS.ProcessEnv;
  /** A secret given for this run only (the CLI reading stdin). */
  secretOverride?: string | null;
  /** Resume sync jobs a crash or quit interrupted (the app does; the CLI asks for it). */
  resumeInterrupted?: boolean;
  /** Longest a job waits in-run for recordings the provider is still preparing. */
  maxInRunWaitMs?: number;
  /** Overrides the saved concurrency for this run (the CLI's --concurrency). */
  concurrency?: number;
  /** Test seam: the longest wait before the app re-runs a job with waiting recordings. */
  retryLaterMaxMs?: number;
  /** Test seam: how provider clients are made. */
  createClient?: typeof createProviderClient;
}

export interface Engine {
  paths: DataPaths;
  events: EventBus;
  handlers: HandlerTable;
  db: Db;
  actor: AuditActor;
  accounts: AccountService;
  jobs: JobManager;
  library: LibraryService;
  exports: ExportManager;
  settings: SettingsStore;
  platform: PlatformServices;
  archiveDir(): string;
  ffmpegPath(): string;
  close(): Promise<void>;
}

/** Opens the archive in `dataDir` and builds the services and the handler table. */
export async function openEngine(options: EngineOptions): Promise<Engine> {
  const paths = dataPaths(options.dataDir);
  await fs.promises.mkdir(paths.dataDir, { recursive: true });
  const settings = new SettingsStore(paths.dataDir, paths.archiveDir);
  // Create the archive folder only the first time: a configured archive that vanished (an
  // unplugged drive) must be reported, never silently recreated empty.
  if (!fs.existsSync(path.join(paths.dataDir, 'index.sqlite'))) {
    await fs.promises.mkdir(settings.archiveDir, { recursive: true });
  }
  const db = openDatabase(paths.indexPath);
  const events = new EventBus();
  const actor: AuditActor = options.transport === 'cli' ? 'cli' : 'user';
  const platform: PlatformServices = {
    cipher: null,
    mediaUrl: (id) => `recvault-media://recording/${id}`,
    ...options.platform,
  };
  const secrets: SecretAccess = {
    store: new SecretStore(paths.dataDir),
    cipher: platform.cipher,
    env: options.env ?? process.env,
    override: options.secretOverride ?? null,
  };
  const accounts = new AccountService({
    db,
    secrets,
    actor,
    createClient: options.createClient ?? createProviderClient,
  });
  const archiveDir = () => settings.archiveDir;
  const jobs = new JobManager({
    db,
    accounts,
    events,
    archiveRoot: archiveDir,
    actor,
    concurrency: options.concurrency ?? settings.concurrency,
    lock: new ArchiverLock(paths.dataDir),
    retryPendingLater: options.transport !== 'cli',
    ...(options.retryLaterMaxMs === undefined ? {} : { retryLaterMaxMs: options.retryLaterMaxMs }),
    // The app retries waiting recordings later by itself, so a job need not sit "running".
    maxInRunWaitMs: options.maxInRunWaitMs ?? (options.transport === 'cli' ? 120_000 : 15_000),
  });
  const library = new LibraryService(db, actor);
  const exports = new ExportManager({ db, events, archiveRoot: archiveDir, actor });
  let ffmpeg: string | null = null;
  const engine: Engine = {
    paths,
    events,
    db,
    actor,
    accounts,
    jobs,
    library,
    exports,
    settings,
    platform,
    handlers: undefined as unknown as HandlerTable,
    archiveDir,
    ffmpegPath: () => (ffmpeg ??= locateFfmpeg().path),
    close: async () => {
      await jobs.suspendAll();
      db.close();
    },
  };
  engine.handlers = buildHandlers(engine, options.transport);
  // The app stays open: refresh the planner's statistics once it has settled, off the open
  // path (a cold ANALYZE of a large index takes seconds). The CLI's short runs skip it.
  if (options.transport !== 'cli') {
    const timer = setTimeout(() => {
      if (db.open) optimizeDatabase(db);
    }, STATISTICS_DELAY_MS);
    timer.unref();
  }
  const interrupted = jobs.recoverInterrupted();
  if (options.resumeInterrupted) for (const jobId of interrupted) jobs.resume(jobId);
  return engine;
}
