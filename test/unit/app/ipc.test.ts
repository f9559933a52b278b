import type { IpcMainInvokeEvent } from 'electron';
import { describe, expect, it } from 'vitest';
import { registerAllChannels, registerChannel } from '../../../main/app/ipc.ts';
import type { HandlerTable } from '../../../main/core/api/dispatch.ts';
import { REQUEST_CHANNELS } from '../../../main/core/contract/channels.ts';

type Handler = (event: IpcMainInvokeEvent, args: unknown) => Promise<unknown>;

function fakeIpcMain() {
  const handlers = new Map<string, Handler>();
  return {
    handlers,
    handle: (channel: string, handler: Handler) => {
      handlers.set(channel, handler);
    },
  };
}

const table = {
  appInfo: () => ({
    name: 'Recvault',
    version: '0',
    dataDir: '/d',
    archiveDir: '/a',
    transport: 'electron',
  }),
} as unknown as HandlerTable;
const event = {} as IpcMainInvokeEvent;

describe('IPC registration', () => {
  it('registers every contract channel under its recvault: name', () => {
    const ipc = fakeIpcMain();
    registerAllChannels(
      ipc as never,
      table,
      () => true,
      () => {},
    );
    expect([...ipc.handlers.keys()].sort()).toEqual(
      REQUEST_CHANNELS.map((c) => `recvault:${c}`).sort(),
    );
  });

  it('refuses to register a channel the contract does not know', () => {
    const ipc = fakeIpcMain();
    expect(() =>
      registerChannel(
        ipc as never,
        'shell:openExternal',
        table,
        () => true,
        () => {},
      ),
    ).toThrow(/unknown IPC channel "shell:openExternal"/);
    expect(ipc.handlers.size).toBe(0);
  });

  it('answers a trusted sender through the handler table', async () => {
    const ipc = fakeIpcMain();
    registerAllChannels(
      ipc as never,
      table,
      () => true,
      () => {},
    );
    await expect(ipc.handlers.get('recvault:appInfo')!(event, {})).resolves.toMatchObject({
      ok: true,
      value: { name: 'Recvault' },
    });
  });

  it('refuses an untrusted sender without running the handler', async () => {
    const ipc = fakeIpcMain();
    let ran = false;
    const spy = { appInfo: () => ((ran = true), table.appInfo({})) } as unknown as HandlerTable;
    registerAllChannels(
      ipc as never,
      spy,
      () => false,
      () => {},
    );
    const result = await ipc.handlers.get('recvault:appInfo')!(event, {});
    expect(result).toEqual({
      ok: false,
      code: 'unknown_channel',
      message: 'Refused: untrusted sender.',
    });
    expect(ran).toBe(false);
  });

  it('refuses an invalid payload from a trusted sender', async () => {
    const ipc = fakeIpcMain();
    registerAllChannels(
      ipc as never,
      table,
      () => true,
      () => {},
    );
    const result = await ipc.handlers.get('recvault:appInfo')!(event, { path: '../../etc' });
    expect(result).toMatchObject({ ok: false, code: 'invalid_arguments' });
  });
});
