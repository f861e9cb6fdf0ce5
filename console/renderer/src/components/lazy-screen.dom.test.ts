// @vitest-environment jsdom
import { h } from 'preact';
import { describe, expect, it } from 'vitest';
import { byTestId, clickAndFlush } from '../testing/dom-actions';
import { flush, flushUntil, mountPerTest } from '../testing/dom';
import { lazyScreen } from './lazy-screen';

// A screen fetched on first use: a loading line, then the screen with its props; a failed fetch
// (the console was updated and the old chunk is gone) is an error with a retry, and the retry
// fetches again; once loaded, the screen shows at once and is never fetched again.

const mount = mountPerTest();

function Greeting({ name }: { name: string }) {
  return h('p', { 'data-testid': 'greeting' }, `Привет, ${name}`);
}

describe('lazyScreen', () => {
  it('shows a loading line, then the screen with its props; fetched once', async () => {
    let fetches = 0;
    let arrive: (screen: typeof Greeting) => void = () => undefined;
    const Screen = lazyScreen(() => {
      fetches += 1;
      return new Promise<typeof Greeting>((resolve) => (arrive = resolve));
    });
    const el = mount(h(Screen, { name: 'Анна' }));
    expect(el.textContent).toBe('Загрузка…');
    expect(el.querySelector('[aria-busy="true"]')).not.toBeNull();
    arrive(Greeting);
    expect((await flushUntil(() => el.querySelector('[data-testid="greeting"]'))).textContent).toBe('Привет, Анна');

    const again = mount(h(Screen, { name: 'Борис' }));
    expect(byTestId(again, 'greeting').textContent).toBe('Привет, Борис'); // no loading line the second time
    expect(fetches).toBe(1);
  });

  it('a failed fetch is an error with a retry that fetches again', async () => {
    let fetches = 0;
    const Screen = lazyScreen(async () => {
      fetches += 1;
      if (fetches === 1) throw new Error('Failed to fetch dynamically imported module');
      return Greeting;
    });
    const el = mount(h(Screen, { name: 'Анна' }));
    const banner = await flushUntil(() => el.querySelector<HTMLElement>('[data-testid="lazy-screen-error"]'));
    expect(banner.getAttribute('role')).toBe('alert');
    expect(banner.textContent).toContain('Failed to fetch dynamically imported module');
    await clickAndFlush(banner.querySelector('button')!);
    await flush();
    expect((await flushUntil(() => el.querySelector('[data-testid="greeting"]'))).textContent).toBe('Привет, Анна');
    expect(fetches).toBe(2);
  });
});
