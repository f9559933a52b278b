import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeApi } from '../../test-support/fake-api.ts';
import { IdImport } from '../../state/id-import.svelte.ts';
import IdInput from './IdInput.svelte';
import { fail } from '../../../../main/core/contract/result.ts';

afterEach(cleanup);

describe('IdInput', () => {
  it('sends a picked file as text (never a path) and lists the lines with problems', async () => {
    const api = createFakeApi();
    api.idsParse.mockResolvedValue({
      ok: true,
      value: {
        rows: [{ line: 2, id: 'sess_a', userId: null }],
        errors: [
          { line: 3, message: 'not a session id' },
          { line: 4, message: 'duplicate of line 2' },
        ],
      },
    });
    const ids = new IdImport(api);
    render(IdInput, { ids, label: 'Session ids' });
    const file = new File(['id\nsess_a\n???\nsess_a\n'], 'export.csv', { type: 'text/csv' });
    await fireEvent.change(screen.getByTestId('ids-file'), { target: { files: [file] } });
    await waitFor(() => expect(api.idsParse).toHaveBeenCalled());
    expect(api.idsParse.mock.calls[0]![0]).toEqual({
      text: 'id\nsess_a\n???\nsess_a\n',
      fileName: 'export.csv',
      wantUserId: false,
    });
    const errors = await screen.findByTestId('ids-errors');
    expect(errors.textContent).toContain('Line 3: not a session id');
    expect(errors.textContent).toContain('Line 4: duplicate of line 2');
    expect(screen.getByRole('status').textContent).toContain(
      '1 id from export.csv, 2 lines with problems',
    );
  });

  it('shows a failed parse as an alert', async () => {
    const api = createFakeApi();
    api.idsParse.mockResolvedValue(fail('invalid_arguments', 'The text is too long.'));
    const ids = new IdImport(api);
    render(IdInput, { ids, label: 'Ids' });
    await fireEvent.input(screen.getByLabelText('Ids'), { target: { value: 'sess_1' } });
    await ids.parseNow();
    expect((await screen.findByRole('alert')).textContent).toBe('The text is too long.');
  });
});
