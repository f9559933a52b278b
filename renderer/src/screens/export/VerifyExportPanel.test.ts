import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExportVerifyReport } from '../../../../main/core/contract/export-verification.ts';
import { createFakeApi } from '../../test-support/fake-api.ts';
import VerifyExportPanel from './VerifyExportPanel.svelte';

afterEach(cleanup);

const REPORT: ExportVerifyReport = {
  ok: false,
  bag: '/tmp/legal',
  payloadFiles: 4,
  keyFingerprint: 'ab'.repeat(32),
  head: { seq: 7, hash: 'cd'.repeat(32) },
  findings: [
    { check: 'bagit', ok: true, subject: 'bagit.txt', message: 'BagIt 1.0, tag files in UTF-8.' },
    {
      check: 'payload',
      ok: false,
      subject: 'data/call.wav',
      message: 'changed: SHA-256 1…, the manifest says 2….',
    },
  ],
};

describe('Verify an export…', () => {
  it('sends the package and the key, then shows the verdict with the failed finding first', async () => {
    const api = createFakeApi();
    api.exportVerify.mockResolvedValue({ ok: true, value: REPORT });
    render(VerifyExportPanel, { props: { api, nativeDialogs: false } });
    await fireEvent.click(screen.getByRole('button', { name: 'Verify' }));
    expect(api.exportVerify).not.toHaveBeenCalled();
    expect(screen.getByText('Give the package: the bag’s folder, or the .zip.')).toBeTruthy();
    await fireEvent.input(screen.getByLabelText('Package (folder or .zip)'), {
      target: { value: '/tmp/legal.zip' },
    });
    await fireEvent.input(screen.getByLabelText('Sender’s public key (optional, PEM)'), {
      target: { value: '/tmp/key.pem' },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Verify' }));
    expect(api.exportVerify).toHaveBeenCalledWith({
      path: '/tmp/legal.zip',
      publicKeyFile: '/tmp/key.pem',
    });
    expect((await screen.findByTestId('verify-export-verdict')).textContent).toContain(
      'NOT VERIFIED: 1 finding(s) failed.',
    );
    const items = screen.getAllByRole('listitem').map((li) => li.textContent ?? '');
    expect(items[0]).toContain('FAILED payload · data/call.wav');
    expect(items[1]).toContain('OK bagit');
  });

  it('a typed path with nothing there is said at the field, with no verdict', async () => {
    const api = createFakeApi();
    api.exportVerify.mockResolvedValue({
      ok: true,
      value: {
        ...REPORT,
        bag: '/tmp/nope.zip',
        payloadFiles: 0,
        keyFingerprint: null,
        head: null,
        findings: [
          { check: 'package', ok: false, subject: null, message: '/tmp/nope.zip does not exist.' },
        ],
      },
    });
    render(VerifyExportPanel, { props: { api, nativeDialogs: false } });
    const field = screen.getByLabelText('Package (folder or .zip)');
    await fireEvent.input(field, { target: { value: '/tmp/nope.zip' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Verify' }));
    expect(
      await screen.findByText(
        '/tmp/nope.zip does not exist. Check the path: the bag’s folder, or its .zip.',
      ),
    ).toBeTruthy();
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(screen.queryByTestId('verify-export-verdict')).toBeNull();
    expect(screen.queryByText(/NOT VERIFIED/)).toBeNull();
  });
});
