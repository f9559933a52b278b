import type { EngineOptions } from '../core/engine.ts';

/** How the command line opens the engine: its own choices, where it differs from the app. */
export const CLI_ENGINE_OPTIONS = {
  // A run ends; recordings the provider is still preparing wait for the next scheduled run…
  retryPendingLater: false,
  // …after this run has waited for them a while itself (--max-wait).
  maxInRunWaitMs: 120_000,
  // Short runs: no delayed refresh of the index statistics.
  statisticsRefreshMs: null,
  // Accounts whose secret is an environment variable, reindex, waiting for a job or export.
  commandLineChannels: true,
  // Never a silent new signing key: `recvault key init` makes it (issue 12)…
  createSigningKeyOnFirstUse: false,
  // …and a run ends: no weekly verification timer.
  scheduledVerify: false,
} as const satisfies Partial<EngineOptions>;
