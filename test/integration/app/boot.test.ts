// The Electron shell, booted: the real main/app/index.ts, imported as Electron would load it,
// against a recording stand-in for the `electron` module (test/support/electron-stand-in.ts)
// and a real engine on a temporary data directory. It catches what the type-checker cannot: an
// import-time error, a call made before `ready` that must come after it (or the reverse), a
// channel left unregistered, events that never reach the window, a quit that loses jobs.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mainWindowOptions } from '../../../main/app/window-options.ts';
import { REQUEST_CHANNELS, ipcChannelName } from '../../../main/core/contract/channels.ts';
import type { Result } from '../../../main/core/contract/result.ts';
import type { JobView } from '../../../main/core/contract/types.ts';
import { dualChannelSession, startFakeKallglot, type FakeKallglot } from '../../fakes/kallglot.ts';
import { delay } from '../../support/async.ts';
import { queryIndex } from '../../support/data-dir.ts';
import { repoRoot } from '../../support/built.ts';
import {
  createElectronStandIn,
  type ElectronStandIn,
  type StandInOptions,
} from '../../support/electron-stand-in.ts';
import { tempDir } from '../../support/tmp.ts';

const booted: ElectronStandIn[] = [];
let fake: FakeKallglot | null = null;
let dataDir = '';
const savedEnv = { ...process.env };

beforeEach(() => {
  dataDir = path.join(tempDir('recvault-boot-'), 'data');
  process.env.RECVAULT_DATA_DIR = dataDir;
  delete process.env.ELECTRON_RENDERER_URL;
});

afterEach(async () => {
  // Quit every app still running so its engine closes the index before the folder goes.
  for (const electron of booted.splice(0)) {
    if (!electron.isQuitted()) {
      electron.app.quit();
      await electron.quitted;
    }
  }
  await fake?.close();
  fake = null;
  process.env = { ...savedEnv };
});

/** Loads main/app/index.ts afresh, as Electron loads the main bundle, before `ready`. */
async function load(options: StandInOptions = {}): Promise<ElectronStandIn> {
  const electron = createElectronStandIn(options);
  booted.push(electron);
  // A fresh stand-in and a fresh module graph per boot, as a new Electron process has.
  vi.doMock('electron', () => electron.module);
  vi.resetModules();
  await import('../../../main/app/index.ts');
  return electron;
}

/** Loads the app, fires `ready`, and waits until its window exists (or it gave up). */
async function boot(options: StandInOptions = {}): Promise<ElectronStandIn> {
  const electron = await load(options);
  electron.ready();
  await until(() => electron.windows.length > 0 || electron.isQuitted(), 'the main window');
  expect(electron.errorBoxes).toEqual([]);
  return electron;
}

async function until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(10);
  }
}

/** A request as the renderer sends it: from the window's own main frame. */
async function invoke<T>(electron: ElectronStandIn, channel: string, args: unknown): Promise<T> {
  const handler = electron.ipcHandlers.get(ipcChannelName(channel as never));
  if (!handler) throw new Error(`no IPC handler for ${channel}`);
  const event = { senderFrame: electron.windows[0]!.webContents.mainFrame };
  const result = (await (handler as (e: unknown, a: unknown) => Promise<Result<T>>)(
    event,
    args,
  )) as Result<T>;
  if (!result.ok) throw new Error(`${channel} refused: ${result.code} ${result.message}`);
  return result.value;
}

async function jobSettled(electron: ElectronStandIn, jobId: number): Promise<JobView> {
  let job: JobView | undefined;
  const deadline = Date.now() + 20_000;
  for (;;) {
    const jobs = await invoke<JobView[]>(electron, 'jobsList', {});
    job = jobs.find((j) => j.id === jobId);
    if (job && ['done', 'failed', 'cancelled'].includes(job.state)) return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} stuck in ${job?.state}`);
    await delay(20);
  }
}

async function addAccountAndSync(electron: ElectronStandIn, sessionId: string): Promise<JobView> {
  const accounts = await invoke<{ id: number; name: string }[]>(electron, 'accountsList', {});
  const account =
    accounts[0] ??
    (await invoke<{ id: number }>(electron, 'accountsAdd', {
      provider: 'kallglot',
      name: 'Support',
      baseUrl: fake!.baseUrl,
      secret: fake!.apiKey,
    }));
  return invoke<JobView>(electron, 'syncStart', {
    accountId: account.id,
    sessions: [{ id: sessionId }],
    recordingIds: [],
    callIds: [],
  });
}

describe('the Electron shell, booted', () => {
  it('registers its media scheme and takes the single-instance lock before ready', async () => {
    const electron = await load();
    expect(electron.calls).toContain('protocol.registerSchemesAsPrivileged');
    expect(electron.calls).toContain('app.requestSingleInstanceLock');
    expect(electron.calls).not.toContain('new BrowserWindow');
    expect(electron.schemes).toEqual([
      {
        scheme: 'recvault-media',
        privileges: expect.objectContaining({ standard: true, secure: true, stream: true }),
      },
    ]);
    electron.ready();
    await until(() => electron.windows.length > 0, 'the main window');
    const order = (call: string) => electron.calls.indexOf(call);
    expect(order('protocol.registerSchemesAsPrivileged')).toBeLessThan(order('ready'));
    expect(order('ready')).toBeLessThan(order('protocol.handle(recvault-media)'));
    expect(electron.errorBoxes).toEqual([]);
  });

  it('opens the window with the tested preferences on the built page, every channel registered', async () => {
    const electron = await boot();
    const [window] = electron.windows;
    expect(electron.windows).toHaveLength(1);
    expect(window!.options).toEqual(
      mainWindowOptions(path.join(repoRoot, 'main/preload/index.cjs')),
    );
    expect(window!.loaded).toEqual([{ file: path.join(repoRoot, 'main/renderer/index.html') }]);
    await until(() => window!.shown, 'ready-to-show');

    expect([...electron.ipcHandlers.keys()].sort()).toEqual(
      REQUEST_CHANNELS.map((channel) => ipcChannelName(channel)).sort(),
    );
    expect([...electron.ipcListeners.keys()]).toEqual([ipcChannelName('startDrag' as never)]);
    expect([...electron.sessionHandlers.keys()].sort()).toEqual([
      'devicePermission',
      'displayMedia',
      'permissionCheck',
      'permissionRequest',
    ]);

    const info = await invoke<{ transport: string; dataDir: string; nativeDialogs: boolean }>(
      electron,
      'appInfo',
      {},
    );
    expect(info).toMatchObject({ transport: 'electron', dataDir, nativeDialogs: true });
    expect(fs.existsSync(path.join(dataDir, 'index.sqlite'))).toBe(true);

    // Anyone but the window's own main frame is refused.
    const handler = electron.ipcHandlers.get(ipcChannelName('appInfo')) as (
      e: unknown,
      a: unknown,
    ) => Promise<Result<unknown>>;
    const foreign = await handler({ senderFrame: { url: 'https://evil.example/' } }, {});
    expect(foreign).toMatchObject({ ok: false, code: 'unknown_channel' });
  });

  it('syncs, forwards events, shows taskbar progress and serves media with Range', async () => {
    fake = await startFakeKallglot({ sessions: [dualChannelSession('sess_B1')] });
    const electron = await boot();
    const window = electron.windows[0]!;
    const job = await addAccountAndSync(electron, 'sess_B1');
    const settled = await jobSettled(electron, job.id);
    expect(settled.totals).toMatchObject({ archived: 3, failed: 0 });

    const sent = window.webContents.sent.map((message) => message.channel);
    expect(sent).toContain(ipcChannelName('jobProgress' as never));
    expect(sent).toContain(ipcChannelName('libraryChanged' as never));
    expect(window.progress.length).toBeGreaterThan(0);
    expect(window.progress.some((value) => value !== -1)).toBe(true);
    await until(() => window.progress.at(-1) === -1, 'the taskbar progress to hide');
    // The window is not in front, so the end of the sync is also a system notification.
    await until(() => electron.notifications.length > 0, 'a system notification');
    expect(electron.notifications[0]!.title).toMatch(/^Recvault: Sync/);

    const [row] = queryIndex<{ id: number; local_path: string }>(
      dataDir,
      `SELECT id, local_path FROM recordings WHERE channel = 'mixed'`,
    );
    const media = await invoke<{ url: string }>(electron, 'recordingMedia', { id: row!.id });
    expect(media.url).toBe(`recvault-media://recording/${row!.id}`);
    const serve = electron.protocolHandlers.get('recvault-media')!;
    const part = await serve(new Request(media.url, { headers: { range: 'bytes=10-109' } }));
    expect(part.status).toBe(206);
    const onDisk = fs.readFileSync(path.join(dataDir, 'archive', row!.local_path));
    expect(Buffer.from(await part.arrayBuffer())).toEqual(onDisk.subarray(10, 110));
  });

  it('brings its window back for a second instance', async () => {
    const electron = await boot();
    const window = electron.windows[0]!;
    window.minimized = true;
    electron.app.emit('second-instance', {}, ['recvault'], '/');
    expect(window.minimized).toBe(false);
    expect(window.focused).toBe(1);
  });

  it('quits when its last window closes and no schedule keeps it in the tray', async () => {
    const electron = await boot();
    electron.app.emit('window-all-closed');
    await electron.quitted;
    expect(electron.calls).toContain('quit');
    expect(electron.trays).toEqual([]);
  });

  it('quits cleanly mid-sync with the job suspended, and resumes it at the next start', async () => {
    fake = await startFakeKallglot({ sessions: [dualChannelSession('sess_B2')] });
    fake.storage.faults.inject({ type: 'slow_body', chunkBytes: 2048, delayMs: 40 }, { times: 3 });
    const first = await boot();
    const job = await addAccountAndSync(first, 'sess_B2');
    await delay(250);
    first.app.quit();
    await first.quitted;
    const order = (call: string) => first.calls.lastIndexOf(call);
    expect(first.calls).toContain('will-quit prevented');
    expect(order('will-quit prevented')).toBeLessThan(order('quit'));
    const [suspended] = queryIndex<{ state: string; totals_json: string }>(
      dataDir,
      'SELECT state, totals_json FROM jobs WHERE id = ?',
      job.id,
    );
    expect(suspended!.state).toBe('paused');
    expect(JSON.parse(suspended!.totals_json)).toMatchObject({ resumeAtStart: 1 });

    const second = await boot();
    const resumed = await jobSettled(second, job.id);
    expect(resumed.state).toBe('done');
    expect(resumed.totals).toMatchObject({ archived: 3, failed: 0 });
  });

  it('leaves at once, opening nothing, when another Recvault holds the lock', async () => {
    const electron = await load({ singleInstance: false });
    expect(electron.isQuitted()).toBe(true);
    electron.ready();
    await delay(100);
    expect(electron.windows).toEqual([]);
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('ignores ELECTRON_RENDERER_URL when packaged', async () => {
    process.env.ELECTRON_RENDERER_URL = 'http://127.0.0.1:9/evil';
    const packaged = await boot({ isPackaged: true });
    expect(packaged.windows[0]!.loaded).toEqual([
      { file: path.join(repoRoot, 'main/renderer/index.html') },
    ]);
  });

  it('says why in a dialog and exits 1 when the engine cannot open', async () => {
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    fs.writeFileSync(dataDir, 'not a folder');
    const electron = await load();
    electron.ready();
    await electron.quitted;
    expect(electron.app.exitCode).toBe(1);
    expect(electron.errorBoxes[0]?.title).toBe('Recvault could not start');
  });
});
