import { describe, expect, it, vi } from 'vitest';
import { dispatchRequest, type HandlerTable } from '../../../main/core/api/dispatch.ts';

// Found by the channel fuzzer: a hold named "\0" passed the schema's non-empty check (JS sees
// one character) and then failed the table's CHECK (SQLite's text functions stop at NUL),
// which crossed the boundary as an internal error instead of a refusal.
describe('a NUL character anywhere in a request', () => {
  const handler = vi.fn(() => ({}));
  const table = { recordingUpdate: handler, syncStart: handler } as unknown as HandlerTable;

  it('is refused before the handler runs, naming the field', async () => {
    const nested = await dispatchRequest(table, 'syncStart', {
      accountId: 1,
      sessions: [{ id: 'sess_1' }, { id: 'sess\u00002' }],
    });
    expect(nested).toEqual({
      ok: false,
      code: 'invalid_arguments',
      message: 'Invalid arguments for syncStart: "sessions[1].id" contains a NUL character.',
    });
    const tag = await dispatchRequest(table, 'recordingUpdate', { id: 1, tags: ['a\u0000'] });
    expect(tag).toMatchObject({ ok: false, code: 'invalid_arguments' });
    const key = await dispatchRequest(table, 'recordingUpdate', { id: 1, ['no\u0000tes']: 'x' });
    expect(key).toMatchObject({ ok: false, code: 'invalid_arguments' });
    expect(handler).not.toHaveBeenCalled();
  });

  it('lets every other character through to the schema', async () => {
    const result = await dispatchRequest(table, 'recordingUpdate', {
      id: 1,
      notes: 'tab\there, line\nbreak, \u202e, emoji 🎧',
    });
    expect(result.ok).toBe(true);
  });
});
