import { describe, expect, it, vi } from 'vitest';
import { bootstrap } from './app';
import { app, FakeBrowserWindow, ipcMain, session } from './testing/fake-electron';
import { channels } from '../common/ipc-channels';

vi.mock('electron', () => import('./testing/fake-electron'));

describe('bootstrap', () => {
  it('wires a sandboxed, locked-down window on the configured server', async () => {
    const started = bootstrap({ preloadPath: '/app/preload.cjs', env: { TILLSCOPE_SERVER_URL: 'https://console.example' } });
    expect(app.enableSandbox).toHaveBeenCalled();
    app.makeReady();
    await started.ready;

    const win = FakeBrowserWindow.instances.at(-1)!;
    expect(win.loadURL).toHaveBeenCalledWith('https://console.example/');
    expect(win.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true });

    const fakeSession = session.defaultSession;
    expect(fakeSession.setPermissionRequestHandler).toHaveBeenCalled();
    expect(fakeSession.webRequest.onHeadersReceived).toHaveBeenCalled();
    expect([...ipcMain.handlers.keys()].sort()).toEqual(Object.values(channels).sort());

    // any other web contents created later gets the same navigation lock
    const other = new FakeBrowserWindow({}).webContents;
    app.emit('web-contents-created', {}, other);
    expect(other.navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(other.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });
});
