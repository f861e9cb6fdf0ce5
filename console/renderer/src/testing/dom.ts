import { render, type VNode } from 'preact';
import { act } from 'preact/test-utils';
import { afterAll, afterEach } from 'vitest';
import { FeedClient } from '../api/feed';

/**
 * Preact runs effects after paint: on the next animation frame, or after a 100 ms timeout that then
 * calls cancelAnimationFrame. A timeout still pending when the file ends would fire after jsdom's
 * globals are gone ("cancelAnimationFrame is not defined", an unhandled error that fails the run).
 */
const PREACT_AFTER_PAINT_MS = 100;

/** `mount(vnode)` renders into a fresh element of the jsdom document; each test's is unmounted and removed after it. */
export function mountPerTest(): (vnode: VNode<any>) => HTMLElement {
  let root: HTMLElement | null = null;
  // Let the last effects' after-paint timeouts run while the jsdom globals still exist.
  afterAll(() => new Promise<void>((resolve) => setTimeout(resolve, PREACT_AFTER_PAINT_MS + 50)));
  afterEach(() => {
    if (!root) return;
    const done = root;
    act(() => render(null, done));
    done.remove();
    root = null;
  });
  return (vnode) => {
    const el = document.createElement('div');
    root = el;
    document.body.appendChild(el);
    act(() => render(vnode, el));
    return el;
  };
}

/** Lets pending promises and a zero timeout run, inside act(). */
export const flush = () => act(async () => new Promise((r) => setTimeout(r, 0)));

/** Flushes until `ready` gives something (a chunk loaded on demand takes a few tasks); fails after `tries`. */
export async function flushUntil<T>(ready: () => T | null | undefined | false, tries = 100): Promise<T> {
  for (let attempt = 0; attempt < tries; attempt += 1) {
    const value = ready();
    if (value) return value;
    await flush();
  }
  throw new Error(`not ready after ${tries} flushes`);
}

/** A live feed that never connects. */
export function silentFeed(): FeedClient {
  return new FeedClient({ url: 'ws://x/ws/feed', createSocket: () => ({ onopen: null, onmessage: null, onclose: null, onerror: null, close() {} }) });
}
