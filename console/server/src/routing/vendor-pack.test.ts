import { ErrorBody, TicketList, VendorPack } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { onSecondConnection, registerFlowForEachTest, type RegisterFlow } from '../test-support/console-harness';
import { fiscalReport, healthMessage, PAPER_END, printerReport } from '../test-support/device-reports';
import { esc } from './vendor-pack-html';

// The vendor hand-off pack through the real HTTP server on a real SQLite file: what a vendor gets
// as JSON and as a printable page, and that a hostile device string stays text in that page.

let flow: RegisterFlow;
registerFlowForEachTest((started) => (flow = started), ['printer-1', 'kkt-1']);

const HOSTILE = {
  model: '<script>alert("model")</script>',
  serial: '"><img src=x onerror=alert(1)>',
  firmware: "3.0.' onmouseover='alert(2)",
  fnSerial: '9999078900001234',
  ffdVersion: '1.2&amp;',
};

async function get(route: string): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(`${flow.test.server.url}${route}`, { headers: { cookie: flow.cookie } });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

async function escalatedTicket(): Promise<number> {
  await flow.agent.request(healthMessage('h-1', [printerReport({ findings: [PAPER_END] }), fiscalReport({ identity: HOSTILE })]));
  const [ticket] = TicketList.parse(JSON.parse((await get('/api/tickets')).text)).tickets;
  const post = (verb: string, body: unknown) => fetch(`${flow.test.server.url}/api/tickets/${ticket!.id}/${verb}`, {
    method: 'POST', headers: { cookie: flow.cookie, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  expect((await post('notes', { text: 'replaced the paper roll </td><script>alert(3)</script>' })).status).toBe(200);
  expect((await post('escalate', { to: 'vendor', vendor: 'Epson <b>', reference: 'EP-1', reason: 'cutter still jams' })).status).toBe(200);
  return ticket!.id;
}

describe('GET /api/tickets/:id/vendor-pack', () => {
  it('answers the VendorPack: the ticket, its register, every device\'s identity, evidence, checklist, what was tried', async () => {
    const id = await escalatedTicket();
    const { status, headers, text } = await get(`/api/tickets/${id}/vendor-pack?download=1`);
    expect(status).toBe(200);
    expect(headers.get('content-disposition')).toBe(`attachment; filename="tillscope-ticket-${id}-vendor-pack.json"`);
    const pack = VendorPack.parse(JSON.parse(text));
    expect(pack).toMatchObject({
      generatedBy: 'eve',
      ticket: { id, code: 'printer.paper_end', severity: 'major', priority: 2, detail: PAPER_END.detail, occurrences: 1 },
      store: { storeId: 'store-7', registerId: 'till-2', hostname: 'till-01', osPlatform: 'linux', osRelease: '6.1', agentVersion: '0.1.0' },
      vendor: { vendor: 'Epson <b>', reference: 'EP-1', escalatedBy: 'eve', dueAt: null },
      bundle: null,
    });
    // the ticket's own device first, then the register's others with their identity
    expect(pack.devices.map((d) => [d.deviceId, d.model])).toEqual([['printer-1', 'TM-T20III'], ['kkt-1', HOSTILE.model]]);
    expect(pack.devices[1]!.identity).toEqual(HOSTILE);
    expect(pack.evidence?.exchanges[0]?.reply).toBe('72');
    expect(pack.checklist).toContainEqual({ step: 'printer.paper', result: 'failed', observed: 'paper end sensor: no paper' });
    expect(pack.tried.map((e) => e.kind)).toEqual(['opened', 'note', 'escalated']);
    expect((await get(`/api/tickets/${id}/vendor-pack`)).headers.get('content-disposition')).toMatch(/^inline; filename="tillscope-ticket-\d+-vendor-pack\.json"$/);
  });

  it('links the register\'s latest diagnostics bundle when there is one', async () => {
    const id = await escalatedTicket();
    await onSecondConnection(flow.test.dataDir, async (sql) => {
      const { id: agentId } = (await sql.get<{ id: string }>('SELECT id FROM agents'))!;
      for (const [n, at] of [[1, '2026-11-22T09:00:00.000Z'], [2, '2026-11-22T09:30:00.000Z']] as const) {
        await sql.run(
          `INSERT INTO bundles (id, agent_id, command_id, ticket_id, created_at, received_at, size_bytes, sha256, redactions_json, truncated_json, content)
           VALUES (?, ?, ?, NULL, ?, ?, 10, ?, '{}', '[]', x'00')`,
          `bnd-00000000-0000-0000-0000-00000000000${n}`, agentId, `cmd-${n}`, at, at, String(n).repeat(64),
        );
      }
    });
    const pack = VendorPack.parse(JSON.parse((await get(`/api/tickets/${id}/vendor-pack`)).text));
    expect(pack.bundle).toEqual({
      id: 'bnd-00000000-0000-0000-0000-000000000002', receivedAt: '2026-11-22T09:30:00.000Z', sizeBytes: 10, sha256: '2'.repeat(64),
      downloadPath: '/api/bundles/bnd-00000000-0000-0000-0000-000000000002',
    });
    expect((await get(`/api/tickets/${id}/vendor-pack.html`)).text).toContain('<a href="/api/bundles/bnd-00000000-0000-0000-0000-000000000002">');
  });

  it('404 for an unknown ticket, 400 for a bad id, 401 without a session', async () => {
    const missing = await get('/api/tickets/999/vendor-pack.html');
    expect([missing.status, ErrorBody.parse(JSON.parse(missing.text)).code]).toEqual([404, 'not_found']);
    expect((await get('/api/tickets/abc/vendor-pack')).status).toBe(400);
    expect((await fetch(`${flow.test.server.url}/api/tickets/1/vendor-pack`)).status).toBe(401);
  });
});

describe('GET /api/tickets/:id/vendor-pack.html', () => {
  it('is a printable page, Russian first, with every untrusted string escaped and no script', async () => {
    const id = await escalatedTicket();
    const { status, headers, text } = await get(`/api/tickets/${id}/vendor-pack.html`);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(headers.get('content-disposition')).toBe(`inline; filename="tillscope-ticket-${id}-vendor-pack.html"`);
    expect((await get(`/api/tickets/${id}/vendor-pack.html?download=1`)).headers.get('content-disposition')).toBe(`attachment; filename="tillscope-ticket-${id}-vendor-pack.html"`);

    // hostile strings appear only escaped: no tag, attribute or entity of theirs survives
    const tags = new Set([...text.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)].map((match) => match[1]!.toLowerCase()));
    expect([...tags].sort()).toEqual(['body', 'h1', 'h2', 'head', 'html', 'meta', 'p', 'pre', 'span', 'style', 'table', 'td', 'th', 'title', 'tr']);
    for (const value of [...Object.values(HOSTILE), 'Epson <b>', 'replaced the paper roll </td><script>alert(3)</script>']) expect(text).toContain(esc(value));
    expect(text).toContain('&#60;script&#62;alert(&#34;model&#34;)&#60;/script&#62;');
    expect(text).toContain('3.0.&#39; onmouseover=&#39;alert(2)');
    expect(text).toContain('1.2&#38;amp;');
    // what a vendor needs, Russian before English
    for (const [ru, en] of [['Номер ФН', 'FN number'], ['Прошивка', 'Firmware'], ['Что уже сделано', 'What was tried'], ['Результаты проверок', 'Checklist results']] as const) {
      expect(text.indexOf(ru), ru).toBeGreaterThan(0);
      expect(text.indexOf(ru)).toBeLessThan(text.indexOf(en));
    }
    expect(text).toContain('<td>Эскалирована <span class="en">/ Escalated</span></td>');
    expect(text).toContain('9999078900001234');
    expect(text).toContain('EP-1');
    expect(text).toMatch(/@media print/);
    expect(text).toContain('<html lang="ru">');
  });
});

describe('esc', () => {
  it('escapes the five characters that matter in HTML text and attributes', () => {
    expect(esc(`<a href="x" title='y'>&</a>`)).toBe('&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
    expect(esc(42)).toBe('42');
  });
});

