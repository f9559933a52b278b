// The audit actions the engine writes. The log stores free strings (older or newer versions
// may write others); this list is what this version writes and what the UI knows how to label.
export const AUDIT_ACTIONS = [
  'account.added',
  'account.updated',
  'account.removed',
  'account.tested',
  'sync.started',
  'sync.finished',
  'sync.cancelled',
  'recording.archived',
  'recording.gone',
  'recording.failed',
  'recording.no_recording',
  'recording.notes_changed',
  'recording.tags_changed',
  'recording.integrity_failed',
  'recording.copied_from_vault',
  'export.started',
  'export.completed',
  'export.failed',
  'export.verified',
  'verify.run',
  'audit.verified',
  'index.rebuilt',
  'archive.moved',
  'archive.renamed',
  'recording.renamed',
  'hold.created',
  'hold.recordings_added',
  'hold.released',
  'retention.set',
  'recording.disposed',
  'disposal.run',
  'schedule.set',
  'schedule.removed',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * Who caused an entry: the operating-system user who asked (audit/os-user.ts, for the app, the
 * bridge and the CLI alike), or `system` for what the engine does by itself. Rows written by
 * older versions say `user` or `cli`; they keep what they say (the words are hashed).
 */
export type AuditActor = string;
