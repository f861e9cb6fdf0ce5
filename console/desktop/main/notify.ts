import { Notification, type BrowserWindow } from 'electron';

/** A native notification; clicking it brings the console window forward. */
export function showNotification(title: string, body: string, win: BrowserWindow | null): void {
  if (!Notification.isSupported()) return;
  const notification = new Notification({ title, body });
  notification.on('click', () => {
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  });
  notification.show();
}
