import { DiagnosticsBundle, type DeviceReport } from '@tillscope/shared';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeReport } from '../probe-loop/fake-driver';
import { buildBundle, decodeText, type BundleSources } from './build-bundle';
import { fitJson, packBundle } from './fit-bundle';

const NOW = new Date('2026-11-30T18:00:00.000Z');
const CARD = '4111 1111 1111 1111';

/** What host-events reports: one OS log entry whose message carries a card number and a cashier. */
function eventsReport(message: string): DeviceReport {
  return {
    ...fakeReport('host-events'),
    kind: 'host',
    driver: 'host-events',
    evidence: { transport: 'os', target: 'localhost', exchanges: [] },
    host: { section: 'events', entries: [{ at: NOW.toISOString(), log: 'Application', source: 'Frontol', level: 'error', message }], unchecked: [] },
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bundle-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function sources(overrides: Partial<BundleSources> = {}): BundleSources {
  return {
    storeId: 'S001',
    registerId: 'R01',
    agentVersion: '0.1.0',
    now: () => NOW,
    reports: () => [fakeReport('printer-1'), eventsReport(`оплата картой ${CARD} не прошла, кассир: Иванова А.А.`)],
    inventory: () => [{ deviceId: 'printer-1', kind: 'receipt-printer', driver: 'escpos', transport: 'tcp', target: '127.0.0.1:9100' }],
    logLines: () => [
      { at: NOW.toISOString(), level: 'info', module: 'link', message: 'connected' },
      { at: NOW.toISOString(), level: 'warn', module: 'http', message: 'retry with Authorization: Bearer sk-live-0123456789abcdef' },
    ],
    outboxState: async () => ({ rows: 2, bytes: 900, oldestAt: NOW.toISOString(), byType: { health: 2 } }),
    config: { server: 'https://console.example', storeId: 'S001', enrollmentToken: 'enroll-secret-123', devices: [{ id: 'fr', options: { password: 30 } }] },
    configPath: '/etc/tillscope/agent.json',
    configFiles: [],
    ...overrides,
  };
}

describe('buildBundle', () => {
  it('carries reports, inventory, log, outbox and files, with every planted secret gone and counted', async () => {
    const ini = path.join(dir, 'frontol.ini');
    await writeFile(ini, '[DB]\nServer=pos-db\nPassword=Fr0nt0l!\n[Shift]\nКассир: Петрова Ольга\n');
    const bundle = await buildBundle(sources({ configFiles: [{ name: 'frontol.ini', path: ini }, { name: 'missing.ini', path: path.join(dir, 'nope.ini') }] }), { ticketId: 7, requestedBy: 'eng' });
    expect(DiagnosticsBundle.safeParse(bundle).success).toBe(true);
    const json = JSON.stringify(bundle);
    for (const secret of ['enroll-secret-123', 'Fr0nt0l!', 'Петрова', 'sk-live-0123456789abcdef', CARD, 'Иванова']) expect(json, secret).not.toContain(secret);
    expect(bundle).toMatchObject({
      format: 'tillscope-bundle/1', createdAt: NOW.toISOString(), storeId: 'S001', registerId: 'R01', ticketId: 7, requestedBy: 'eng',
      outbox: { rows: 2, byType: { health: 2 } },
      redactions: { password: 2, token: 2, card_number: 1, cashier_name: 2 },
    });
    expect(bundle.devices.map((r) => r.deviceId)).toEqual(['printer-1']);
    expect(bundle.host.map((r) => r.deviceId)).toEqual(['host-events']);
    expect(bundle.osEvents[0]!.message).toBe('оплата картой [redacted:card_number] не прошла, кассир: [redacted:cashier_name]');
    expect(bundle.agentLog[1]!.message).toBe('retry with Authorization: [redacted:token]');
    expect(bundle.files.map((f) => [f.name, f.error === undefined])).toEqual([['agent config', true], ['frontol.ini', true], ['missing.ini', false]]);
    expect(JSON.parse(bundle.files[0]!.content!)).toMatchObject({ server: 'https://console.example', enrollmentToken: '[redacted:token]', devices: [{ options: { password: '[redacted:password]' } }] });
    expect(bundle.files[1]!.content).toContain('Server=pos-db\nPassword=[redacted:password]');
    expect(bundle.files[2]).toMatchObject({ content: null, error: expect.stringContaining('ENOENT') });
  });

  it('reads only the head of a long file and says it was cut', async () => {
    const big = path.join(dir, 'big.log');
    await writeFile(big, 'x'.repeat(600 * 1024));
    const bundle = await buildBundle(sources({ configFiles: [{ name: 'big.log', path: big }] }), {});
    expect(bundle.files[1]).toMatchObject({ truncated: true });
    expect(bundle.files[1]!.content).toHaveLength(512 * 1024);
  });

  it('decodes UTF-16 with a BOM and Windows-1251 as well as UTF-8', () => {
    expect(decodeText(Buffer.from([0xff, 0xfe, ...Buffer.from('Касса', 'utf16le')]))).toBe('Касса');
    expect(decodeText(Buffer.from([0xca, 0xe0, 0xf1, 0xf1, 0xe0]))).toBe('Касса'); // cp1251
    expect(decodeText(Buffer.from('Касса'))).toBe('Касса');
  });
});

describe('packBundle', () => {
  it('cuts old log lines first to fit the JSON cap, and says so', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => ({ at: NOW.toISOString(), level: 'info' as const, module: 'probe', message: `line ${i} ${'.'.repeat(200)}` }));
    const bundle = await buildBundle(sources({ logLines: () => lines }), {});
    const { bundle: fitted, json } = fitJson(bundle, 120_000);
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(120_000);
    expect(fitted.agentLog.at(-1)!.message).toBe(lines.at(-1)!.message);
    expect(fitted.truncated).toEqual([`agentLog: kept the last ${fitted.agentLog.length} of 2000 lines`]);
    expect(bundle.agentLog).toHaveLength(2000); // the original is left alone
  });

  it('fits the gzipped cap with incompressible content, cutting the largest file', async () => {
    const noise = path.join(dir, 'noise.bin');
    await writeFile(noise, randomBytes(300 * 1024).toString('base64'));
    const bundle = await buildBundle(sources({ configFiles: [{ name: 'noise', path: noise }] }), {});
    const packed = packBundle(bundle, { maxJsonBytes: 4 * 1024 * 1024, maxUploadBytes: 100 * 1024 });
    expect(packed.gzipped.length).toBeLessThanOrEqual(100 * 1024);
    const parsed = DiagnosticsBundle.parse(JSON.parse(gunzipSync(packed.gzipped).toString('utf8')));
    expect(parsed.truncated).toContain('files: cut noise');
    expect(parsed.files[1]).toMatchObject({ name: 'noise', truncated: true });
  });
});
