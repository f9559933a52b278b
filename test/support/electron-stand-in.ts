// A recording stand-in for the `electron` module, for booting the real main/app/index.ts in a
// Vitest test (the Electron binary cannot run here). It keeps the call-order rules the real
// Electron enforces at run time, which the type-checker cannot see: privileged schemes only
// before `ready`; windows, sessions and protocol handlers only after it; one handler per IPC
// channel; safeStorage's backend unknown before `ready`.
import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';

export interface StandInOptions {
  /** What requestSingleInstanceLock() answers (false: another Recvault runs). */
  singleInstance?: boolean;
  isPackaged?: boolean;
  /** safeStorage's Linux backend once ready. */
  storageBackend?: 'basic_text' | 'gnome_libsecret';
}

type Listener = (...args: never[]) => unknown;

/** One quit attempt as Electron runs it: will-quit, which a listener may prevent. */
interface QuitEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
}

export function createElectronStandIn(options: StandInOptions = {}) {
  const calls: string[] = [];
  let ready = false;
  let quitted = false;
  let resolveReady: () => void = () => {};
  const readyPromise = new Promise<void>((resolve) => (resolveReady = resolve));
  let resolveQuitted: () => void = () => {};
  const quittedPromise = new Promise<void>((resolve) => (resolveQuitted = resolve));
  const mustBeReady = (what: string) => {
    if (!ready) throw new Error(`${what} cannot be used before the app is ready`);
  };

  const app = Object.assign(new EventEmitter(), {
    isPackaged: options.isPackaged ?? false,
    exitCode: null as number | null,
    isReady: () => ready,
    whenReady: () => {
      calls.push('app.whenReady');
      return readyPromise;
    },
    requestSingleInstanceLock: () => {
      calls.push('app.requestSingleInstanceLock');
      return options.singleInstance ?? true;
    },
    getPath: (name: string) => {
      throw new Error(`app.getPath(${name}): the boot test sets RECVAULT_DATA_DIR`);
    },
    quit: () => {
      calls.push('app.quit');
      if (quitted) return;
      const event: QuitEvent = {
        defaultPrevented: false,
        preventDefault() {
          this.defaultPrevented = true;
        },
      };
      app.emit('will-quit', event);
      if (event.defaultPrevented) {
        calls.push('will-quit prevented');
        return;
      }
      quitted = true;
      calls.push('quit');
      resolveQuitted();
    },
    exit: (code = 0) => {
      calls.push(`app.exit(${code})`);
      app.exitCode = code;
      quitted = true;
      resolveQuitted();
    },
  });

  class WebContentsStandIn extends EventEmitter {
    readonly sent: { channel: string; payload: unknown }[] = [];
    readonly mainFrame = { url: '' };
    send(channel: string, payload: unknown): void {
      this.sent.push({ channel, payload });
    }
    isDestroyed(): boolean {
      return false;
    }
    getURL(): string {
      return this.mainFrame.url;
    }
  }

  class BrowserWindow extends EventEmitter {
    static readonly windows: BrowserWindow[] = [];
    static getAllWindows(): BrowserWindow[] {
      return BrowserWindow.windows;
    }
    readonly webContents = new WebContentsStandIn();
    readonly progress: number[] = [];
    readonly loaded: { file?: string; url?: string }[] = [];
    minimized = false;
    shown = false;
    focused = 0;
    constructor(readonly options: Record<string, unknown>) {
      super();
      mustBeReady('BrowserWindow');
      calls.push('new BrowserWindow');
      BrowserWindow.windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    loadFile(file: string): Promise<void> {
      this.loaded.push({ file });
      this.webContents.mainFrame.url = pathToFileURL(file).href;
      setImmediate(() => this.emit('ready-to-show'));
      return Promise.resolve();
    }
    loadURL(url: string): Promise<void> {
      this.loaded.push({ url });
      this.webContents.mainFrame.url = url;
      setImmediate(() => this.emit('ready-to-show'));
      return Promise.resolve();
    }
    show(): void {
      this.shown = true;
    }
    setProgressBar(value: number): void {
      this.progress.push(value);
    }
    isMinimized(): boolean {
      return this.minimized;
    }
    // A test window never has the keyboard focus: work that ends is "while the user is away".
    isFocused(): boolean {
      return false;
    }
    isVisible(): boolean {
      return this.shown && !this.minimized;
    }
    restore(): void {
      this.minimized = false;
      calls.push('window.restore');
    }
    focus(): void {
      this.focused += 1;
      calls.push('window.focus');
    }
    isDestroyed(): boolean {
      return false;
    }
  }
  // The web-contents hardening attaches listeners and a window-open handler to each contents.
  Object.assign(WebContentsStandIn.prototype, { setWindowOpenHandler() {} });

  const ipcHandlers = new Map<string, Listener>();
  const ipcListeners = new Map<string, Listener>();
  const ipcMain = {
    handle: (channel: string, handler: Listener) => {
      if (ipcHandlers.has(channel)) {
        throw new Error(`Attempted to register a second handler for '${channel}'`);
      }
      ipcHandlers.set(channel, handler);
    },
    on: (channel: string, listener: Listener) => {
      ipcListeners.set(channel, listener);
    },
  };

  const schemes: unknown[] = [];
  const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
  const protocol = {
    registerSchemesAsPrivileged: (list: unknown[]) => {
      if (ready) {
        throw new Error(
          'protocol.registerSchemesAsPrivileged should be called before app is ready',
        );
      }
      calls.push('protocol.registerSchemesAsPrivileged');
      schemes.push(...list);
    },
    handle: (scheme: string, handler: (request: Request) => Promise<Response>) => {
      mustBeReady('protocol.handle');
      calls.push(`protocol.handle(${scheme})`);
      protocolHandlers.set(scheme, handler);
    },
  };

  const sessionHandlers = new Map<string, unknown>();
  const defaultSession = Object.assign(new EventEmitter(), {
    setPermissionRequestHandler: (h: unknown) => sessionHandlers.set('permissionRequest', h),
    setPermissionCheckHandler: (h: unknown) => sessionHandlers.set('permissionCheck', h),
    setDevicePermissionHandler: (h: unknown) => sessionHandlers.set('devicePermission', h),
    setDisplayMediaRequestHandler: (h: unknown) => sessionHandlers.set('displayMedia', h),
  });
  const session = {
    get defaultSession() {
      mustBeReady('session.defaultSession');
      return defaultSession;
    },
  };

  const safeStorage = {
    isEncryptionAvailable: () => ready,
    getSelectedStorageBackend: () =>
      ready ? (options.storageBackend ?? 'gnome_libsecret') : 'unknown',
    encryptString: (plain: string) => Buffer.from(`stand-in:${plain}`),
    decryptString: (data: Buffer) => data.toString().replace(/^stand-in:/, ''),
  };

  const errorBoxes: { title: string; content: string }[] = [];
  const dialog = {
    showOpenDialog: () => Promise.resolve({ canceled: true, filePaths: [] }),
    showSaveDialog: () => Promise.resolve({ canceled: true }),
    showErrorBox: (title: string, content: string) => {
      calls.push('dialog.showErrorBox');
      errorBoxes.push({ title, content });
    },
  };

  const notifications: { title?: string; body?: string }[] = [];
  class Notification extends EventEmitter {
    static isSupported = () => true;
    constructor(readonly options: { title?: string; body?: string } = {}) {
      super();
      mustBeReady('Notification');
    }
    show(): void {
      notifications.push(this.options);
    }
  }

  const trays: Tray[] = [];
  class Tray extends EventEmitter {
    toolTip = '';
    menu: unknown = null;
    destroyed = false;
    constructor(readonly icon: unknown) {
      super();
      mustBeReady('Tray');
      trays.push(this);
    }
    setToolTip(text: string): void {
      this.toolTip = text;
    }
    setContextMenu(menu: unknown): void {
      this.menu = menu;
    }
    destroy(): void {
      this.destroyed = true;
    }
  }

  const module = {
    app,
    BrowserWindow,
    ipcMain,
    protocol,
    session,
    safeStorage,
    dialog,
    shell: { showItemInFolder: () => {} },
    nativeImage: { createFromDataURL: (url: string) => ({ url, isEmpty: () => false }) },
    Notification,
    webContents: { getAllWebContents: () => BrowserWindow.windows.map((w) => w.webContents) },
    Menu: {
      setApplicationMenu: () => {},
      buildFromTemplate: (template: unknown[]) => ({ template }),
    },
    Tray,
  };

  return {
    module: { ...module, default: module },
    calls,
    schemes,
    ipcHandlers,
    ipcListeners,
    protocolHandlers,
    sessionHandlers,
    errorBoxes,
    notifications,
    trays,
    windows: BrowserWindow.windows,
    app,
    /** Electron's `ready`. */
    ready(): void {
      calls.push('ready');
      ready = true;
      app.emit('ready');
      resolveReady();
    },
    quitted: quittedPromise,
    isQuitted: () => quitted,
  };
}

export type ElectronStandIn = ReturnType<typeof createElectronStandIn>;
