import type { EventBus } from '../api/event-bus.ts';
import { holdArchiveForReading } from '../archive/readers-lock.ts';
import { appendAudit } from '../audit/append-audit.ts';
import type { AuditActor } from '../audit/actions.ts';
import { AppError } from '../app-error.ts';
import { exportOptionsSchema, type ExportOptions } from '../contract/export-options.ts';
import type { ExportVerifyReport } from '../contract/export-verification.ts';
import type {
  ExportDetail,
  ExportPlanView,
  ExportView,
  LastExportSettings,
  LibraryQuery,
} from '../contract/types.ts';
import { manifestCsv } from '../convert/manifest.ts';
import { verifyExport } from '../custody/verify-export/verify-export.ts';
import { planExport } from './export-plan.ts';
import { MediaFacts } from './media-facts.ts';
import { verifyPlainExport } from './verify-plain-export.ts';
import { listAccounts } from '../db/accounts.ts';
import { listAuditRows } from '../db/audit-log.ts';
import {
  createExport,
  finishExport,
  getExport,
  listExports,
  type ExportRecord,
} from '../db/exports.ts';
import type { Db } from '../db/sqlite.ts';
import { inTransaction } from '../db/transaction.ts';
import {
  ExportConflictError,
  runExport,
  type DestinationSpec,
  type ExportSummary,
} from '../convert/index.ts';
import path from 'node:path';
import type { CheckpointSource } from '../custody/bag/checkpoint-port.ts';
import { abandonBag, finishBag, planBag, type BagPlan, type BagSummary } from './bag-export.ts';
import { exportSource, selectArchived } from './export-sources.ts';
import type { ExportSource } from '../convert/source.ts';
import { liveHoldNames } from '../db/holds.ts';
import { checkProductionDestination } from './production/production-destination.ts';
import { isProduction, writeProduction } from './production/write-production.ts';

const PROGRESS_INTERVAL_MS = 100;

export interface ExportManagerDeps {
  db: Db;
  events: EventBus;
  archiveRoot: () => string;
  actor: AuditActor;
  concurrency?: number;
  /** Called when an export has ended (custody's checkpoint); `wait` resolves after it. */
  onExportEnded?: () => Promise<void>;
  /** The data directory: an export holds its archive-readers lock, so no move deletes under it. */
  dataDir?: string;
  /** Signed checkpoints, for bags (options.package 'bag'); without it a bag is refused. */
  checkpoints?: CheckpointSource | null;
  /** An export started: its destination and options become the next dialog's defaults. */
  remember?: (last: LastExportSettings) => void;
  /**
   * Where the sources' bytes are read from when the archive has no local copy (the team
   * vault's objects, staged and hash-checked); without it, the archive's files only.
   */
  stageSources?: (
    sources: readonly ExportSource[],
    signal: AbortSignal,
  ) => Promise<{ sources: ExportSource[]; release(): Promise<void> }>;
}

/** What "Retry with the same settings" asks for: the recorded selection, destination, options. */
export interface RetryRequest {
  recordingIds: number[];
  destination: DestinationSpec;
  options: ExportOptions;
  retryOf: number;
}

interface Running {
  controller: AbortController;
  done: Promise<void>;
  filesDone: number;
  filesTotal: number;
  failures: { recordingId: number; reason: string }[];
  fraction: number;
  timer: NodeJS.Timeout | null;
}

/** Runs exports in the background, reports their progress, and audits each one. */
export class ExportManager {
  readonly #deps: ExportManagerDeps;
  readonly #running = new Map<number, Running>();
  /** What archived files hold, for previews (kept per file content). */
  readonly #facts = new MediaFacts();

  constructor(deps: ExportManagerDeps) {
    this.#deps = deps;
  }

  /** The exports running now, named for a message ("export 4 to /path"). */
  running(): string[] {
    return [...this.#running.keys()].map((id) => `export ${id}`);
  }

  start(request: {
    recordingIds: number[];
    query: LibraryQuery | null;
    destination: DestinationSpec;
    options: ExportOptions;
    /** The export this one retries with the same settings (recorded in the audit log). */
    retryOf?: number | null;
  }): ExportView {
    const { db } = this.#deps;
    const destination = { ...request.destination, path: path.resolve(request.destination.path) };
    const recordings = selectArchived(db, request.recordingIds, request.query);
    const names = new Map(listAccounts(db, { includeRemoved: true }).map((a) => [a.id, a.name]));
    const sources = recordings.map((r) =>
      exportSource(r, names.get(r.accountId) ?? '', this.#deps.archiveRoot()),
    );
    // Parsed by the contract's schema, which already refuses a bitrate for lossless formats.
    const { options } = request;
    const checkpoints = this.#deps.checkpoints ?? null;
    if (options.package === 'bag' && !checkpoints) {
      throw new AppError(
        'unsupported',
        'A BagIt package needs the signing key for its checkpoint, and none is set up.',
      );
    }
    if (options.package === 'bag') checkpoints?.assertCanSign?.();
    checkProductionDestination(options, destination);
    // Throws (conflict) before anything is written or recorded.
    const bag: BagPlan | null = options.package === 'bag' ? planBag(destination) : null;
    // Last check before anything is written: refused while an archive move runs anywhere.
    const reading = this.#deps.dataDir ? holdArchiveForReading(this.#deps.dataDir) : null;
    let record;
    try {
      record = createExport(db, {
        destination: destination.path,
        options,
        recordingIds: recordings.map((r) => r.id),
        destinationKind: destination.kind,
      });
    } catch (error) {
      reading?.release();
      throw error;
    }
    appendAudit(db, {
      actor: this.#deps.actor,
      action: 'export.started',
      subject: `export:${record.id}`,
      details: {
        destination: destination.path,
        kind: destination.kind,
        recordings: sources.length,
        ...(bag ? { package: 'bag' } : {}),
        ...(request.retryOf ? { retryOf: request.retryOf } : {}),
      },
    });
    this.#deps.remember?.({
      destination: { kind: destination.kind, path: destination.path },
      options,
    });
    const controller = new AbortController();
    const running: Running = {
      controller,
      done: Promise.resolve(),
      filesDone: 0,
      filesTotal: sources.length,
      failures: [],
      fraction: 0,
      timer: null,
    };
    this.#running.set(record.id, running);
    // Vault-only sources are staged first (and deleted once the export has ended).
    const stage = this.#deps.stageSources ?? (async () => ({ sources, release: async () => {} }));
    const staging = { release: async () => {} };
    running.done = stage(sources, controller.signal)
      .then((ready) => {
        staging.release = ready.release;
        return runExport({
          sources: ready.sources,
          options,
          destination: bag ? bag.payload : destination,
          signal: controller.signal,
          ...(this.#deps.concurrency ? { concurrency: this.#deps.concurrency } : {}),
          onProgress: (event) => {
            if (event.type === 'batch') {
              running.filesDone = event.completed;
              running.filesTotal = event.total;
              running.fraction = event.fraction;
            } else if (event.state === 'failed') {
              running.failures.push({
                recordingId: Number(event.recordingId),
                reason: event.reason ?? 'failed',
              });
            }
            this.#scheduleProgress(record.id, running);
          },
        });
      })
      .then(async (summary): Promise<ExportSummary> => {
        if (!isProduction(options) || summary.outputs.length === 0) return summary;
        // The load files go beside the produced files: in a bag, in its data/ (so the bag's
        // manifest covers them), and the native paths are relative to that folder.
        const production = await writeProduction({
          folder: bag ? bag.payload.path : destination.path,
          outputs: summary.outputs,
          recordings: new Map(recordings.map((r) => [String(r.id), r])),
          holds: liveHoldNames(
            db,
            recordings.map((r) => r.id),
          ),
          options,
          batchName: `${options.controlPrefix} export ${record.id}`,
          signal: controller.signal,
        });
        return { ...summary, production };
      })
      .then(async (summary) => {
        if (!bag || !checkpoints) return summary;
        // Nothing converted: no bag to make, and nothing of it is left behind.
        if (summary.outputs.length === 0) return (await abandonBag(bag), summary);
        return finishBag(bag, summary, {
          db,
          checkpoints,
          organization: options.organization,
          signal: controller.signal,
        });
      })
      .then((summary) => this.#finish(record.id, running, summary, null))
      .catch(async (error: unknown) => {
        if (bag) await abandonBag(bag);
        this.#finish(record.id, running, null, error);
      })
      .then(() => this.#deps.onExportEnded?.())
      .finally(async () => {
        await staging.release();
        reading?.release();
        if (running.timer) clearTimeout(running.timer);
        this.#running.delete(record.id);
        this.#emit(record.id, 1);
      });
    return this.view(record.id);
  }

  /** Resolves when the export has ended, with its summary (null when it stopped before one). */
  async wait(exportId: number): Promise<{ export: ExportView; summary: ExportSummary | null }> {
    await this.#running.get(exportId)?.done;
    const record = this.#record(exportId);
    const summary = record.summary as Partial<ExportSummary> | null;
    return {
      export: this.view(exportId),
      summary: summary && Array.isArray(summary.outputs) ? (summary as ExportSummary) : null,
    };
  }

  async cancel(exportId: number): Promise<ExportView> {
    const running = this.#running.get(exportId);
    if (running) {
      running.controller.abort(new AppError('cancelled', 'Export cancelled'));
      await running.done;
    }
    return this.view(exportId);
  }

  list(): ExportView[] {
    return listExports(this.#deps.db).map((record) => this.#view(record));
  }

  view(exportId: number): ExportView {
    return this.#view(this.#record(exportId));
  }

  /** What an export of this selection with these options would make (nothing is written). */
  plan(request: {
    recordingIds: readonly number[];
    query: LibraryQuery | null;
    options: ExportOptions;
  }): Promise<ExportPlanView> {
    return planExport(
      { db: this.#deps.db, archiveRoot: this.#deps.archiveRoot, facts: this.#facts },
      request,
    );
  }

  /** An export in full: its options, its files with their hashes, its manifest. */
  detail(exportId: number): ExportDetail {
    const record = this.#record(exportId);
    const summary = finishedSummary(record);
    const options = exportOptionsSchema.safeParse(record.options);
    const retry = this.#retryOrRefusal(record);
    return {
      export: this.#view(record),
      kind: kindOf(record),
      options: options.success ? options.data : null,
      recordings: record.recordingIds.length,
      files: (summary?.outputs ?? []).map((o) => ({
        name: o.outputName,
        bytes: o.outputBytes,
        sha256: o.outputSha256,
        recordingId: Number(o.recordingId),
        channel: o.channel,
      })),
      manifestCsv: summary ? manifestCsv(summary.outputs) : null,
      manifestSha256: summary?.manifestSha256 ?? null,
      zipSha256: summary?.zipSha256 ?? null,
      retryOf: this.#retryOf(exportId),
      retryRefusal: typeof retry === 'string' ? retry : null,
    };
  }

  /** The request "Retry with the same settings" makes; throws, in words, when it cannot. */
  retryRequest(exportId: number): RetryRequest {
    const retry = this.#retryOrRefusal(this.#record(exportId));
    if (typeof retry === 'string') throw new AppError('conflict', retry);
    return retry;
  }

  /** "Verify this export": a bag by the recipient's check, files against what was recorded. */
  async check(exportId: number): Promise<ExportVerifyReport> {
    const record = this.#record(exportId);
    const summary = finishedSummary(record);
    if (record.state !== 'done' || !summary) {
      throw new AppError(
        'conflict',
        `Export ${exportId} did not finish (${record.state}), so it has no files to verify.`,
      );
    }
    const report =
      summary.options?.package === 'bag'
        ? await verifyExport({ path: record.destination })
        : await verifyPlainExport({
            kind: kindOf(record),
            path: record.destination,
            files: summary.outputs.map((o) => ({ name: o.outputName, sha256: o.outputSha256 })),
            manifestSha256: summary.manifestSha256 ?? null,
            zipSha256: summary.zipSha256 ?? null,
          });
    appendAudit(this.#deps.db, {
      actor: this.#deps.actor,
      action: 'export.verified',
      subject: `export:${exportId}`,
      details: {
        ok: report.ok,
        failed: report.findings
          .filter((f) => !f.ok)
          .map((f) => `${f.subject ?? f.check}: ${f.message}`)
          .slice(0, 20),
      },
    });
    return report;
  }

  #retryOrRefusal(record: ExportRecord): RetryRequest | string {
    if (this.#running.has(record.id) || record.state === 'running') {
      return `Export ${record.id} is still running.`;
    }
    if (record.recordingIds.length === 0 || record.destinationKind === null) {
      return `Export ${record.id} was made before Recvault kept what an export took, so it cannot be repeated exactly; select the recordings and export again.`;
    }
    const options = exportOptionsSchema.safeParse(record.options);
    if (!options.success) {
      return `Export ${record.id}'s options are no longer valid (${options.error.issues[0]?.message ?? 'unreadable'}); export again with new ones.`;
    }
    return {
      recordingIds: record.recordingIds,
      destination: { kind: record.destinationKind, path: record.destination },
      options: options.data,
      retryOf: record.id,
    };
  }

  /** The export this one was started to retry, from its export.started audit entry. */
  #retryOf(exportId: number): number | null {
    const started = startedDetails(this.#deps.db, exportId);
    const value = started?.retryOf;
    return typeof value === 'number' ? value : null;
  }

  /** The folder to reveal for a finished export (the folder itself, or the zip's folder). */
  revealPath(exportId: number): string {
    const record = this.#record(exportId);
    return record.destination;
  }

  #finish(
    exportId: number,
    running: Running,
    summary: ExportSummary | BagSummary | null,
    error: unknown,
  ): void {
    const { db } = this.#deps;
    const cancelled = running.controller.signal.aborted;
    inTransaction(db, () => {
      if (summary) {
        const state =
          summary.outputs.length === 0 && summary.failures.length > 0 ? 'failed' : 'done';
        finishExport(db, exportId, {
          state,
          summary: summary as unknown as Record<string, unknown>,
          error: summary.failures.length ? `${summary.failures.length} file(s) failed` : null,
        });
        appendAudit(db, {
          actor: this.#deps.actor,
          action: state === 'done' ? 'export.completed' : 'export.failed',
          subject: `export:${exportId}`,
          details: {
            destination: summary.destination.path,
            kind: summary.destination.kind,
            outputs: summary.totals.outputs,
            failures: summary.totals.failures,
            manifestSha256: summary.manifestSha256,
            ...(summary.zipSha256 ? { zipSha256: summary.zipSha256 } : {}),
            // The bag's payload manifest: what a recipient's `sha256sum -c` checks.
            ...('bag' in summary ? { bag: { ...summary.bag } } : {}),
            // Control numbers and the load files' hashes: a re-run is checked against these.
            ...(summary.production ? { production: summary.production } : {}),
            recordings: summary.outputs
              .map((o) => o.recordingId)
              .filter((v, i, a) => a.indexOf(v) === i),
          },
        });
      } else {
        const message = cancelled
          ? 'Cancelled: every file this export wrote was removed.'
          : error instanceof ExportConflictError || error instanceof Error
            ? error.message
            : String(error);
        finishExport(db, exportId, { state: cancelled ? 'cancelled' : 'failed', error: message });
        appendAudit(db, {
          actor: this.#deps.actor,
          action: 'export.failed',
          subject: `export:${exportId}`,
          details: { reason: message, cancelled },
        });
      }
    });
  }

  #scheduleProgress(exportId: number, running: Running): void {
    running.timer ??= setTimeout(() => {
      running.timer = null;
      this.#emit(exportId, running.fraction);
    }, PROGRESS_INTERVAL_MS);
  }

  #emit(exportId: number, fraction: number): void {
    this.#deps.events.emit('exportProgress', { export: this.view(exportId), fraction });
  }

  #view(record: ExportRecord): ExportView {
    const running = this.#running.get(record.id);
    const summary = record.summary as Partial<ExportSummary> | null;
    const failures =
      running?.failures ??
      (summary?.failures ?? []).map((f) => ({
        recordingId: Number(f.recordingId),
        reason: f.reason,
      }));
    return {
      id: record.id,
      state: running ? 'running' : record.state,
      destination: record.destination,
      createdAt: record.createdAt,
      filesDone: running ? running.filesDone : (summary?.totals?.outputs ?? 0),
      filesTotal: running ? running.filesTotal : (summary?.totals?.sources ?? 0),
      failures,
      revealPath: record.state === 'done' ? record.destination : null,
      error: running ? null : record.error,
    };
  }

  #record(exportId: number): ExportRecord {
    const record = getExport(this.#deps.db, exportId);
    if (!record) throw new AppError('not_found', `No export ${exportId}.`);
    return record;
  }
}

function startedDetails(db: Db, exportId: number): Record<string, unknown> | null {
  const [row] = listAuditRows(db, {
    action: 'export.started',
    subject: `export:${exportId}`,
    limit: 1,
  });
  return row ? (JSON.parse(row.details_json) as Record<string, unknown>) : null;
}

function kindOf(record: ExportRecord): 'folder' | 'zip' {
  return record.destinationKind ?? (/\.zip$/i.test(record.destination) ? 'zip' : 'folder');
}

/** The stored summary of an export that wrote its files, else null. */
function finishedSummary(record: ExportRecord): ExportSummary | null {
  const summary = record.summary as Partial<ExportSummary> | null;
  return summary && Array.isArray(summary.outputs) ? (summary as ExportSummary) : null;
}
