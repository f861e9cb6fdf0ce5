import { describe, expect, it, vi } from 'vitest';
import { makeRegister, makeTicket } from '../testing/fixtures';
import { backoffDelay, FeedClient, feedUrl, type SocketLike } from './feed';

class FakeSocket implements SocketLike {
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  closed = false;
  constructor(public url: string) {}
  close() {
    this.closed = true;
  }
  open() {
    this.onopen?.({});
  }
  drop() {
    this.onclose?.({});
  }
  send(data: unknown) {
    this.onmessage?.({ data: typeof data === 'string' ? data : JSON.stringify(data) });
  }
}

function harness() {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const feed = new FeedClient({
    url: 'ws://console/ws/feed',
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    random: () => 0.5,
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => undefined,
  });
  return { feed, sockets, timers };
}

describe('FeedClient', () => {
  it('goes live, delivers valid messages and drops invalid ones', () => {
    const { feed, sockets } = harness();
    const states: string[] = [];
    const got: unknown[] = [];
    feed.onState((s) => states.push(s));
    feed.onMessage((m) => got.push(m));
    feed.start();
    sockets[0]!.open();
    sockets[0]!.send({ v: 1, type: 'ticket', payload: makeTicket(1) });
    sockets[0]!.send({ v: 1, type: 'register', payload: makeRegister('a') });
    sockets[0]!.send('not json');
    sockets[0]!.send({ v: 2, type: 'ticket', payload: makeTicket(1) });
    sockets[0]!.send({ v: 1, type: 'ticket', payload: { ...makeTicket(1), priority: 9 } });
    sockets[0]!.send({ v: 1, type: 'shell', payload: 'rm -rf /' });
    expect(states).toEqual(['connecting', 'live']);
    expect(got).toHaveLength(2);
    expect(feed.rejected).toBe(4);
  });

  it('reconnects with growing delays and tells listeners to reload', () => {
    const { feed, sockets, timers } = harness();
    const reconnects = vi.fn();
    feed.onReconnect(reconnects);
    feed.start();
    sockets[0]!.open();
    sockets[0]!.drop();
    expect(feed.state).toBe('reconnecting');
    expect(timers[0]!.ms).toBe(1000);
    timers[0]!.fn();
    sockets[1]!.drop();
    expect(timers[1]!.ms).toBe(2000);
    timers[1]!.fn();
    sockets[2]!.drop();
    expect(timers[2]!.ms).toBe(4000);
    timers[2]!.fn();
    sockets[3]!.open();
    expect(feed.state).toBe('live');
    expect(reconnects).toHaveBeenCalledTimes(1);
    sockets[3]!.drop();
    expect(timers[3]!.ms).toBe(1000); // reset after a successful connection
  });

  it('stops cleanly', () => {
    const { feed, sockets, timers } = harness();
    feed.start();
    sockets[0]!.open();
    feed.stop();
    expect(sockets[0]!.closed).toBe(true);
    expect(feed.state).toBe('stopped');
    sockets[0]!.drop();
    expect(timers).toHaveLength(0);
  });

  it('caps and jitters the backoff', () => {
    expect(backoffDelay(20, 1000, 30_000, () => 0.5)).toBe(30_000);
    expect(backoffDelay(0, 1000, 30_000, () => 0)).toBe(800);
    expect(backoffDelay(0, 1000, 30_000, () => 1)).toBe(1200);
  });

  it('uses the page origin for the feed URL', () => {
    expect(feedUrl({ protocol: 'https:', host: 'console.example' })).toBe('wss://console.example/ws/feed');
    expect(feedUrl({ protocol: 'http:', host: '127.0.0.1:8080' })).toBe('ws://127.0.0.1:8080/ws/feed');
  });
});
