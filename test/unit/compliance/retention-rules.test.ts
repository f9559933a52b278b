import { describe, expect, it } from 'vitest';
import { keepLabel, parseKeep } from '../../../main/core/contract/compliance.ts';
import {
  effectiveRule,
  keepOf,
  retentionCutoff,
} from '../../../main/core/compliance/retention-rules.ts';
import type { RetentionRuleRow } from '../../../main/core/db/retention.ts';
import { nextDailyAfter, nextRunAt, rollingWindow } from '../../../main/core/schedule/next-run.ts';

const rule = (accountId: number | null, keepCount: number | null): RetentionRuleRow => ({
  id: accountId ?? 0,
  accountId,
  keepCount,
  keepUnit: keepCount === null ? null : 'days',
  updatedBy: 'cli',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('retention rules', () => {
  it('--keep takes days, years or forever, and nothing else', () => {
    expect(parseKeep('90d')).toEqual({ forever: false, count: 90, unit: 'days' });
    expect(parseKeep(' 7Y ')).toEqual({ forever: false, count: 7, unit: 'years' });
    expect(parseKeep('forever')).toEqual({ forever: true });
    for (const bad of ['', '0d', '7w', '90', 'd', '-1y', '1.5y', '999y', 'always']) {
      expect(parseKeep(bad), bad).toBeNull();
    }
    expect(keepLabel(parseKeep('1y')!)).toBe('1 year');
    expect(keepLabel(parseKeep('90d')!)).toBe('90 days');
  });

  it('the cutoff: N days back, calendar years back, none for forever', () => {
    const now = new Date('2033-03-01T12:00:00.000Z');
    expect(retentionCutoff(parseKeep('7y')!, now)?.toISOString()).toBe('2026-03-01T12:00:00.000Z');
    expect(retentionCutoff(parseKeep('90d')!, now)?.toISOString()).toBe('2032-12-01T12:00:00.000Z');
    expect(retentionCutoff(parseKeep('forever')!, now)).toBeNull();
  });

  it("an account's own rule wins over the global one; no rule at all keeps forever", () => {
    const rules = [rule(null, 365), rule(2, 30)];
    expect(effectiveRule(rules, 2)?.keepCount).toBe(30);
    expect(effectiveRule(rules, 3)?.keepCount).toBe(365);
    expect(effectiveRule([rule(2, 30)], 3)).toBeNull();
    expect(keepOf(rule(1, null))).toEqual({ forever: true });
  });
});

describe('schedule timing', () => {
  const base = { enabled: true, updatedAt: '2024-03-10T12:00:00.000Z' };
  it('every N hours: at once when never run, then N hours after the last run; disabled: never', () => {
    expect(
      nextRunAt({ ...base, everyHours: 6, dailyAt: null, lastRunAt: null })?.toISOString(),
    ).toBe('2024-03-10T12:00:00.000Z');
    expect(
      nextRunAt({
        ...base,
        everyHours: 6,
        dailyAt: null,
        lastRunAt: '2024-03-10T13:00:00.000Z',
      })?.toISOString(),
    ).toBe('2024-03-10T19:00:00.000Z');
    expect(
      nextRunAt({ ...base, enabled: false, everyHours: 6, dailyAt: null, lastRunAt: null }),
    ).toBeNull();
  });

  it('daily: the first HH:MM (local) strictly after the last run', () => {
    const after = new Date(2024, 2, 10, 2, 30, 0, 0);
    expect(nextDailyAfter('02:30', after).getTime()).toBe(new Date(2024, 2, 11, 2, 30).getTime());
    expect(nextDailyAfter('02:30', new Date(2024, 2, 10, 1, 0)).getTime()).toBe(
      new Date(2024, 2, 10, 2, 30).getTime(),
    );
  });

  it('the rolling window is the last N days by date, through today', () => {
    expect(rollingWindow(3, new Date('2024-03-10T12:00:00Z'))).toEqual({
      from: '2024-03-07',
      to: '2024-03-10',
    });
  });
});
