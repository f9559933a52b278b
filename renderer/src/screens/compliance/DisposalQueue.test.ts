import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { DisposalItem, DisposalPreview } from '../../../../main/core/contract/compliance.ts';
import { createFakeApi } from '../../test-support/fake-api.ts';
import DisposalQueue from './DisposalQueue.svelte';

afterEach(cleanup);

const item = (recordingId: number, holds: string[] = []): DisposalItem => ({
  recordingId,
  accountName: 'Prod',
  provider: 'envoy',
  remoteId: `call_${recordingId}`,
  recordedAt: '2019-01-02T03:04:05.000Z',
  size: 1000,
  localPath: `envoy/call_${recordingId}.m4a`,
  rule: 'global: keep 7 years',
  holds,
});

const PREVIEW: DisposalPreview = {
  asOf: '2026-12-01T00:00:00.000Z',
  eligible: [item(1), item(2)],
  eligibleBytes: 2000,
  held: [item(3, ['Smith v Acme'])],
};

function setup() {
  const api = createFakeApi();
  api.disposalPreview.mockResolvedValue({ ok: true, value: PREVIEW });
  api.disposalConfirm.mockResolvedValue({
    ok: true,
    value: { disposed: PREVIEW.eligible, disposedBytes: 2000, kept: [], failed: [] },
  });
  render(DisposalQueue, { props: { api } });
  return api;
}

describe('DisposalQueue', () => {
  it('previews the queue, names held recordings, and disposes only after a confirmation naming the count', async () => {
    const api = setup();
    await waitFor(() => expect(screen.getAllByTestId('disposal-item')).toHaveLength(2));
    const text = (id: string) => screen.getByTestId(id).textContent!.replace(/\s+/g, ' ');
    expect(text('disposal-summary')).toContain('2 recordings eligible');
    expect(screen.getByText(/call_3 \(Prod\): Smith v Acme/)).toBeTruthy();

    await fireEvent.click(screen.getByRole('button', { name: 'Dispose of 2 recordings…' }));
    expect(screen.getByRole('heading', { name: 'Dispose of 2 recordings?' })).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(api.disposalConfirm).not.toHaveBeenCalled();

    await fireEvent.click(screen.getByRole('button', { name: 'Dispose of 2 recordings…' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Dispose of 2 recordings' }));
    expect(api.disposalConfirm).toHaveBeenCalledWith({ count: 2 });
    await waitFor(() => expect(text('disposal-result')).toContain('Disposed of 2 recordings'));
  });

  it('says why when the queue changed since the preview', async () => {
    const api = setup();
    api.disposalConfirm.mockResolvedValue({
      ok: false,
      code: 'conflict',
      message: 'The disposal queue now holds 3 recording(s), not 2: review it again.',
    });
    await waitFor(() => expect(screen.getAllByTestId('disposal-item')).toHaveLength(2));
    await fireEvent.click(screen.getByRole('button', { name: 'Dispose of 2 recordings…' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Dispose of 2 recordings' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('review it again'));
  });

  it('says which recordings the vault keeps under compliance retention, and until when', async () => {
    const api = createFakeApi();
    const locked: DisposalItem = {
      ...item(4, ['the team vault keeps it under compliance retention until 2032-06-30']),
      vaultRetainUntil: '2032-06-30T12:00:00.000Z',
    };
    api.disposalPreview.mockResolvedValue({
      ok: true,
      value: { ...PREVIEW, held: [...PREVIEW.held, locked] },
    });
    render(DisposalQueue, { props: { api } });
    await waitFor(() => expect(screen.getAllByTestId('disposal-item')).toHaveLength(2));
    const summary = screen.getByTestId('disposal-summary').textContent!.replace(/\s+/g, ' ');
    expect(summary).toContain('1 kept by a legal hold; 1 kept by the vault’s compliance retention');
    const kept = screen.getByTestId('disposal-vault-kept').textContent!.replace(/\s+/g, ' ');
    expect(kept).toContain('call_4 (Prod): kept by the vault’s compliance retention until');
    expect(kept).toContain('2032');
    // Not listed as a legal hold.
    expect(screen.queryByText(/call_4 \(Prod\): the team vault/)).toBeNull();
  });
});
