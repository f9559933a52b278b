import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { AccountView } from '../../../../main/core/contract/types.ts';
import type { VaultStatus, VaultTestResult } from '../../../../main/core/contract/vault.ts';
import { createFakeApi, type FakeApi } from '../../test-support/fake-api.ts';
import VaultPanel from './VaultPanel.svelte';

afterEach(cleanup);

const NONE: VaultStatus = {
  target: null,
  queued: 0,
  vaulted: 0,
  failed: 0,
  lastUploadAt: null,
  busy: false,
  attaching: null,
  lastError: null,
  failures: [],
};

const SET: VaultStatus = {
  ...NONE,
  target: {
    kind: 's3',
    endpoint: 'http://127.0.0.1:7480',
    bucket: 'team',
    region: 'us-east-1',
    prefix: '',
    mode: 'compliance',
    retainDays: 2190,
    keys: { source: 'encrypted' },
    attached: false,
    addedAt: '2026-12-01T10:00:00.000Z',
  },
};

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const text = (id: string) => screen.getByTestId(id).textContent!.replace(/\s+/g, ' ').trim();

function setup(status: VaultStatus = NONE): FakeApi {
  const api = createFakeApi();
  api.vaultStatus.mockResolvedValue({ ok: true, value: status });
  return api;
}

async function fillForm(): Promise<void> {
  const field = (label: RegExp | string) => screen.getByLabelText(label);
  await fireEvent.input(field('Endpoint URL'), { target: { value: 'http://127.0.0.1:7480' } });
  await fireEvent.input(field('Bucket'), { target: { value: 'team' } });
  await fireEvent.input(field('Access key'), { target: { value: 'AKIATEST' } });
  await fireEvent.input(field('Secret key'), { target: { value: SECRET } });
}

describe('VaultPanel', () => {
  it('adds a vault with the keys sent once, then shows its status without them', async () => {
    const api = setup();
    api.vaultAdd.mockResolvedValue({ ok: true, value: { ...SET, queued: 6 } });
    const { container } = render(VaultPanel, { props: { api } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Add a vault…' }));
    await fillForm();
    await fireEvent.click(screen.getByRole('button', { name: 'Test and add vault' }));

    await waitFor(() =>
      expect(api.vaultAdd).toHaveBeenCalledWith({
        endpoint: 'http://127.0.0.1:7480',
        bucket: 'team',
        region: 'us-east-1',
        prefix: '',
        mode: 'compliance',
        retainDays: 2190,
        accessKey: 'AKIATEST',
        secretKey: SECRET,
        attach: false,
      }),
    );
    expect(await screen.findByTestId('vault-status')).toBeTruthy();
    expect(text('vault-counts')).toBe('0 in the vault, 6 queued, 0 failed');
    expect(text('vault-status')).toContain('sealed by this app’s secret store');
    expect(text('vault-last-upload')).toBe('Nothing uploaded yet');
    // Neither key is on the page once added.
    expect(container.innerHTML).not.toContain(SECRET);
    expect(container.innerHTML).not.toContain('AKIATEST');
  });

  it('shows the refusal of a bucket without Object Lock and clears the secret field', async () => {
    const api = setup();
    const reason =
      'The vault was not added: Bucket "plain" has no Object Lock, so the store would let anyone delete or overwrite the records before their time.';
    api.vaultAdd.mockResolvedValue({ ok: false, code: 'conflict', message: reason });
    render(VaultPanel, { props: { api } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Add a vault…' }));
    await fillForm();
    await fireEvent.click(screen.getByRole('button', { name: 'Test and add vault' }));
    expect((await screen.findByTestId('vault-error')).textContent).toBe(reason);
    // The form stays to correct the bucket; the secret must be typed again.
    await waitFor(() =>
      expect((screen.getByLabelText('Secret key') as HTMLInputElement).value).toBe(''),
    );
    expect((screen.getByLabelText('Access key') as HTMLInputElement).value).toBe('AKIATEST');
    expect(screen.queryByTestId('vault-status')).toBeNull();
  });

  it('lists each check of a test in words, the ones after a failure as not checked', async () => {
    const api = setup(SET);
    const result: VaultTestResult = {
      ok: false,
      checks: [
        { name: 'bucket', ok: true, detail: 'Bucket "team" exists and the keys can reach it.' },
        { name: 'objectLock', ok: true, detail: 'Object Lock is enabled.' },
        {
          name: 'versioning',
          ok: false,
          detail: 'Versioning is Suspended on "team"; it must be on.',
        },
      ],
    };
    api.vaultTest.mockResolvedValue({ ok: true, value: result });
    render(VaultPanel, { props: { api } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Test vault' }));
    await screen.findByTestId('vault-test');
    expect(text('vault-test-verdict')).toContain('NOT usable');
    const rows = screen.getAllByTestId('vault-check').map((row) => row.textContent!.trim());
    expect(rows).toHaveLength(6);
    expect(rows[0]).toMatch(/^Passed\s*Bucket exists/);
    expect(rows[2]).toMatch(/^Failed\s*Versioning on\s*Versioning is Suspended/);
    expect(rows[3]).toMatch(/^Not checked\s*Can write a locked object/);
    expect(rows[5]).toMatch(/^Not checked\s*Can set retention/);
  });

  it('follows the back-fill from vaultChanged events, with the last upload and error', async () => {
    const api = setup({ ...SET, queued: 8, vaulted: 2, busy: true });
    render(VaultPanel, { props: { api } });
    await waitFor(() => expect(text('vault-backfill')).toContain('2 of 10 objects in the vault'));
    expect(text('vault-backfill')).toContain('uploading now');
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('20');

    api.vaultStatus.mockResolvedValue({
      ok: true,
      value: {
        ...SET,
        vaulted: 9,
        failed: 1,
        lastUploadAt: '2026-12-01T11:00:00.000Z',
        lastError: '1 object(s) could not be vaulted: AccessDenied (HTTP 403)',
        failures: [{ item: 'media:4', reason: 'AccessDenied (HTTP 403)' }],
      },
    });
    api.emit('vaultChanged', {});
    await waitFor(() => expect(text('vault-counts')).toBe('9 in the vault, 0 queued, 1 failed'));
    expect(text('vault-backfill')).toContain('9 of 10 objects in the vault');
    expect(text('vault-last-upload')).not.toBe('Nothing uploaded yet');
    expect(text('vault-last-error')).toContain('AccessDenied');
    expect(screen.getByText(/1 object could not be vaulted/)).toBeTruthy();
  });

  it('opens a team vault and says how many recordings from how many accounts it indexed', async () => {
    const api = setup();
    const account = (id: number, archivedCount: number) =>
      ({ id, name: `A${id}`, archivedCount }) as unknown as AccountView;
    api.accountsList.mockResolvedValue({
      ok: true,
      value: [account(1, 2000), account(2, 300), account(3, 14), account(4, 0)],
    });
    let answer: (value: { ok: true; value: VaultStatus }) => void = () => undefined;
    api.vaultAdd.mockReturnValue(new Promise((resolve) => (answer = resolve)));
    render(VaultPanel, { props: { api } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Open a team vault…' }));
    await fillForm();
    await fireEvent.click(screen.getByRole('button', { name: 'Open this team vault' }));
    await waitFor(() =>
      expect(api.vaultAdd).toHaveBeenCalledWith(expect.objectContaining({ attach: true })),
    );
    // The app opens a team vault without copying its media (the channel's default).
    expect(api.vaultAdd.mock.calls[0]![0]).not.toHaveProperty('copyMedia', true);
    // While it indexes, the engine's events carry the progress.
    api.vaultStatus.mockResolvedValue({
      ok: true,
      value: { ...SET, busy: true, attaching: { copied: 1200, total: 2314, copyingMedia: false } },
    });
    api.emit('vaultChanged', {});
    await waitFor(() =>
      expect(text('vault-attach-progress')).toBe(
        'Indexing from the team vault: 1,200 of 2,314 recordings (the recordings stay in the vault)…',
      ),
    );
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('52');
    api.vaultStatus.mockResolvedValue({ ok: true, value: { ...SET, vaulted: 12 } });
    answer({ ok: true, value: { ...SET, vaulted: 12 } });
    await waitFor(() => expect(screen.queryByTestId('vault-attach-progress')).toBeNull());
    await screen.findByTestId('vault-attached');
    expect(text('vault-attached')).toBe(
      '2,314 recordings from 3 accounts indexed from the team vault.',
    );
  });

  it('moves focus to the first field when the form opens, and back to its button on Cancel', async () => {
    const api = setup();
    render(VaultPanel, { props: { api } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Open a team vault…' }));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Endpoint URL')));
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() =>
      expect(document.activeElement).toBe(
        screen.getByRole('button', { name: 'Open a team vault…' }),
      ),
    );
  });

  it('says how to add the vault from the command line when keys cannot be sealed here', async () => {
    const api = setup();
    const secretStorage = { encrypted: false, reason: 'No system keychain is available.' };
    render(VaultPanel, { props: { api, secretStorage } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Add a vault…' }));
    const note = text('vault-secret-storage-note');
    expect(note).toContain('No system keychain is available. Keys typed here cannot be kept.');
    expect(note).toContain(
      'recvault vault add s3 … --access-key-env VARIABLE --secret-key-env VARIABLE',
    );
  });

  it('opens the team vault form when the overview asked for it', async () => {
    const api = setup();
    const nav = { takeIntent: (intent: string) => intent === 'open-team-vault' };
    render(VaultPanel, { props: { api, nav } });
    expect(await screen.findByRole('button', { name: 'Open this team vault' })).toBeTruthy();
  });

  it('verifies a sample and names what differs or is missing', async () => {
    const api = setup({ ...SET, vaulted: 40 });
    api.vaultVerify.mockResolvedValue({
      ok: true,
      value: {
        checked: 5,
        findings: [
          { objectKey: 'recordings/k/a.wav', problem: 'missing', detail: 'NoSuchKey (HTTP 404)' },
          { objectKey: 'recordings/k/b.wav', problem: 'differs', detail: 'SHA-256 aa… not bb…' },
        ],
      },
    });
    render(VaultPanel, { props: { api } });
    const sample = await screen.findByLabelText(/Objects to re-read at random/);
    await fireEvent.input(sample, { target: { value: '5' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Verify vault' }));
    await waitFor(() => expect(api.vaultVerify).toHaveBeenCalledWith({ sample: 5 }));
    expect(text('vault-verify-result')).toBe(
      '2 of 5 objects differ or are missing; they are queued to be written again.',
    );
    const findings = text('vault-verify-findings');
    expect(findings).toContain('Missing from the vault: recordings/k/a.wav — NoSuchKey (HTTP 404)');
    expect(findings).toContain('Differs from the archive: recordings/k/b.wav');
  });
});
