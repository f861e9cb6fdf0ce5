import { FeedMessage, parseFrame, type DiagnosisCode } from '@tillscope/shared';
import WebSocket from 'ws';

/**
 * A logged-in console client on /ws/feed (what the queue screen listens to): resolves a waiter with
 * the arrival time (performance.now()) of the first message showing an open ticket of `code` for a
 * register, so "ticket visible" is timed where an engineer's screen would see it.
 */
export class FeedClient {
  private readonly waiters = new Map<string, (at: number) => void>();

  private constructor(private readonly socket: WebSocket, private readonly code: DiagnosisCode) {
    socket.on('message', (data) => {
      const at = performance.now();
      const parsed = parseFrame(String(data), FeedMessage, ['ticket', 'register']);
      if (!parsed.ok || parsed.value.type !== 'ticket') return;
      const ticket = parsed.value.payload;
      if (ticket.code !== this.code || ticket.status !== 'open') return;
      this.waiters.get(`${ticket.storeId}/${ticket.registerId}`)?.(at);
    });
  }

  static async connect(url: string, cookie: string, code: DiagnosisCode = 'printer.paper_end'): Promise<FeedClient> {
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/ws/feed`, { headers: { cookie, origin: url }, perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new FeedClient(socket, code);
  }

  /** Resolves with the arrival time of the register's open ticket; rejects after `timeoutMs`. */
  waitForOpenTicket(register: string, timeoutMs: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(register);
        reject(new Error(`no open ticket for ${register} on the feed within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.set(register, (at) => {
        clearTimeout(timer);
        this.waiters.delete(register);
        resolve(at);
      });
    });
  }

  close(): void {
    this.socket.terminate();
  }
}
