// The Electron shell: one window, the IPC registration, and the platform services the engine
// cannot reach from plain Node. Kept thin: every feature lives in main/core.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  nativeImage,
  protocol,
  safeStorage,
  session,
  shell,
} from 'electron';
import { ipcChannelName } from '../core/contract/channels.ts';
import { openEngine, type Engine } from '../core/engine.ts';
import { handleStartDrag } from './drag.ts';
import { DRAG_ICON_DATA_URL } from './drag-icon.ts';
import { hardenWebContents, restrictPermissions } from './harden.ts';
import { forwardEvents, registerAllChannels } from './ipc.ts';
import { handleMediaRequest, MEDIA_SCHEME, mediaUrl } from './media-protocol.ts';
import { rendererDevServerUrl } from './renderer-source.ts';
import { safeStorageCipher } from './safe-storage-cipher.ts';
import { leaveTray, notifyFailedScheduleRuns, stayInTray } from './schedule-tray.ts';
import { electronNotifier } from './electron-notifier.ts';
import { notifyFinishedWork } from './finish-notifier.ts';
import { overallProgress } from './taskbar-progress.ts';
import { isTrustedSender, makeIsAppUrl } from './trusted-sender.ts';
import { mainWindowOptions } from './window-options.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const preloadPath = path.join(here, '../preload/index.cjs');
const rendererIndex = path.join(here, '../renderer/index.html');
const devServerUrl = rendererDevServerUrl(app.isPackaged);
const isAppUrl = makeIsAppUrl(rendererIndex, devServerUrl);

// Media is served through a privileged custom scheme (never file://), with streaming and Range.
protocol.registerSchemesAsPrivileged([
  {
    scheme: MEDIA_SCHEME,
    privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true },
  },
]);

let mainWindow: BrowserWindow | null = null;
let engine: Engine | null = null;
/** Whether to stay in the tray once the last window closed (set once the engine is open). */
let scheduleTray: () => Promise<boolean> = () => Promise.resolve(false);

function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(preloadPath));
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    mainWindow = null;
  });
  if (devServerUrl) void window.loadURL(devServerUrl);
  else void window.loadFile(rendererIndex);
  return window;
}

async function start(): Promise<void> {
  await app.whenReady();
  const dataDir = process.env.RECVAULT_DATA_DIR
    ? path.resolve(process.env.RECVAULT_DATA_DIR)
    : app.getPath('userData');
  const opened = await openEngine({
    dataDir,
    transportName: 'electron',
    resumeInterrupted: true,
    runSchedules: true,
    platform: {
      cipher: safeStorageCipher(safeStorage),
      mediaUrl,
      pickDirectory: async (title) => {
        const options = { title, properties: ['openDirectory', 'createDirectory'] as const };
        const result = mainWindow
          ? await dialog.showOpenDialog(mainWindow, {
              ...options,
              properties: [...options.properties],
            })
          : await dialog.showOpenDialog({ ...options, properties: [...options.properties] });
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
      pickSaveFile: async (title, defaultName) => {
        const options = {
          title,
          defaultPath: defaultName,
          filters: [{ name: 'Zip', extensions: ['zip'] }],
        };
        const result = mainWindow
          ? await dialog.showSaveDialog(mainWindow, options)
          : await dialog.showSaveDialog(options);
        if (result.canceled || !result.filePath) return null;
        // Linux pickers do not add the filter's extension; the engine accepts only .zip.
        return /\.zip$/i.test(result.filePath) ? result.filePath : `${result.filePath}.zip`;
      },
      showItemInFolder: (target) => shell.showItemInFolder(target),
    },
  });
  engine = opened;
  restrictPermissions(session.defaultSession, isAppUrl);
  hardenWebContents(app, isAppUrl);
  protocol.handle(MEDIA_SCHEME, (request) => handleMediaRequest(opened, request));
  const trusted = (frame: Electron.WebFrameMain | null | undefined) =>
    isTrustedSender(frame, mainWindow?.webContents.mainFrame, isAppUrl);
  registerAllChannels(
    ipcMain,
    opened.handlers,
    (event) => trusted(event.senderFrame),
    (channel, error) => console.error(`[ipc] ${channel} failed:`, error),
  );
  const dragIcon = nativeImage.createFromDataURL(DRAG_ICON_DATA_URL);
  ipcMain.on(ipcChannelName('startDrag'), (event, ids) => {
    void handleStartDrag(opened, event, ids, trusted(event.senderFrame), dragIcon, (m) =>
      console.error(`[drag] ${m}`),
    );
  });
  forwardEvents(opened.events, () => mainWindow?.webContents ?? null);
  opened.events.subscribe((channel) => {
    if (channel !== 'jobProgress' || !mainWindow) return;
    mainWindow.setProgressBar(overallProgress(opened.jobs.list()));
  });
  const showWindow = () => {
    leaveTray();
    if (!mainWindow) mainWindow = createMainWindow();
    else mainWindow.show();
  };
  notifyFailedScheduleRuns(opened.events, showWindow);
  notifyFinishedWork(opened.events, {
    notifier: electronNotifier,
    userIsAway: () => !mainWindow || !mainWindow.isFocused() || !mainWindow.isVisible(),
    open: showWindow,
  });
  scheduleTray = async () =>
    stayInTray({
      hasSchedules: (await opened.handlers.schedulesList({})).some((s) => s.enabled),
      icon: dragIcon,
      open: showWindow,
    });
  mainWindow = createMainWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createMainWindow();
  });
}

if (!app.requestSingleInstanceLock()) {
  // Another Recvault already owns the archive: hand over to it and leave.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => {
    // With schedules, Recvault stays in the tray to keep running them.
    void scheduleTray().then((stayed) => {
      if (!stayed && process.platform !== 'darwin') app.quit();
    });
  });
  let closing = false;
  app.on('will-quit', (event) => {
    // Pause running jobs cleanly (their .part files resume next time), then quit for real.
    if (closing || !engine) return;
    closing = true;
    event.preventDefault();
    void engine.close().finally(() => app.quit());
  });
  start().catch((error: unknown) => {
    console.error('Recvault failed to start:', error);
    dialog.showErrorBox(
      'Recvault could not start',
      error instanceof Error ? error.message : String(error),
    );
    app.exit(1);
  });
}
