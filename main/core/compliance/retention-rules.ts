import type { Keep } from '../contract/compliance.ts';
import { keepLabel } from '../contract/compliance.ts';
import type { RetentionRuleRow } from '../db/retention.ts';

/** A stored rule as a Keep. */
export function keepOf(row: Pick<RetentionRuleRow, 'keepCount' | 'keepUnit'>): Keep {
  return row.keepCount === null || row.keepUnit === null
    ? { forever: true }
    : { forever: false, count: row.keepCount, unit: row.keepUnit };
}

/**
 * The latest recording date a rule lets go at `now`: recordings dated strictly before it have
 * been kept long enough. Years are calendar years (7y on 2033-03-01 → 2026-03-01); null:
 * forever, nothing is ever eligible.
 */
export function retentionCutoff(keep: Keep, now: Date): Date | null {
  if (keep.forever) return null;
  const cutoff = new Date(now.getTime());
  if (keep.unit === 'years') cutoff.setUTCFullYear(cutoff.getUTCFullYear() - keep.count);
  else cutoff.setTime(cutoff.getTime() - keep.count * 86_400_000);
  return cutoff;
}

/** The rule an account is under: its own, else the global one, else none (keep forever). */
export function effectiveRule(
  rules: readonly RetentionRuleRow[],
  accountId: number,
): RetentionRuleRow | null {
  return (
    rules.find((rule) => rule.accountId === accountId) ??
    rules.find((rule) => rule.accountId === null) ??
    null
  );
}

/** "global: keep 7 years", "account Prod: keep 90 days". */
export function ruleLabel(rule: RetentionRuleRow, accountName: string | null): string {
  const scope = rule.accountId === null ? 'global' : `account ${accountName ?? rule.accountId}`;
  return `${scope}: keep ${keepLabel(keepOf(rule))}`;
}
