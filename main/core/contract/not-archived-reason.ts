// Why a recording is not in the archive, in the words the export's skip list, the completeness
// report and the CLI print. Plain TS, so the renderer shows the same words.
import type { RecordingState } from './vocabulary.ts';

export function notArchivedReason(state: RecordingState, lastError: string | null): string {
  const detail = lastError ? `: ${lastError}` : '';
  switch (state) {
    case 'archived':
      return 'archived';
    case 'discovered':
    case 'downloading':
      return `not downloaded yet${detail}`;
    case 'pending':
      return `waiting for the provider${detail}`;
    case 'failed':
      return `failed${detail}`;
    case 'gone':
      return `deleted by the provider before it was archived${detail}`;
    case 'skipped':
      return 'excluded by the user';
    case 'no_recording':
      return 'no recording: the provider has no media for this call or session';
    default:
      return `${String(state)}${detail}`;
  }
}
