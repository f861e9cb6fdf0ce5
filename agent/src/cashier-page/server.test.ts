import { SYMPTOMS } from '@tillscope/shared';
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PAGE_HTML, pageScript } from './assets';
import { request } from './http-test-client';
import { createCashierPage, type CashierPage, type ReportRequest } from './server';
import { PAGE_STRINGS } from './strings';

let page: CashierPage;
let base: string;
let submitted: ReportRequest[];
/** Every call that changes state: reports, answers, test prints. */
let changes: string[];

beforeEach(async () => {
  submitted = [];
  changes = [];
  page = createCashierPage({
    port: 0,
    registerId: 'till-7',
    maxReportsPerMinute: 3,
    async submitReport(req) {
      submitted.push(req);
      changes.push(`report ${req.symptom}`);
      // A note of "disk full" stands for a report the disk refused (held in memory only).
      return { reportId: `r-${submitted.length}`, saved: req.note !== 'disk full' };
    },
    async reportStatus(id) {
      return id === 'r-1' ? { state: 'queued', saved: true, working: null, connected: false } : null;
    },
    async recordAnswer(id, working) {
      changes.push(`answer ${id} ${working}`);
      return id === 'r-1' ? 'recorded' : id === 'r-3' ? 'no_ticket' : id === 'r-4' ? 'not_saved' : 'not_found';
    },
    async testPrint(id) {
      changes.push(`test print ${id}`);
      return id === 'r-1' ? { kind: 'done', outcome: 'printed', saved: true } : id === 'r-2' ? { kind: 'busy' } : { kind: 'not_found' };
    },
    status: () => ({ connected: true, devices: [{ deviceId: 'p1', health: 'fault' }], canTestPrint: true }),
  });
  base = await page.start();
});
afterEach(async () => {
  await page.stop();
});

describe('cashier page server', () => {
  it('listens on 127.0.0.1 only', async () => {
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    // The URL is built from a literal; what the socket is bound to is what counts. On Linux all of
    // 127/8 is loopback, so a page bound to 0.0.0.0 would answer on 127.0.0.2 too.
    if (process.platform === 'linux') {
      const port = Number(new URL(base).port);
      const outcome = await new Promise<string>((resolve) => {
        const socket = net.connect({ host: '127.0.0.2', port });
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      });
      expect(outcome).toBe('ECONNREFUSED');
    }
  });

  it('never answers 201 for a report that is not on disk: 503 not_saved with its id and the register', async () => {
    const res = await request(`${base}api/reports`, { method: 'POST', body: { symptom: 'other', note: 'disk full', locale: 'ru' } });
    expect(res.status).toBe(503);
    expect(res.json()).toMatchObject({ ok: false, code: 'not_saved', reportId: 'r-1', registerId: 'till-7' });
    const answer = await request(`${base}api/reports/r-4/answer`, { method: 'POST', body: { working: true } });
    expect(answer.status).toBe(503);
    expect(answer.json()).toMatchObject({ ok: false, code: 'not_saved' });
    expect((await request(`${base}api/status`)).json()).toMatchObject({ registerId: 'till-7' });
  });

  it('queues a valid report and answers its id', async () => {
    const res = await request(`${base}api/reports`, { method: 'POST', body: { symptom: 'no_receipt', note: ' нет\u0007 бумаги ', locale: 'ru' } });
    expect(res.status).toBe(201);
    expect(res.json()).toEqual({ reportId: 'r-1' });
    expect(submitted).toEqual([{ symptom: 'no_receipt', note: 'нет  бумаги', locale: 'ru' }]);
  });

  it('answers 400 with a message naming the field for a bad body', async () => {
    const res = await request(`${base}api/reports`, { method: 'POST', body: { symptom: 'explosion', note: 'x'.repeat(501) } });
    expect(res.status).toBe(400);
    const body = res.json();
    expect(body).toMatchObject({ ok: false, code: 'bad_request' });
    expect(body.message).toMatch(/symptom: /);
    expect(body.message).toMatch(/note: /);
    expect(submitted).toEqual([]);

    const broken = await request(`${base}api/reports`, { method: 'POST', rawBody: '{"symptom":' });
    expect(broken.status).toBe(400);
    expect(broken.json().code).toBe('malformed_json');
  });

  it('refuses a wrong Host (DNS rebinding) and a foreign Origin with 403', async () => {
    const port = new URL(base).port;
    const wrongHost = await request(`${base}api/reports`, { method: 'POST', headers: { host: `evil.example:${port}` }, body: { symptom: 'other' } });
    expect(wrongHost.status).toBe(403);
    const wrongHostGet = await request(base, { headers: { host: 'evil.example' } });
    expect(wrongHostGet.status).toBe(403);
    const foreign = await request(`${base}api/reports`, { method: 'POST', headers: { origin: 'https://evil.example' }, body: { symptom: 'other' } });
    expect(foreign.status).toBe(403);
    expect(submitted).toEqual([]);

    const own = await request(`${base}api/reports`, { method: 'POST', headers: { host: `localhost:${port}`, origin: `http://localhost:${port}` }, body: { symptom: 'other' } });
    expect(own.status).toBe(201);
  });

  it('changes nothing on GET or HEAD, whatever the path and query: only POST with a JSON body does', async () => {
    const reads = [
      '', 'index.html', 'page.js', 'api/status', 'api/reports', 'api/reports?symptom=other&note=x', 'api/reports/r-1',
      'api/reports/r-1/answer', 'api/reports/r-1/answer?working=true', 'api/reports/r-1/test-print', 'api/reports/r-1/test-print?go=1',
    ];
    for (const method of ['GET', 'HEAD']) {
      for (const route of reads) {
        const res = await request(`${base}${route}`, { method });
        expect([200, 404, 405], `${method} /${route}`).toContain(res.status);
      }
    }
    // The state-changing routes answer a read with 405 (use POST), never with their effect.
    for (const route of ['api/reports', 'api/reports/r-1/answer', 'api/reports/r-1/test-print']) {
      expect((await request(`${base}${route}`)).status, route).toBe(405);
    }
    expect(changes).toEqual([]);
  });

  it('refuses what another web page open on the register could send: cross-site fetch metadata, an opaque origin, a rebinding Host', async () => {
    const port = new URL(base).port;
    const attempts: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      { origin: 'null' }, // a sandboxed frame or a file:// page
      { origin: `http://127.0.0.1:${Number(port) + 1}` }, // another local service's page
      { origin: `https://127.0.0.1:${port}` },
      { host: '127.0.0.1' }, // no port: not this page
      { host: `127.0.0.1.evil.example:${port}` },
    ];
    for (const headers of attempts) {
      const report = await request(`${base}api/reports`, { method: 'POST', headers, body: { symptom: 'other' } });
      expect(report.status, JSON.stringify(headers)).toBe(403);
      expect(report.json()).toMatchObject({ ok: false, code: 'forbidden' });
      expect((await request(`${base}api/reports/r-1/answer`, { method: 'POST', headers, body: { working: true } })).status).toBe(403);
      expect((await request(`${base}api/reports/r-1/test-print`, { method: 'POST', headers, body: {} })).status).toBe(403);
    }
    expect(changes).toEqual([]);
    // The page itself (same origin, or no Origin from a plain navigation) is served.
    expect((await request(`${base}api/reports/r-1/answer`, { method: 'POST', headers: { origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'same-origin' }, body: { working: true } })).status).toBe(200);
    expect(changes).toEqual(['answer r-1 true']);
  });

  it('accepts only application/json bodies (no cross-site form posts)', async () => {
    const res = await request(`${base}api/reports`, { method: 'POST', headers: { 'content-type': 'text/plain' }, rawBody: '{"symptom":"other"}' });
    expect(res.status).toBe(415);
    expect(submitted).toEqual([]);
  });

  it('rate-limits a flood of reports', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await request(`${base}api/reports`, { method: 'POST', body: { symptom: 'other' } })).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
  });

  it('reports state, 404 for unknown ids, and records the answer', async () => {
    expect((await request(`${base}api/reports/r-1`)).json()).toEqual({ state: 'queued', saved: true, working: null, connected: false });
    expect((await request(`${base}api/reports/nope`)).status).toBe(404);
    expect((await request(`${base}api/reports/..%2F..%2Fetc`)).status).toBe(404);
    expect((await request(`${base}api/reports/r-1/answer`, { method: 'POST', body: { working: false } })).status).toBe(200);
    expect((await request(`${base}api/reports/r-2/answer`, { method: 'POST', body: { working: false } })).status).toBe(404);
    const early = await request(`${base}api/reports/r-3/answer`, { method: 'POST', body: { working: true } });
    expect(early.status).toBe(409);
    expect(early.json()).toMatchObject({ ok: false, code: 'conflict' });
    expect((await request(`${base}api/status`)).json()).toEqual({ registerId: 'till-7', connected: true, canTestPrint: true, devices: [{ deviceId: 'p1', health: 'fault' }] });
  });

  it('runs a test print only on a POST with a JSON body, and answers its outcome, 409 while one runs, 404 for an unknown report', async () => {
    const post = (id: string, body: unknown = {}) => request(`${base}api/reports/${id}/test-print`, { method: 'POST', body });
    expect((await post('r-1')).json()).toEqual({ outcome: 'printed', saved: true });
    expect((await post('r-2')).status).toBe(409);
    expect((await post('r-9')).status).toBe(404);
    expect((await request(`${base}api/reports/r-1/test-print`)).status).toBe(405);
    expect((await post('r-1', { extra: 1 })).status).toBe(400);
  });

  it('serves the page with a CSP that forbids inline code, and no inline code to forbid', async () => {
    for (const [file, type] of [['', 'text/html'], ['page.js', 'text/javascript'], ['page.css', 'text/css']] as const) {
      const res = await request(`${base}${file}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain(type);
      expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
    expect(PAGE_HTML).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(PAGE_HTML).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    expect(pageScript()).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });
});

describe('cashier page strings', () => {
  it('has every string in both languages', () => {
    const ruKeys = Object.keys(PAGE_STRINGS.ru).sort();
    expect(Object.keys(PAGE_STRINGS.en).sort()).toEqual(ruKeys);
    for (const locale of ['ru', 'en'] as const) {
      for (const key of ruKeys) expect(PAGE_STRINGS[locale][key as keyof typeof PAGE_STRINGS.ru].trim(), `${locale}.${key}`).not.toBe('');
    }
    for (const symptom of Object.values(SYMPTOMS)) {
      expect(symptom.title.ru).not.toBe('');
      expect(symptom.title.en).not.toBe('');
    }
  });

  it('says what the cashier needs to hear, in Russian first', () => {
    expect(PAGE_STRINGS.ru.send).toBe('Отправить');
    expect(PAGE_STRINGS.ru.ticketNumber).toBe('Заявка №{n}');
    expect(PAGE_STRINGS.ru.reactWithin).toBe('Мы отреагируем в течение {n}');
    expect(PAGE_STRINGS.ru.savedOffline).toBe('Нет связи: сообщение сохранено и уйдёт первым делом');
    expect(PAGE_STRINGS.en.savedOffline).toBe('Offline: saved, will be sent first');
    expect(PAGE_STRINGS.ru.notSaved).toMatch(/^Заявка НЕ сохранена.*Позвоните в поддержку и назовите кассу: {n}/);
    expect(PAGE_STRINGS.en.notSaved).toMatch(/^The report was NOT saved.*Call the helpdesk and give this register: {n}/);
    expect(PAGE_STRINGS.ru.workingQuestion).toBe('Работает?');
    expect(PAGE_STRINGS.en.workingQuestion).toBe('Is it working now?');
    const script = pageScript();
    for (const title of ['Не печатает чек', 'Ошибка ККТ', 'Не работает сканер', 'Другое']) expect(script).toContain(title);
  });
});
