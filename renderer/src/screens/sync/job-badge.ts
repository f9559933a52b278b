import type { JobOutcome } from '../../state/job-outcome.ts';
import { OUTCOME_WORDS } from '../../state/job-outcome.ts';
import type { BadgeLook } from '../../components/badge-look.ts';

// The same tones and shapes as the library's recording states (screens/library/state-badge.ts).
const LOOKS: Record<JobOutcome, Omit<BadgeLook, 'label'>> = {
  queued: { tone: 'neutral', icon: '○' },
  running: { tone: 'busy', icon: '↓' },
  paused: { tone: 'warn', icon: '‖' },
  cancelled: { tone: 'neutral', icon: '⊘' },
  failed: { tone: 'danger', icon: '✗' },
  waiting: { tone: 'warn', icon: '↻' },
  problems: { tone: 'danger', icon: '⚠' },
  done: { tone: 'ok', icon: '✓' },
};

/** A job's state badge: its outcome in the user's words, with a tone and an icon. */
export function jobBadge(outcome: JobOutcome): BadgeLook {
  return { ...LOOKS[outcome], label: OUTCOME_WORDS[outcome] };
}
