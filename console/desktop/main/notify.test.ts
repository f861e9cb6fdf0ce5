import type { BrowserWindow } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { events } from '../common/ipc-channels';
import { showNotification } from './notify';
import { FakeBrowserWindow, FakeNotification } from './testing/fake-electron';

vi.mock('electron', () => import('./testing/fake-electron'));

// A native notification clicked: the console window comes forward (restored if minimized) and,
// when the notification is about a ticket, the window is told to open it.

describe('showNotification', () => {
  beforeEach(() => {
    FakeNotification.shown = [];
    FakeNotification.isSupported.mockReturnValue(true);
  });

  it('a click restores and focuses the window and opens the ticket there', () => {
    const win = new FakeBrowserWindow({});
    win.isMinimized.mockReturnValue(true);
    showNotification('P1: новая заявка #7', 'Нет бумаги', win as unknown as BrowserWindow, 7);
    const [shown] = FakeNotification.shown;
    expect(shown!.options).toEqual({ title: 'P1: новая заявка #7', body: 'Нет бумаги' });
    shown!.emit('click');
    expect(win.restore).toHaveBeenCalled();
    expect(win.focus).toHaveBeenCalled();
    expect(win.webContents.send).toHaveBeenCalledWith(events.openTicket, 7);
  });

  it('without a ticket only focuses; a closed window is left alone; unsupported: nothing shown', () => {
    const win = new FakeBrowserWindow({});
    showNotification('t', 'b', win as unknown as BrowserWindow);
    FakeNotification.shown[0]!.emit('click');
    expect(win.focus).toHaveBeenCalled();
    expect(win.webContents.send).not.toHaveBeenCalled();

    const closed = new FakeBrowserWindow({});
    closed.destroyed = true;
    showNotification('t', 'b', closed as unknown as BrowserWindow, 3);
    FakeNotification.shown[1]!.emit('click');
    expect(closed.webContents.send).not.toHaveBeenCalled();

    FakeNotification.isSupported.mockReturnValue(false);
    showNotification('t', 'b', win as unknown as BrowserWindow, 3);
    expect(FakeNotification.shown).toHaveLength(2);
  });
});
