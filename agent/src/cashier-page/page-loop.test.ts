import type { TicketRef } from '@tillscope/shared';
import { JSDOM } from 'jsdom';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Agent } from '../create-agent';
import { startFakeConsoleServer, type FakeConsoleServer } from '../link/fake-console-server';
import { waitFor } from '../test-support/wait-for';
import { PAGE_HTML, pageScript } from './assets';
import { PAGE_STRINGS } from './strings';
import { createTestAgent } from './test-agent';

// The cashier loop as the cashier sees it: the real page script in a DOM (jsdom), talking over real
// HTTP to a real agent's page, whose agent talks over a real WebSocket to a console (the link's fake
// console: it acks with a ticket and pushes ticket_update frames as the real console does;
// console/server/src/cashier/cashier-loop.test.ts proves the real console sends them).

const ru = PAGE_STRINGS.ru;
let dir: string;
let server: FakeConsoleServer | undefined;
let agent: Agent | undefined;
let dom: JSDOM | undefined;
/** The page's fetches: the ones running, and whether the test is closing the page. */
const pageFetch = { closing: false, inFlight: new Set<Promise<Response>>() };

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cashier-page-loop-'));
});
afterEach(async () => {
  // The page's fetches are Node's, outside jsdom's timers: one still in flight would resume the page
  // script after close() (no document any more) as an unhandled rejection. No new ones start, the
  // running ones settle and their handlers run, then the window closes.
  pageFetch.closing = true;
  await Promise.allSettled([...pageFetch.inFlight]);
  await new Promise((resolve) => setTimeout(resolve, 50));
  dom?.window.close();
  dom = undefined;
  await agent?.stop();
  agent = undefined;
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** The page at the agent's URL with its script running; fetch goes over real HTTP to the agent. */
function openPage(base: string): JSDOM {
  const page = new JSDOM(PAGE_HTML, { url: base, runScripts: 'outside-only', pretendToBeVisual: true });
  pageFetch.closing = false;
  const pageFetchOf = (route: string, init?: RequestInit): Promise<Response> => {
    if (pageFetch.closing) return new Promise<Response>(() => undefined);
    const running = fetch(new URL(route, base), init);
    pageFetch.inFlight.add(running);
    void running.catch(() => undefined).finally(() => pageFetch.inFlight.delete(running));
    return running;
  };
  Object.assign(page.window, { fetch: pageFetchOf });
  page.window.eval(pageScript());
  page.window.document.dispatchEvent(new page.window.Event('DOMContentLoaded'));
  return page;
}

const text = (id: string) => dom!.window.document.getElementById(id)?.textContent ?? '';
const focused = () => dom!.window.document.activeElement?.id || dom!.window.document.activeElement?.getAttribute('data-symptom');

function click(selector: string): void {
  const element = dom!.window.document.querySelector(selector);
  if (!element) throw new Error(`no ${selector}`);
  element.click();
}

it('acknowledges with the number and promised time, follows every progress change pushed over the socket, then asks and answers', async () => {
  const reactBy = new Date(Date.now() + 15 * 60_000).toISOString();
  const ticket: TicketRef = { ticketId: 41, status: 'open', reactBy, reactMinutes: 15, progress: 'queued' };
  server = await startFakeConsoleServer({ ticketFor: (frame) => (frame.type === 'cashier_report' ? ticket : undefined) });
  agent = createTestAgent(dir, server.port);
  await agent.start();
  dom = openPage(agent.cashierPageUrl()!);

  click('[data-symptom="fiscal_error"]');
  // The pressed button keeps the keyboard focus (the buttons are updated, not rebuilt).
  dom.window.document.querySelector('[data-symptom="no_receipt"]')!.focus();
  click('[data-symptom="no_receipt"]');
  expect(focused()).toBe('no_receipt');
  expect(dom.window.document.querySelector('[data-symptom="no_receipt"]')!.getAttribute('aria-pressed')).toBe('true');
  click('#send');

  await waitFor('the acknowledgement', () => text('result-title') === 'Заявка №41');
  const until = new Date(reactBy).toLocaleString('ru-RU', { hour: '2-digit', minute: '2-digit' });
  expect(text('result-react')).toBe(`Мы отреагируем в течение 15 минут (до ${until})`);
  expect(text('result-status')).toBe(ru.progress_queued);
  expect(focused()).toBe('result-title');
  const reportId = server.frames.find((f) => f.type === 'cashier_report')!.id;

  for (const [progress, status, words] of [
    ['taken', 'in_progress', ru.progress_taken],
    ['waiting_vendor', 'in_progress', ru.progress_waiting_vendor],
    ['waiting_store', 'in_progress', ru.progress_waiting_store],
    ['taken', 'in_progress', ru.progress_taken],
  ] as const) {
    server.send('ticket_update', { reportId, ticket: { ...ticket, status, progress } });
    await waitFor(`progress ${progress}`, () => text('result-status') === words);
    expect(dom.window.document.getElementById('working')!.hidden).toBe(true);
  }

  const autoCloseAt = new Date(Date.now() + 24 * 3_600_000).toISOString();
  server.send('ticket_update', { reportId, ticket: { ...ticket, status: 'resolved', progress: 'resolved', autoCloseAt } });
  await waitFor('the question', () => !dom!.window.document.getElementById('working')!.hidden);
  expect(text('result-status')).toBe(ru.progress_resolved);
  expect(text('working-question')).toBe('Работает?');
  expect(text('auto-close')).toMatch(/^Если не ответить, заявка закроется сама .+/);
  // The keyboard is taken to the question, not onto "Да": a stray Enter answers nothing.
  expect(focused()).toBe('working-question');

  click('#working-yes');
  await waitFor('the answer sent', () => server!.frames.some((f) => f.type === 'cashier_feedback'));
  expect(server.frames.find((f) => f.type === 'cashier_feedback')!.payload).toMatchObject({ reportId, ticketId: 41, working: true });
  await waitFor('thanks', () => text('answer-note') === ru.answerThanks);
  expect(dom.window.document.getElementById('working')!.hidden).toBe(true);
  expect(text('auto-close')).toBe('');
});

it('offline: says the report is saved and goes first, and shows the ticket once the console is back', async () => {
  const probe = await startFakeConsoleServer();
  const port = probe.port;
  await probe.close();
  agent = createTestAgent(dir, port);
  await agent.start();
  dom = openPage(agent.cashierPageUrl()!);

  click('[data-symptom="scanner"]');
  click('#send');
  await waitFor('saved offline', () => text('result-status') === 'Нет связи: сообщение сохранено и уйдёт первым делом');
  expect(text('result-title')).toBe(ru.reportSaved);

  const ticket: TicketRef = { ticketId: 7, status: 'open', reactBy: new Date(Date.now() + 120 * 60_000).toISOString(), reactMinutes: 120, progress: 'queued' };
  server = await startFakeConsoleServer({ port, ticketFor: (frame) => (frame.type === 'cashier_report' ? ticket : undefined) });
  await waitFor('the ticket', () => text('result-title') === 'Заявка №7', 15_000);
  expect(text('result-react')).toMatch(/^Мы отреагируем в течение 120 минут \(до \d\d:\d\d\)$/);
});
