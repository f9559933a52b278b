// An audit entry as a sentence a compliance officer reads aloud: what happened, from where,
// when and by whom ("Archived from Kallglot Main by job 12 on 3 Mar 2026, 10:15 by alice").
import { PROVIDER_CAPABILITIES } from '../../../../main/core/contract/providers.ts';

const ACTION_WORDS: Record<string, string> = {
  'recording.archived': 'Archived',
  'recording.gone': 'Found deleted at the provider',
  'recording.failed': 'The provider failed to give it',
  'recording.no_recording': 'The provider has no recording',
  'recording.notes_changed': 'Notes changed',
  'recording.tags_changed': 'Tags changed',
  'recording.integrity_failed': 'Integrity check failed',
  'recording.disposed': 'Disposed of under retention',
  'recording.renamed': 'File renamed to its readable name',
  'recording.copied_from_vault': 'Offline copy made from the team vault',
};

// Rows written before the audit log named the OS user keep their role words; say what they meant.
const OLD_ACTORS: Record<string, string> = {
  user: 'the person at the app (before user names were recorded)',
  cli: 'the command line (before user names were recorded)',
  system: 'Recvault itself',
};

function providerWord(value: unknown): string {
  return typeof value === 'string' && value in PROVIDER_CAPABILITIES
    ? PROVIDER_CAPABILITIES[value as keyof typeof PROVIDER_CAPABILITIES].label
    : '';
}

/** "Archived from Kallglot Main by job 12", "Tags changed", or the action itself if unknown. */
export function auditWhat(action: string, details: Record<string, unknown>): string {
  const words = ACTION_WORDS[action] ?? action;
  if (action !== 'recording.archived') return words;
  const account = typeof details.account === 'string' ? details.account : '';
  const source = [providerWord(details.provider), account].filter(Boolean).join(' ');
  const job = typeof details.job === 'number' ? ` by job ${details.job}` : '';
  return `${words}${source ? ` from ${source}` : ''}${job}`;
}

/** Who: the OS user name as recorded, or what an older version's role word meant. */
export function auditWho(actor: string): string {
  return OLD_ACTORS[actor] ?? actor;
}
