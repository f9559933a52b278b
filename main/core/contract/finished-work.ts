// Which engine events mean that a sync, an export or a verify has just ended, in one sentence
// for a toast or a system notification. The renderer and the Electron shell both watch the same
// events; this keeps what they say (and when) the same.
import type { EventChannel } from './channels.ts';
import type { EventPayloads } from './events.ts';
import { jobOutcome, OUTCOME_WORDS } from './job-outcome.ts';
import type { ExportProgress, JobProgress } from './types.ts';

export type WorkKind = 'sync' | 'export' | 'verify';

export interface FinishedWork {
  kind: WorkKind;
  /** False when the user should look: failures, problems, altered files. */
  ok: boolean;
  title: string;
  body: string;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * Feed it every event; it answers the work that ended with this one, once per job or export.
 * A cancel is the user's own doing and is not announced.
 */
export class FinishWatcher {
  readonly #announced = new Set<string>();

  see<E extends EventChannel>(channel: E, payload: EventPayloads[E]): FinishedWork | null {
    if (channel === 'jobProgress') return this.#job(payload as JobProgress);
    if (channel === 'exportProgress') return this.#export(payload as ExportProgress);
    if (channel === 'verifyFinished') {
      const { checked, problems } = payload as EventPayloads['verifyFinished'];
      return {
        kind: 'verify',
        ok: problems === 0,
        title: problems === 0 ? 'Verify finished' : 'Verify found problems',
        body:
          problems === 0
            ? `All ${plural(checked, 'archived file')} match their SHA-256.`
            : `${plural(problems, 'problem')} in ${plural(checked, 'archived file')}: open Settings › Verify the archive for the files.`,
      };
    }
    return null;
  }

  #once(key: string): boolean {
    if (this.#announced.has(key)) return false;
    this.#announced.add(key);
    return true;
  }

  #job({ job }: JobProgress): FinishedWork | null {
    if (job.state !== 'done' && job.state !== 'failed') return null;
    if (!this.#once(`job:${job.id}`)) return null;
    const outcome = jobOutcome(job);
    const t = job.totals;
    const parts = [`${t.archived} archived`];
    if (t.skipped > 0) parts.push(`${t.skipped} already archived`);
    if (t.failed > 0) parts.push(`${t.failed} failed`);
    if (t.gone > 0) parts.push(`${t.gone} gone at the provider`);
    if (t.pending > 0) parts.push(`${t.pending} waiting for the provider`);
    return {
      kind: 'sync',
      ok: outcome === 'done' || outcome === 'waiting',
      title: `Sync job ${job.id} (${job.accountName}): ${OUTCOME_WORDS[outcome]}`,
      body:
        outcome === 'failed' && job.error
          ? job.error
          : `${parts.join(', ')} of ${plural(t.discovered, 'recording')} found.`,
    };
  }

  #export({ export: view }: ExportProgress): FinishedWork | null {
    if (view.state !== 'done' && view.state !== 'failed') return null;
    if (!this.#once(`export:${view.id}`)) return null;
    if (view.state === 'failed') {
      return {
        kind: 'export',
        ok: false,
        title: `Export ${view.id} failed`,
        body: view.error ?? `See Exports for what failed in ${view.destination}.`,
      };
    }
    const failed = view.failures.length;
    return {
      kind: 'export',
      ok: failed === 0,
      title:
        failed === 0 ? `Export ${view.id} finished` : `Export ${view.id} finished with problems`,
      body: `${plural(view.filesDone, 'file')} written to ${view.destination}${
        failed > 0 ? `; ${plural(failed, 'recording')} could not be exported` : ''
      }.`,
    };
  }
}
