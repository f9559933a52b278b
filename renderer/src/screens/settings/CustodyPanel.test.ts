import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { CustodyStatus } from '../../../../main/core/contract/custody.ts';
import { createFakeApi } from '../../test-support/fake-api.ts';
import CustodyPanel from './CustodyPanel.svelte';

afterEach(cleanup);

const FINGERPRINT = 'ab'.repeat(32);
const STATUS: CustodyStatus = {
  key: {
    kind: 'keychain',
    location: '/d/signing-key.sealed',
    publicKeyPem: 'PEM',
    fingerprint: FINGERPRINT,
  },
  settings: { tsaUrl: null, tsaCaFile: null, verifyEveryDays: 7 },
  lastCheckpoint: {
    seq: 12,
    createdAt: '2026-12-01T10:00:00.000Z',
    reason: 'sync',
    auditSeq: 340,
    auditHash: 'cd'.repeat(32),
    merkleRoot: 'ef'.repeat(32),
    fileCount: 118,
    keyFingerprint: FINGERPRINT,
    file: '/d/checkpoints/000012-20261201T100000Z.json',
    timestamp: { state: 'pending', tsaUrl: 'http://tsa', time: null, error: 'HTTP 503' },
  },
  lastCheckpointError: null,
  lastVerifyAt: null,
  nextScheduledVerifyAt: null,
};

describe('CustodyPanel', () => {
  it('shows the key fingerprint and the last checkpoint, and saves the TSA', async () => {
    const api = createFakeApi();
    api.custodyStatus.mockResolvedValue({ ok: true, value: STATUS });
    api.custodySettingsUpdate.mockResolvedValue({
      ok: true,
      value: { ...STATUS, settings: { ...STATUS.settings, tsaUrl: 'https://tsa.example/tsr' } },
    });
    render(CustodyPanel, { props: { api } });

    expect((await screen.findByTestId('key-fingerprint')).textContent).toContain(FINGERPRINT);
    const last = screen.getByTestId('last-checkpoint');
    expect(last.textContent).toContain('No. 12');
    expect(last.textContent).toContain('118 files, audit entry 340');
    expect(last.textContent).toContain('timestamp pending');

    await fireEvent.input(screen.getByLabelText(/Time-stamping authority/), {
      target: { value: 'https://tsa.example/tsr' },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Save custody settings' }));
    await waitFor(() =>
      expect(api.custodySettingsUpdate).toHaveBeenCalledWith({
        tsaUrl: 'https://tsa.example/tsr',
        tsaCaFile: null,
        verifyEveryDays: 7,
      }),
    );
    expect(await screen.findByText('Custody settings saved.')).toBeTruthy();
  });

  it('signs a checkpoint on demand and shows the new one', async () => {
    const api = createFakeApi();
    api.custodyStatus.mockResolvedValueOnce({
      ok: true,
      value: { ...STATUS, lastCheckpoint: null },
    });
    api.custodyStatus.mockResolvedValue({ ok: true, value: STATUS });
    render(CustodyPanel, { props: { api } });
    expect(await screen.findByText('None yet.')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Sign a checkpoint now' }));
    expect(api.checkpointCreate).toHaveBeenCalledWith({});
    await waitFor(() =>
      expect(screen.getByTestId('last-checkpoint').textContent).toContain('No. 12'),
    );
  });
});
