import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { HoldView } from '../../../../main/core/contract/compliance.ts';
import { createFakeApi } from '../../test-support/fake-api.ts';
import HoldDialog from './HoldDialog.svelte';

afterEach(cleanup);

const HOLD: HoldView = {
  id: 4,
  name: 'Smith v Acme',
  reference: 'CASE-7',
  description: '',
  createdBy: 'user',
  createdAt: '2026-11-01T00:00:00.000Z',
  releasedAt: null,
  releasedBy: null,
  releaseReason: null,
  recordings: 2,
};

describe('HoldDialog (bulk "add to legal hold")', () => {
  it('puts the selected ids on an existing matter', async () => {
    const api = createFakeApi();
    api.holdsList.mockResolvedValue({ ok: true, value: [HOLD] });
    api.holdAdd.mockResolvedValue({
      ok: true,
      value: { hold: { ...HOLD, recordings: 4 }, added: 2, alreadyHeld: 0 },
    });
    const done: string[] = [];
    render(HoldDialog, {
      props: {
        api,
        selection: { ids: [7, 8] },
        count: 2,
        ondone: (m: string) => done.push(m),
        oncancel: () => {},
      },
    });
    await waitFor(() =>
      expect(screen.getByRole('option', { name: 'Smith v Acme (CASE-7)' })).toBeTruthy(),
    );
    await fireEvent.change(screen.getByLabelText('Matter'), { target: { value: 'Smith v Acme' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add to hold' }));
    await waitFor(() => expect(done).toHaveLength(1));
    expect(api.holdCreate).not.toHaveBeenCalled();
    expect(api.holdAdd).toHaveBeenCalledWith({ name: 'Smith v Acme', recordingIds: [7, 8] });
    expect(done[0]).toContain('2 recording(s) put on legal hold “Smith v Acme”');
  });

  it('creates a new matter for "all results" and holds them by query', async () => {
    const api = createFakeApi();
    api.holdCreate.mockResolvedValue({
      ok: true,
      value: { ...HOLD, name: 'Audit', recordings: 0 },
    });
    api.holdAdd.mockResolvedValue({
      ok: true,
      value: { hold: { ...HOLD, name: 'Audit', recordings: 9 }, added: 9, alreadyHeld: 0 },
    });
    const query = { text: 'acme' } as never;
    render(HoldDialog, {
      props: { api, selection: { query }, count: 9, ondone: () => {}, oncancel: () => {} },
    });
    expect(screen.getByRole('button', { name: 'Add to hold' }).hasAttribute('disabled')).toBe(true);
    await fireEvent.input(screen.getByLabelText('New matter name'), { target: { value: 'Audit' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add to hold' }));
    await waitFor(() => expect(api.holdAdd).toHaveBeenCalledWith({ name: 'Audit', query }));
    expect(api.holdCreate).toHaveBeenCalledWith({ name: 'Audit' });
  });
});
