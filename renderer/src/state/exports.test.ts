import { describe, expect, it, vi } from 'vitest';
import type { ExportView } from '../../../main/core/contract/types.ts';
import { createFakeApi } from '../test-support/fake-api.ts';
import { ExportsState, NOTIFY_AFTER_MS, exportSummary } from './exports.svelte.ts';
import { fail } from '../../../main/core/contract/result.ts';

const view = (overrides: Partial<ExportView> = {}): ExportView => ({
  id: 5,
  state: 'running',
  destination: '/out',
  createdAt: '2025-01-01T00:00:00Z',
  filesDone: 0,
  filesTotal: 3,
  failures: [],
  revealPath: null,
  ...overrides,
});

describe('ExportsState', () => {
  it('notifies when a long export ends, not a short one', async () => {
    const api = createFakeApi();
    api.exportStart.mockResolvedValue({ ok: true, value: view() });
    const notify = vi.fn();
    let now = 0;
    const exports = new ExportsState(api, notify, () => now);
    exports.connect();
    await exports.start({ destination: { kind: 'folder', path: '/out' }, options: {} as never });
    now = NOTIFY_AFTER_MS + 1;
    api.emit('exportProgress', {
      export: view({ state: 'done', filesDone: 3, revealPath: '/out' }),
      fraction: 1,
    });
    expect(notify).toHaveBeenCalledWith(
      'Recvault export finished',
      '3 recordings → 3 files exported.',
    );
    expect(exports.byId(5)?.state).toBe('done');

    notify.mockClear();
    api.exportStart.mockResolvedValue({ ok: true, value: view({ id: 6 }) });
    await exports.start({ destination: { kind: 'folder', path: '/o' }, options: {} as never });
    api.emit('exportProgress', { export: view({ id: 6, state: 'done' }), fraction: 1 });
    expect(notify).not.toHaveBeenCalled();
  });

  it('returns a refused export in words', async () => {
    const api = createFakeApi();
    api.exportStart.mockResolvedValue(
      fail('conflict', 'The folder already holds files Recvault did not write.'),
    );
    const exports = new ExportsState(api, vi.fn());
    expect(
      await exports.start({ destination: { kind: 'folder', path: '/o' }, options: {} as never }),
    ).toBe('The folder already holds files Recvault did not write.');
  });

  it('says a failed export\'s stored reason in words, never a bare "The export failed."', () => {
    const failed = view({
      state: 'failed',
      filesDone: 0,
      filesTotal: 3,
      error: "EPERM: operation not permitted, mkdtemp '/sys/.recvault-staging-B3jnhj'",
    });
    expect(exportSummary(failed)).toBe(
      'The export failed: Recvault could not write to /sys: the system does not allow writing there (EPERM). Nothing was exported; fix that or choose another destination, then export again.',
    );
    expect(
      exportSummary(view({ state: 'failed', filesDone: 0, error: 'Unknown token {nope}.' })),
    ).toBe(
      'The export failed: Unknown token {nope}. Nothing was exported; fix that or choose another destination, then export again.',
    );
  });

  it('counts recordings in and files out: split channels make more files than recordings', () => {
    expect(exportSummary(view({ state: 'done', filesDone: 50, filesTotal: 35 }))).toBe(
      '35 recordings → 50 files exported.',
    );
  });
});
