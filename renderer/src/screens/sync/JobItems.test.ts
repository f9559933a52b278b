// Issue 11: a failed item reads in plain words with the technical part behind "Details", its
// state in words, and its id whole (never broken mid-word; shortened in the middle when long).
import { cleanup, render, screen, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobItemView } from '../../../../main/core/contract/types.ts';
import JobItems from './JobItems.svelte';

afterEach(cleanup);

const item = (overrides: Partial<JobItemView>): JobItemView => ({
  recordingId: 1,
  remoteId: 'rec_demo_expired',
  channel: 'mixed',
  state: 'gone',
  bytesDone: 0,
  bytesTotal: null,
  expiresAt: null,
  error:
    'Kallglot no longer has this recording: it was deleted at the provider and cannot be archived any more. Details: Kallglot status "expired".',
  ...overrides,
});

describe('job items', () => {
  it('says the reason in words, the status only under Details, the state in words', () => {
    render(JobItems, { props: { items: [item({})], onlyFailures: false } });
    const row = screen.getAllByRole('row')[1]!;
    expect(
      within(row).getByText(/^Kallglot no longer has this recording: it was deleted/),
    ).toBeTruthy();
    const details = row.querySelector('details')!;
    expect(details.open).toBe(false);
    expect(within(details).getByText('Details')).toBeTruthy();
    expect(details.textContent).toContain('Kallglot status "expired"');
    expect(within(row).getByText('Deleted by the provider')).toBeTruthy();
    // The whole id, in one piece.
    expect(row.querySelector('[data-full-id]')?.textContent).toBe('rec_demo_expired');
  });

  it('a long id is cut in the middle on screen, whole in its tooltip', () => {
    const id = 'rec_2026_11_30_support_line_0042_a91f';
    render(JobItems, { props: { items: [item({ remoteId: id })], onlyFailures: false } });
    const cell = screen.getByTitle(id);
    expect(cell.querySelector('[aria-hidden="true"]')?.textContent).toMatch(/^rec_2026.*….*a91f$/);
  });
});
