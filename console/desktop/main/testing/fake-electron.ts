// A small fake of the parts of `electron` the main process uses, for vi.mock('electron', …).
// Each fake records what it was given so tests can drive handlers the way Electron would.
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

type Listener = (...args: any[]) => unknown;

export class FakeWebFrame {
  parent: FakeWebFrame | null = null;
  constructor(
    public url: string,
    public processId = 1,
    public routingId = 1,
  ) {}
}

export class FakeWebContents extends EventEmitter {
  /** main → renderer events, as sent */
  send = vi.fn((_channel: string, ..._args: unknown[]) => undefined);
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  mainFrame = new FakeWebFrame('http://127.0.0.1:8080/');
  setWindowOpenHandler = vi.fn((handler: (details: { url: string }) => { action: string }) => {
    this.windowOpenHandler = handler;
  });
  /** Emits like Electron: returns true when a listener called preventDefault(). */
  navigate(event: 'will-navigate' | 'will-redirect', url: string): boolean {
    let prevented = false;
    this.emit(event, { preventDefault: () => (prevented = true), url }, url);
    return prevented;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  static getAllWindows = vi.fn(() => FakeBrowserWindow.instances.filter((w) => !w.destroyed));
  webContents = new FakeWebContents();
  destroyed = false;
  visible = false;
  loadURL = vi.fn(async (_url: string) => undefined);
  show = vi.fn(() => {
    this.visible = true;
  });
  focus = vi.fn();
  restore = vi.fn();
  isMinimized = vi.fn(() => false);
  isVisible = vi.fn(() => this.visible);
  isDestroyed = vi.fn(() => this.destroyed);
  constructor(public options: Record<string, any>) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
}

export class FakeSession {
  permissionRequestHandler: Listener | null = null;
  permissionCheckHandler: Listener | null = null;
  headersReceived: Listener | null = null;
  setPermissionRequestHandler = vi.fn((h: Listener) => (this.permissionRequestHandler = h));
  setPermissionCheckHandler = vi.fn((h: Listener) => (this.permissionCheckHandler = h));
  setDevicePermissionHandler = vi.fn();
  webRequest = {
    onHeadersReceived: vi.fn((...args: any[]) => {
      this.headersReceived = args[args.length - 1] as Listener;
    }),
  };
}

export class FakeIpcMain {
  handlers = new Map<string, Listener>();
  handle = vi.fn((channel: string, fn: Listener) => {
    this.handlers.set(channel, fn);
  });
}

export class FakeNotification extends EventEmitter {
  static isSupported = vi.fn(() => true);
  static shown: FakeNotification[] = [];
  show = vi.fn(() => FakeNotification.shown.push(this));
  constructor(public options: { title: string; body: string }) {
    super();
  }
}

class FakeApp extends EventEmitter {
  private resolveReady!: () => void;
  private readyPromise = new Promise<void>((resolve) => (this.resolveReady = resolve));
  enableSandbox = vi.fn();
  requestSingleInstanceLock = vi.fn(() => true);
  quit = vi.fn();
  getVersion = vi.fn(() => '0.1.0');
  getPath = vi.fn((_name: string) => '/nonexistent/tillscope-user-data');
  whenReady = vi.fn(() => this.readyPromise);
  /** Test hook: fire 'ready'. */
  makeReady(): void {
    this.resolveReady();
  }
}

export const app = new FakeApp();
export const ipcMain = new FakeIpcMain();
export const session = { defaultSession: new FakeSession() };
export const shell = { openExternal: vi.fn(async (_url: string) => undefined) };
export const BrowserWindow = FakeBrowserWindow;
export const Notification = FakeNotification;
export const contextBridge = { exposeInMainWorld: vi.fn() };
export const ipcRenderer = Object.assign(new EventEmitter(), { invoke: vi.fn(async () => undefined) });

export default { app, ipcMain, session, shell, BrowserWindow, Notification, contextBridge, ipcRenderer };
