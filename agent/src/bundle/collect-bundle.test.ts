import { DiagnosticsBundle } from '@tillscope/shared';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { moduleLogger, recordingLogger } from '../logger';
import { fakeReport } from '../probe-loop/fake-driver';
import { createBundleCollector } from './collect-bundle';

interface Received {
  url: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: Buffer;
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A loopback HTTP server standing in for the console's upload route: answers every upload with `status` and `body`. */
async function uploadServer(status: number, body: unknown): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ url: request.url ?? '', authorization: request.headers.authorization, contentType: request.headers['content-type'], body: Buffer.concat(chunks) });
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, received };
}

function collector(url: string | null, log = recordingLogger()) {
  return createBundleCollector({
    sources: {
      storeId: 'S001', registerId: 'R01', agentVersion: '0.1.0', now: () => new Date('2026-11-30T18:00:00.000Z'),
      reports: () => [fakeReport('printer-1')], inventory: () => [], logLines: () => [],
      outboxState: async () => ({ rows: 0, bytes: 0, oldestAt: null, byType: {} }),
      config: { server: url, enrollmentToken: 'enroll-secret-123' }, configFiles: [],
    },
    credential: async () => (url ? { server: url, credential: 'agent-1.secret' } : null),
    signal: new AbortController().signal,
    log: moduleLogger(log, 'bundle'),
  });
}

const command = { commandId: 'cmd-1', verb: 'collect_bundle' as const, ticketId: 5, requestedBy: 'eng' };

describe('collect_bundle', () => {
  it('uploads the gzipped, redacted bundle with the Bearer credential and answers with its summary', async () => {
    const { url, received } = await uploadServer(201, { ok: true, bundleId: 'bnd-1' });
    const result = await collector(url)(command);
    expect(received).toHaveLength(1);
    const upload = received[0]!;
    expect(upload).toMatchObject({ url: '/api/agent/bundles?commandId=cmd-1', authorization: 'Bearer agent-1.secret', contentType: 'application/gzip' });
    const bundle = DiagnosticsBundle.parse(JSON.parse(gunzipSync(upload.body).toString('utf8')));
    expect(bundle).toMatchObject({ ticketId: 5, requestedBy: 'eng', devices: [{ deviceId: 'printer-1' }] });
    expect(JSON.stringify(bundle)).not.toContain('enroll-secret-123');
    expect(result).toEqual({
      commandId: 'cmd-1', ok: true, devices: [],
      bundle: {
        bundleId: 'bnd-1', sizeBytes: upload.body.length, sha256: createHash('sha256').update(upload.body).digest('hex'),
        createdAt: '2026-11-30T18:00:00.000Z', redactions: { password: 0, token: 1, card_number: 0, cashier_name: 0 }, truncated: [],
      },
    });
  });

  it("answers with the console's error code when it refuses the upload", async () => {
    const { url } = await uploadServer(401, { ok: false, code: 'unauthorized', message: 'missing or wrong agent credential' });
    expect(await collector(url)(command)).toMatchObject({ commandId: 'cmd-1', ok: false, code: 'unauthorized', message: expect.stringContaining('HTTP 401') });
  });

  it('answers cannot_connect when the console is unreachable, unauthorized before enrollment, busy while one runs', async () => {
    const { url } = await uploadServer(201, { ok: true, bundleId: 'bnd-1' });
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    expect(await collector(url)(command)).toMatchObject({ ok: false, code: 'cannot_connect' });
    expect(await collector(null)(command)).toMatchObject({ ok: false, code: 'unauthorized' });

    const live = await uploadServer(201, { ok: true, bundleId: 'bnd-2' });
    const collect = collector(live.url);
    const [first, second] = await Promise.all([collect(command), collect({ ...command, commandId: 'cmd-2' })]);
    expect(first).toMatchObject({ ok: true, bundle: { bundleId: 'bnd-2' } });
    expect(second).toMatchObject({ commandId: 'cmd-2', ok: false, code: 'busy' });
  });

  it('an answer that is not the console\'s is a protocol error', async () => {
    const { url } = await uploadServer(200, { hello: 'world' });
    expect(await collector(url)(command)).toMatchObject({ ok: false, code: 'protocol' });
  });
});
