import { cleanup, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import ShortId from './ShortId.svelte';

afterEach(cleanup);

describe('ShortId', () => {
  it('shows a long id cut in the middle, whole in the title and to screen readers', () => {
    const id = 'sess_demo_standard_0042_a91f';
    render(ShortId, { id, max: 12, testid: 'id' });
    const element = screen.getByTestId('id');
    expect(element.getAttribute('title')).toBe(id);
    const shown = element.querySelector('[aria-hidden="true"]');
    expect(shown?.textContent).toBe('sess_de…a91f');
    expect(element.querySelector('.visually-hidden')?.textContent).toBe(id);
    // What a screen reader reads: the whole id once, never the cut one.
    expect(screen.getByText(id).closest('[aria-hidden]')).toBeNull();
  });

  it('shows a short id once, as it is', () => {
    render(ShortId, { id: 'rec_1', max: 12, testid: 'id' });
    const element = screen.getByTestId('id');
    expect(element.textContent).toBe('rec_1');
    expect(element.getAttribute('title')).toBe('rec_1');
  });
});
