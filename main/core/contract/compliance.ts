// Legal holds, retention and disposal, and schedules as they cross the contract (issue 14 B).
// Zod only (no node:*), so the renderer can import it.
import { z } from 'zod';
import type { ProviderName } from './vocabulary.ts';
import type { KeepUnit } from './vocabulary.ts';

/** How long a rule keeps recordings: N days or years after the recording date, or forever. */
export type Keep = { forever: true } | { forever: false; count: number; unit: KeepUnit };

const KEEP_TEXT = /^(\d{1,5})\s*(d|y)$/i;

/** `90d`, `7y`, `forever` as a Keep; null when the text is none of these. */
export function parseKeep(text: string): Keep | null {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'forever') return { forever: true };
  const match = KEEP_TEXT.exec(trimmed);
  if (!match) return null;
  const count = Number(match[1]);
  if (count < 1 || count > (match[2] === 'y' ? 200 : 73_000)) return null;
  return { forever: false, count, unit: match[2] === 'y' ? 'years' : 'days' };
}

/** A Keep as a person reads it: "forever", "90 days", "1 year". */
export function keepLabel(keep: Keep): string {
  if (keep.forever) return 'forever';
  const unit = keep.count === 1 ? keep.unit.slice(0, -1) : keep.unit;
  return `${keep.count} ${unit}`;
}

export const keepSchema = z
  .string()
  .max(20)
  .refine((text) => parseKeep(text) !== null, 'keep takes 90d, 7y or forever');

/** HH:MM on a 24-hour clock. */
export const dailyTimeSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time such as 02:30 (24-hour clock)');

export interface HoldView {
  id: number;
  name: string;
  reference: string;
  description: string;
  createdBy: string;
  createdAt: string;
  releasedAt: string | null;
  releasedBy: string | null;
  releaseReason: string | null;
  /** Recordings on the matter. */
  recordings: number;
}

export interface HoldAddResult {
  hold: HoldView;
  /** Newly held by this request. */
  added: number;
  /** Already on the matter. */
  alreadyHeld: number;
}

export interface RetentionRuleView {
  /** null: the global rule, for accounts without their own. */
  accountId: number | null;
  accountName: string | null;
  keep: Keep;
  label: string;
  updatedBy: string;
  updatedAt: string;
}

export interface DisposalItem {
  recordingId: number;
  accountName: string;
  provider: ProviderName;
  remoteId: string;
  recordedAt: string;
  size: number;
  localPath: string;
  /** The rule that makes it eligible, as a person reads it. */
  rule: string;
  /** Live matters holding it (a held recording is listed as kept, never disposed of). */
  holds: string[];
  /**
   * Kept because the team vault holds it under COMPLIANCE retention until this date (ISO 8601):
   * the store would refuse the delete, so the queue keeps it back.
   */
  vaultRetainUntil?: string;
}

export interface DisposalPreview {
  /** Checked against this moment. */
  asOf: string;
  eligible: DisposalItem[];
  eligibleBytes: number;
  /** Past their retention but on a legal hold: kept. */
  held: DisposalItem[];
}

export interface DisposalResult {
  disposed: DisposalItem[];
  disposedBytes: number;
  /** Eligible in the preview but no longer (held or changed meanwhile): kept. */
  kept: DisposalItem[];
  /** Files that could not be removed (the index still has them as archived). */
  failed: { recordingId: number; reason: string }[];
}

export interface ScheduleView {
  accountId: number;
  accountName: string;
  provider: ProviderName;
  everyHours: number | null;
  dailyAt: string | null;
  windowDays: number;
  watchFolder: string | null;
  enabled: boolean;
  lastRunAt: string | null;
  lastJobId: number | null;
  lastResult: string | null;
  lastError: string | null;
  nextRunAt: string | null;
}

export interface ScheduleEntries {
  /** The command each entry runs (argv). */
  command: string[];
  /** File names to install them under: `<unit>.service` and `.timer`, `<label>.plist`. */
  systemdUnit: string;
  launchdLabel: string;
  crontab: string;
  systemdService: string;
  systemdTimer: string;
  launchdPlist: string;
  schtasks: string[];
}
