import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ComplianceReport } from '../../../../main/core/contract/report.ts';
import ReportScreen from './ReportScreen.svelte';

afterEach(cleanup);

const figures = (found: number, noRecording: number) => ({
  found,
  archived: found - noRecording - 1,
  alreadyArchived: 0,
  waiting: 0,
  queued: 0,
  failed: 1,
  deleted: 0,
  noRecording,
  excluded: 0,
  atRisk: 1,
});

const REPORT: ComplianceReport = {
  generatedAt: '2026-12-01T12:00:00.000Z',
  period: { field: 'recorded', from: '2026-11-01', to: '2026-11-30' },
  withinDays: 7,
  archivedSince: null,
  accounts: [
    {
      accountId: 1,
      accountName: 'Calls',
      provider: 'envoy',
      figures: figures(9, 2),
      waitingWords: [],
    },
  ],
  totals: figures(9, 2),
  failureReasons: [{ reason: 'HTTP 500 from storage', count: 1 }],
  failed: [],
  deleted: [],
  atRisk: [
    {
      recordingId: 5,
      accountName: 'Calls',
      remoteId: 'call_at_risk',
      recordedAt: null,
      expiresAt: '2026-12-03T00:00:00.000Z',
      providerStatus: 'FAILED',
      reason: 'failed: HTTP 500 from storage',
    },
  ],
  itemLimit: 10_000,
};

describe('ReportScreen', () => {
  it('shows the figures per account, no recording apart from failed, and prints', async () => {
    const complianceReport = vi.fn().mockResolvedValue({ ok: true, value: REPORT });
    const print = vi.fn();
    render(ReportScreen, { api: { complianceReport }, accounts: [], print });
    const sheet = await screen.findByTestId('report-sheet');
    expect(complianceReport).toHaveBeenCalledWith({
      accountIds: [],
      from: null,
      to: null,
      withinDays: 7,
    });
    const row = within(sheet).getAllByRole('row', { name: /^Calls/ })[0]!;
    expect(within(row).getByText('2', { selector: '[data-figure="noRecording"]' })).toBeTruthy();
    expect(within(row).getByText('1', { selector: '[data-figure="failed"]' })).toBeTruthy();
    expect(within(sheet).getByText(/1 × HTTP 500 from storage/)).toBeTruthy();
    expect(within(sheet).getByText('call_at_risk')).toBeTruthy();
    expect(sheet.textContent).toMatch(/Recorded from 2026-11-01 through 2026-11-30/);
    await fireEvent.click(screen.getByRole('button', { name: 'Print…' }));
    expect(print).toHaveBeenCalledTimes(1);
  });

  it('asks again for the chosen period and shows a refusal', async () => {
    const complianceReport = vi
      .fn()
      .mockResolvedValueOnce({ ok: true, value: REPORT })
      .mockResolvedValueOnce({
        ok: false,
        code: 'invalid_arguments',
        message: 'The period ends before it starts.',
      });
    render(ReportScreen, { api: { complianceReport }, accounts: [], print: vi.fn() });
    await screen.findByTestId('report-sheet');
    await fireEvent.input(screen.getByLabelText('Recorded from'), {
      target: { value: '2026-11-30' },
    });
    await fireEvent.input(screen.getByLabelText('through'), { target: { value: '2026-11-01' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Show' }));
    expect(await screen.findByText(/ends before it starts/)).toBeTruthy();
    expect(complianceReport).toHaveBeenLastCalledWith({
      accountIds: [],
      from: '2026-11-30',
      to: '2026-11-01',
      withinDays: 7,
    });
  });
});
