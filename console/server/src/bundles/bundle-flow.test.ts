import { PROTOCOL_VERSION, TicketBundles, TicketDetail, TicketList, type DiagnosticsBundle } from '@tillscope/shared';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { apiCall, ENGINEER, registerFlowForEachTest, type TestAgent, type TestConsole } from '../test-support/console-harness';
import { healthMessage, PAPER_END, printerReport } from '../test-support/device-reports';

let test: TestConsole;
let cookie: string;
let agent: TestAgent;
let credential: string;

registerFlowForEachTest((flow) => ({ test, cookie, agent, credential } = flow), ['printer-1']);

function bundleOf(overrides: Partial<DiagnosticsBundle> = {}): DiagnosticsBundle {
  return {
    format: 'tillscope-bundle/1', createdAt: '2026-11-30T18:00:00.000Z', storeId: 'store-7', registerId: 'till-2', agentVersion: '0.1.0',
    host: [], devices: [printerReport({ findings: [PAPER_END] })], inventory: [], agentLog: [{ at: '2026-11-30T17:59:00.000Z', level: 'info', module: 'link', message: 'connected' }],
    osEvents: [], outbox: { rows: 0, bytes: 0, oldestAt: null, byType: {} }, files: [],
    redactions: { password: 1, token: 0, card_number: 2, cashier_name: 0 }, truncated: ['agentLog: kept the last 100 of 2000 lines'],
    ...overrides,
  };
}

async function upload(commandId: string, body: Buffer, bearer: string | null = credential): Promise<{ status: number; json: any }> {
  const response = await fetch(`${test.server.url}/api/agent/bundles?commandId=${encodeURIComponent(commandId)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/gzip', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: new Uint8Array(body),
  });
  return { status: response.status, json: await response.json() };
}

async function ticketWithRequest(): Promise<{ ticketId: number; commandId: string }> {
  await agent.request(healthMessage('h-1', [printerReport({ findings: [PAPER_END] })]));
  const ticketId = TicketList.parse((await apiCall(test.server.url, 'GET', '/api/tickets?status=all', cookie)).json).tickets[0]!.id;
  const asked = await apiCall(test.server.url, 'POST', `/api/tickets/${ticketId}/bundle`, cookie);
  expect(asked.status).toBe(202);
  return { ticketId, commandId: asked.json.commandId as string };
}

const bundles = async (ticketId: number) => TicketBundles.parse((await apiCall(test.server.url, 'GET', `/api/tickets/${ticketId}/bundles`, cookie)).json);
const timeline = async (ticketId: number) => TicketDetail.parse((await apiCall(test.server.url, 'GET', `/api/tickets/${ticketId}`, cookie)).json).timeline;

describe('diagnostics bundle from a ticket', () => {
  it('request → collect_bundle command → upload → answer: stored, listed, on the timeline, downloadable', async () => {
    const { ticketId, commandId } = await ticketWithRequest();
    const command = await agent.waitFor((m) => m.type === 'command');
    expect(command.payload).toEqual({ commandId, verb: 'collect_bundle', ticketId, requestedBy: ENGINEER.username });
    expect((await bundles(ticketId)).pending).toMatchObject({ commandId, requestedBy: ENGINEER.username });
    // one request at a time
    expect(await apiCall(test.server.url, 'POST', `/api/tickets/${ticketId}/bundle`, cookie)).toMatchObject({ status: 409, json: { code: 'conflict' } });

    const gzipped = gzipSync(JSON.stringify(bundleOf()));
    const uploaded = await upload(commandId, gzipped);
    expect(uploaded).toMatchObject({ status: 201, json: { ok: true, bundleId: expect.stringMatching(/^bnd-/) } });
    const { bundleId } = uploaded.json as { bundleId: string };
    expect(await upload(commandId, gzipped)).toMatchObject({ status: 409, json: { code: 'conflict' } });

    const ack = await agent.request({
      v: PROTOCOL_VERSION, type: 'command_result', id: 'cr-1', ts: '2026-11-30T18:00:01.000Z',
      payload: { commandId, ok: true, devices: [], bundle: { bundleId, sizeBytes: gzipped.length, sha256: 'a'.repeat(64), createdAt: '2026-11-30T18:00:00.000Z', redactions: bundleOf().redactions, truncated: [] } },
    });
    expect(ack).toEqual({ ackOf: 'cr-1', ok: true });
    const listed = await bundles(ticketId);
    expect(listed).toMatchObject({ pending: null, failed: null, bundles: [{ bundleId, ticketId, requestedBy: ENGINEER.username, sizeBytes: gzipped.length, redactions: { password: 1, card_number: 2 }, truncated: ['agentLog: kept the last 100 of 2000 lines'] }] });
    expect((await timeline(ticketId)).filter((e) => e.kind.startsWith('bundle')).map((e) => [e.kind, e.actor, e.text])).toEqual([
      ['bundle_requested', ENGINEER.username, `requested by ${ENGINEER.username}`],
      ['bundle', null, `${bundleId} (${gzipped.length} bytes gzipped; redacted: password 1, card_number 2; cut: agentLog: kept the last 100 of 2000 lines)`],
    ]);

    for (const encoding of ['gzip', 'identity']) {
      const download = await fetch(`${test.server.url}/api/bundles/${bundleId}`, { headers: { cookie, 'accept-encoding': encoding } });
      expect(download.status).toBe(200);
      expect(download.headers.get('content-disposition')).toBe('attachment; filename="tillscope-bundle-store-7-till-2-2026-11-30T18-00-00-000Z.json"');
      expect(download.headers.get('content-encoding')).toBe(encoding === 'gzip' ? 'gzip' : null);
      expect(await download.json()).toEqual(bundleOf());
    }
    expect((await fetch(`${test.server.url}/api/bundles/${bundleId}`)).status).toBe(401);
    expect((await apiCall(test.server.url, 'GET', '/api/bundles/bnd-00000000-0000-0000-0000-000000000000', cookie)).status).toBe(404);
  });

  it('refuses uploads without the credential, for commands not sent, over the caps, not gzip, not a bundle, of another register', async () => {
    const { commandId } = await ticketWithRequest();
    const good = gzipSync(JSON.stringify(bundleOf()));
    expect(await upload(commandId, good, null)).toMatchObject({ status: 401, json: { code: 'unauthorized' } });
    expect(await upload(commandId, good, `${credential}x`)).toMatchObject({ status: 401, json: { code: 'unauthorized' } });
    expect(await upload('cmd-not-sent', good)).toMatchObject({ status: 404, json: { code: 'not_found' } });
    expect(await upload(commandId, randomBytes(1024 * 1024 + 1))).toMatchObject({ status: 413, json: { code: 'frame_too_large' } });
    expect(await upload(commandId, gzipSync(Buffer.alloc(5 * 1024 * 1024, 0x20)))).toMatchObject({ status: 413, json: { code: 'frame_too_large' } });
    expect(await upload(commandId, Buffer.from('{"not":"gzip"}'))).toMatchObject({ status: 400, json: { code: 'bad_request' } });
    expect(await upload(commandId, gzipSync('not json'))).toMatchObject({ status: 400, json: { code: 'malformed_json' } });
    expect(await upload(commandId, gzipSync(JSON.stringify({ format: 'other' })))).toMatchObject({ status: 400, json: { code: 'bad_request', issues: expect.any(Array) } });
    expect(await upload(commandId, gzipSync(JSON.stringify(bundleOf({ registerId: 'till-9' }))))).toMatchObject({ status: 400, json: { message: expect.stringMatching(/not of this register/) } });
    // none of them was stored: the good one still goes in
    expect(await upload(commandId, good)).toMatchObject({ status: 201 });
  });

  it("a failed collection shows on the ticket with the agent's code and message", async () => {
    const { ticketId, commandId } = await ticketWithRequest();
    await agent.request({ v: PROTOCOL_VERSION, type: 'command_result', id: 'cr-1', ts: '2026-11-30T18:00:01.000Z', payload: { commandId, ok: false, code: 'cannot_connect', message: 'cannot upload: ECONNREFUSED' } });
    expect(await bundles(ticketId)).toMatchObject({ bundles: [], pending: null, failed: { commandId, code: 'cannot_connect', message: 'cannot upload: ECONNREFUSED' } });
    expect((await timeline(ticketId)).at(-1)).toMatchObject({ kind: 'bundle', text: 'failed: cannot_connect: cannot upload: ECONNREFUSED' });
    // and a new request may be made at once
    expect((await apiCall(test.server.url, 'POST', `/api/tickets/${ticketId}/bundle`, cookie)).status).toBe(202);
  });

  it('refuses a request when the register is offline, and for an unknown ticket', async () => {
    await agent.request(healthMessage('h-1', [printerReport({ findings: [PAPER_END] })]));
    const ticketId = TicketList.parse((await apiCall(test.server.url, 'GET', '/api/tickets?status=all', cookie)).json).tickets[0]!.id;
    expect((await apiCall(test.server.url, 'POST', '/api/tickets/99999/bundle', cookie)).status).toBe(404);
    expect((await apiCall(test.server.url, 'GET', '/api/tickets/99999/bundles', cookie)).status).toBe(404);
    agent.close();
    await agent.closed;
    expect(await apiCall(test.server.url, 'POST', `/api/tickets/${ticketId}/bundle`, cookie)).toMatchObject({ status: 409, json: { message: expect.stringMatching(/not connected/) } });
  });
});
