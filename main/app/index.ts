// The Electron shell: one window, the IPC registration, and the platform services the engine
// cannot reach from plain Node. Kept thin: every feature lives in main/core.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, session } from 'electron';
import { openEngine, type Engine } from '../core/engine.ts';
import { hardenWebContents, restrictPermissions } from './harden.ts';
import { forwardEvents, registerAllChannels } from './ipc.ts';
import { isTrustedSender, makeIsAppUrl } from './trusted-sender.ts';
import { mainWindowOptions } from './window-options.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const preloadPath = path.join(here, '../preload/index.cjs');
const rendererIndex = path.join(here, '../renderer/index.html');
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const isAppUrl = makeIsAppUrl(rendererIndex, devServerUrl);

let mainWindow: BrowserWindow | null = null;
let engine: Engine | null = null;

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
  engine = await openEngine({ dataDir, transport: 'electron' });
  restrictPermissions(session.defaultSession);
  hardenWebContents(app, isAppUrl);
  registerAllChannels(
    ipcMain,
    engine.handlers,
    (event) => isTrustedSender(event.senderFrame, mainWindow?.webContents.mainFrame, isAppUrl),
    (channel, error) => console.error(`[ipc] ${channel} failed:`, error),
  );
  forwardEvents(engine.events, () => mainWindow?.webContents ?? null);
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
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => {
    void engine?.close();
  });
  start().catch((error: unknown) => {
    console.error('Recvault failed to start:', error);
    app.exit(1);
  });
}
