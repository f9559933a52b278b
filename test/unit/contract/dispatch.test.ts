import { describe, expect, it, vi } from 'vitest';
import { dispatchRequest, type HandlerTable } from '../../../main/core/api/dispatch.ts';
import { AppError } from '../../../main/core/app-error.ts';

const info = {
  name: 'Recvault',
  version: '1.2.3',
  dataDir: '/d',
  archiveDir: '/d/archive',
  transport: 'bridge' as const,
  nativeDialogs: false,
  secretStorage: { encrypted: true, reason: null },
};

function table(overrides: Partial<HandlerTable> = {}): HandlerTable {
  return { appInfo: () => info, ...overrides } as unknown as HandlerTable;
}

describe('dispatchRequest', () => {
  it('answers a valid request with the handler value', async () => {
    await expect(dispatchRequest(table(), 'appInfo', {})).resolves.toEqual({
      ok: true,
      value: info,
    });
  });

  it('refuses an unknown channel by name', async () => {
    const result = await dispatchRequest(table(), 'fs:readFile', { path: '/etc/passwd' });
    expect(result).toEqual({
      ok: false,
      code: 'unknown_channel',
      message: 'Refused a request on an unknown channel: "fs:readFile".',
    });
  });

  it('refuses inherited object keys as channels', async () => {
    const result = await dispatchRequest(table(), 'constructor', {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.code).toBe('unknown_channel');
  });

  it('refuses an invalid payload with a message naming the channel and the field', async () => {
    const handler = vi.fn(() => info);
    const result = await dispatchRequest(table({ appInfo: handler }), 'appInfo', { extra: 1 });
    expect(handler).not.toHaveBeenCalled();
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe('invalid_arguments');
      expect(result.message).toMatch(/^Invalid arguments for appInfo:/);
      expect(result.message).toContain('extra');
    }
  });

  it('refuses a payload of the wrong type', async () => {
    const result = await dispatchRequest(table(), 'appInfo', 'not an object');
    expect(result).toMatchObject({ ok: false, code: 'invalid_arguments' });
  });

  it('passes an expected failure through as code and message', async () => {
    const failing = () => {
      throw new AppError('not_found', 'No such recording.');
    };
    const result = await dispatchRequest(table({ appInfo: failing }), 'appInfo', {});
    expect(result).toEqual({ ok: false, code: 'not_found', message: 'No such recording.' });
  });

  it('hides an unexpected error behind a generic message and reports it', async () => {
    const reported: unknown[] = [];
    const failing = () => {
      throw new Error('secret detail sk_live_123');
    };
    const result = await dispatchRequest(table({ appInfo: failing }), 'appInfo', {}, (_c, e) =>
      reported.push(e),
    );
    expect(result).toEqual({
      ok: false,
      code: 'internal',
      message: 'appInfo failed unexpectedly.',
    });
    expect(reported).toHaveLength(1);
  });
});
