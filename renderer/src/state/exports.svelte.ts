import type { RequestArgs } from '../../../main/core/contract/requests.ts';
import type { ExportVerifyReport } from '../../../main/core/contract/export-verification.ts';
import type {
  ExportDetail,
  ExportPlanView,
  ExportProgress,
  ExportView,
} from '../../../main/core/contract/types.ts';
import { call, describeFailure } from '../lib/failure.ts';
import { loadInto, upsertById } from './engine-calls.ts';
import type { ApiOf } from './types.ts';

type ExportsApi = ApiOf<
  | 'exportStart'
  | 'exportCancel'
  | 'exportsList'
  | 'showInFolder'
  | 'onExportProgress'
  | 'exportPlan'
  | 'exportDetail'
  | 'exportRetry'
  | 'exportCheck'
>;

/** An export that ran longer than this gets a system notification when it ends. */
export const NOTIFY_AFTER_MS = 10_000;

/** Tells the user a long export ended, if they allowed notifications. */
export type Notifier = (title: string, body: string) => void;

export function systemNotifier(title: string, body: string): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  new Notification(title, { body });
}

/** Asks once, when an export starts (a user gesture), so the end can be announced. */
export function askNotificationPermission(): void {
  if (typeof Notification !== 'undefined' && Notification.permission === 'default') {
    void Notification.requestPermission();
  }
}

const SYSTEM_ERRORS: Record<string, string> = {
  EPERM: 'the system does not allow writing there',
  EACCES: 'Recvault has no permission to write there',
  EROFS: 'that disk is read-only',
  ENOSPC: 'the disk is full',
  ENOENT: 'a folder on the way does not exist',
  ENOTDIR: 'part of the path is a file, not a folder',
  EEXIST: 'a file of that name already exists',
};

/** "EPERM: operation not permitted, mkdtemp '/sys/.staging'" → "cannot write in /sys: …". */
export function plainSystemError(reason: string): string {
  const match = /^([A-Z]+): [^,]*, \w+ '([^']+)'/.exec(reason);
  const words = match ? SYSTEM_ERRORS[match[1]!] : undefined;
  if (!match || !words) return reason;
  const where = match[2]!.replace(/\/\.recvault-[^/]*$/, '');
  return `Recvault could not write to ${where}: ${words} (${match[1]})`;
}

const plural = (n: number, one: string, many: string): string =>
  `${n.toLocaleString()} ${n === 1 ? one : many}`;

/**
 * An ended export in words. Its totals count recordings in and files out, which differ when
 * split channels make two files of one recording: "35 recordings → 50 files exported".
 * A failure says the reason the engine stored, and what to do about it.
 */
export function exportSummary(view: ExportView): string {
  const failed = view.failures.length;
  if (view.state === 'cancelled') {
    return `Export cancelled after ${plural(view.filesDone, 'file', 'files')}.`;
  }
  const reason = view.error?.trim();
  if (view.state === 'failed' && view.filesDone === 0) {
    const stored = failed > 0 && view.failures[0] ? view.failures[0].reason : reason;
    const because = stored ? plainSystemError(stored) : null;
    return because
      ? `The export failed: ${because.replace(/\.$/, '')}. Nothing was exported; fix that or choose another destination, then export again.`
      : 'The export failed before writing any file.';
  }
  return `${plural(view.filesTotal, 'recording', 'recordings')} → ${plural(
    view.filesDone,
    'file',
    'files',
  )} exported${failed ? `, ${failed} failed` : ''}.`;
}

/** Past and running exports, live through `exportProgress`. */
export class ExportsState {
  list = $state.raw<ExportView[]>([]);
  loaded = $state(false);
  error = $state<string | null>(null);
  /** 0..1 per running export id. */
  fractions = $state.raw<Record<number, number>>({});
  actionErrors = $state.raw<Record<number, string>>({});
  /** The folder the last start found missing (the dialog offers to create it), or null. */
  missingFolder = $state<string | null>(null);

  // Plain bookkeeping for notifications, never rendered.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private startedAt = new Map<number, number>();

  constructor(
    private readonly api: ExportsApi,
    private readonly notify: Notifier = systemNotifier,
    private readonly now: () => number = Date.now,
  ) {}

  byId(id: number | null): ExportView | undefined {
    return this.list.find((view) => view.id === id);
  }

  connect(): () => void {
    return this.api.onExportProgress((progress) => this.applyProgress(progress));
  }

  load(): Promise<void> {
    return loadInto(
      this,
      () => this.api.exportsList({}),
      (list) => (this.list = list),
    );
  }

  /** Starts an export; returns it, or the error in words. */
  async start(args: RequestArgs<'exportStart'>): Promise<ExportView | string> {
    const result = await call(() => this.api.exportStart(args));
    this.missingFolder =
      !result.ok && result.code === 'not_found' && args.createFolder === false
        ? args.destination.path
        : null;
    if (!result.ok) return describeFailure(result);
    this.startedAt.set(result.value.id, this.now());
    this.upsert(result.value);
    // The export may have finished before this answer arrived.
    if (result.value.state !== 'running') this.finished(result.value);
    return result.value;
  }

  async cancel(id: number): Promise<void> {
    const result = await call(() => this.api.exportCancel({ exportId: id }));
    if (result.ok) this.upsert(result.value);
    else this.actionErrors = { ...this.actionErrors, [id]: describeFailure(result) };
  }

  async showInFolder(id: number): Promise<void> {
    const result = await call(() => this.api.showInFolder({ exportId: id }));
    if (!result.ok) this.actionErrors = { ...this.actionErrors, [id]: describeFailure(result) };
    else if (!result.value.shown) {
      // The browser bridge has no file manager to open: say where the files are instead.
      const where = this.byId(id)?.revealPath;
      this.actionErrors = {
        ...this.actionErrors,
        [id]: where ? `The files are in ${where}` : 'The folder could not be shown here.',
      };
    }
  }

  /** What an export would make, before it starts (the engine's own planner); or the error. */
  async plan(args: RequestArgs<'exportPlan'>): Promise<ExportPlanView | string> {
    const result = await call(() => this.api.exportPlan(args));
    return result.ok ? result.value : describeFailure(result);
  }

  /** An export in full (options, files, manifest); or the error in words. */
  async detail(id: number): Promise<ExportDetail | string> {
    const result = await call(() => this.api.exportDetail({ exportId: id }));
    return result.ok ? result.value : describeFailure(result);
  }

  /** "Retry with the same settings": the new export, or the error in words. */
  async retry(id: number): Promise<ExportView | string> {
    const result = await call(() => this.api.exportRetry({ exportId: id }));
    if (!result.ok) return describeFailure(result);
    this.startedAt.set(result.value.id, this.now());
    this.upsert(result.value);
    if (result.value.state !== 'running') this.finished(result.value);
    return result.value;
  }

  /** "Verify this export": its files read again; the report, or the error in words. */
  async check(id: number): Promise<ExportVerifyReport | string> {
    const result = await call(() => this.api.exportCheck({ exportId: id }));
    return result.ok ? result.value : describeFailure(result);
  }

  applyProgress({ export: view, fraction }: ExportProgress): void {
    const wasRunning = this.byId(view.id)?.state === 'running';
    this.fractions = { ...this.fractions, [view.id]: fraction };
    this.upsert(view);
    if (view.state !== 'running' && (wasRunning || this.startedAt.has(view.id))) {
      this.finished(view);
    }
  }

  private finished(view: ExportView): void {
    const started = this.startedAt.get(view.id);
    this.startedAt.delete(view.id);
    if (started !== undefined && this.now() - started >= NOTIFY_AFTER_MS) {
      this.notify('Recvault export finished', exportSummary(view));
    }
  }

  private upsert(view: ExportView): void {
    this.list = upsertById(this.list, view, 'first');
  }
}
