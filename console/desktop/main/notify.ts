import { Notification, type BrowserWindow } from 'electron';
import { events } from '../common/ipc-channels';

/** A native notification; clicking it brings the console window forward and, given a ticket, opens it there. */
export function showNotification(title: string, body: string, win: BrowserWindow | null, ticketId?: number): void {
  if (!Notification.isSupported()) return;
  const notification = new Notification({ title, body });
  notification.on('click', () => {
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
    if (ticketId !== undefined) win.webContents.send(events.openTicket, ticketId);
  });
  notification.show();
}
