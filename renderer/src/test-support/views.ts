import type { ExportView, JobView } from '../../../main/core/contract/types.ts';

/** A sync job as jobsList and jobProgress give it: 4 found, running. */
export function jobView(id: number, overrides: Partial<JobView> = {}): JobView {
  return {
    id,
    accountId: 1,
    accountName: 'Support',
    provider: 'kallglot',
    state: 'running',
    label: `Job ${id}`,
    createdAt: '2025-01-01T00:00:00Z',
    startedAt: null,
    finishedAt: null,
    error: null,
    nextRetryAt: null,
    totals: {
      discovered: 4,
      archived: 1,
      skipped: 0,
      pending: 3,
      failed: 0,
      gone: 0,
      noRecording: 0,
      bytesDone: 100,
      bytesTotal: 400,
      throughput: 50,
      etaSeconds: 6,
    },
    ...overrides,
  };
}

/** Job totals once every recording it found is archived. */
export const allArchived = (discovered: number): Partial<JobView> => ({
  state: 'done',
  totals: { ...jobView(0).totals, discovered, archived: discovered, pending: 0, throughput: 0 },
});

export function exportView(id: number, overrides: Partial<ExportView> = {}): ExportView {
  return {
    id,
    state: 'running',
    destination: '/exports/case-12',
    createdAt: '2025-01-01T00:00:00Z',
    filesDone: 0,
    filesTotal: 3,
    failures: [],
    revealPath: null,
    ...overrides,
  };
}
