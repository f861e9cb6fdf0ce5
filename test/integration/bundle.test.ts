import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../scripts/lib/stack';
import { eventually, forRegister } from './console-client';
import { useEndToEndStack } from './stack-fixture';

// The diagnostics bundle end to end: the real console and the real agent over WebSocket and HTTP on
// loopback. An engineer asks from a ticket, the agent builds the bundle (its config, a named
// configuration file with planted secrets, the printer's report, its log, the outbox), redacts it,
// uploads it gzipped with its credential; the console stores it, lists it on the ticket and serves
// it as a file. Nothing planted may come through.

const PLANTED = { password: 'Fr0nt0l-S3cret!', cashier: 'Петрова Ольга', card: '4111 1111 1111 1111', token: 'ofd-token-7f3a9c2e5b' };
const filesDir = mkdtempSync(join(tmpdir(), 'tillscope-bundle-files-'));
const frontolIni = join(filesDir, 'frontol.ini');
writeFileSync(
  frontolIni,
  ['[Database]', 'Server=pos-db.local', `Password=${PLANTED.password}`, '[Shift]', `Кассир: ${PLANTED.cashier}`, `LastCard=${PLANTED.card}`, `[OFD]`, `AccessToken=${PLANTED.token}`, 'Port=5432', ''].join('\r\n'),
);
afterAll(() => rmSync(filesDir, { recursive: true, force: true }));

describe('diagnostics bundle, end to end', () => {
  const e2e = useEndToEndStack('bundle', {
    registers: [{ storeId: 'msk-301', registerId: 'pos-4', printer: 'tcp', model: 'Epson TM-T20III' }],
    hostConfigFiles: [{ name: 'frontol.ini', path: frontolIni }, { name: 'missing.ini', path: join(filesDir, 'missing.ini') }],
  });

  it('is asked from a ticket, uploaded by the agent, listed on the ticket and downloaded without the secrets', async () => {
    e2e.stack.register('msk-301/pos-4').simulator.setFaults({ paperEnd: true });
    const ticket = await eventually('a paper-end ticket', async () => forRegister(await e2e.api.tickets('active'), 'msk-301', 'pos-4', 'printer.paper_end')[0]);

    await e2e.api.collectBundle(ticket.id);
    const listed = await eventually('the bundle on the ticket', async () => {
      const state = await e2e.api.bundles(ticket.id);
      return state.bundles.length > 0 && state.pending === null ? state : null;
    });
    expect(listed.failed).toBeNull();
    const stored = listed.bundles[0]!;
    expect(stored).toMatchObject({ ticketId: ticket.id, requestedBy: DEMO_USERS.engineer.username });
    expect(stored.redactions).toMatchObject({ password: expect.any(Number), token: expect.any(Number), card_number: 1, cashier_name: 1 });
    expect(stored.redactions.password).toBeGreaterThanOrEqual(1);
    // the enrollment token in the agent's config and the AccessToken line of the file
    expect(stored.redactions.token).toBeGreaterThanOrEqual(2);

    const { disposition, text, bundle } = await e2e.api.bundleFile(stored.bundleId);
    expect(disposition).toMatch(/^attachment; filename="tillscope-bundle-msk-301-pos-4-.+\.json"$/);
    for (const secret of [...Object.values(PLANTED), e2e.stack.enrollment.token]) expect(text, secret).not.toContain(secret);
    expect(bundle).toMatchObject({ storeId: 'msk-301', registerId: 'pos-4', ticketId: ticket.id, requestedBy: DEMO_USERS.engineer.username, redactions: stored.redactions });
    expect(bundle.devices.map((report) => report.deviceId)).toContain('printer');
    expect(bundle.devices.find((report) => report.deviceId === 'printer')!.findings.map((f) => f.code)).toContain('printer.paper_end');
    expect(bundle.inventory.map((item) => item.deviceId)).toContain('printer');
    expect(bundle.agentLog.length).toBeGreaterThan(0);
    expect(bundle.outbox).toMatchObject({ rows: expect.any(Number), byType: expect.any(Object) });
    const [config, ini, missing] = bundle.files;
    expect(config).toMatchObject({ name: 'agent config', path: expect.stringMatching(/agent\.json$/) });
    expect(JSON.parse(config!.content!)).toMatchObject({ storeId: 'msk-301', enrollmentToken: '[redacted:token]' });
    expect(ini).toMatchObject({ name: 'frontol.ini', truncated: false });
    expect(ini!.content).toContain('Server=pos-db.local\r\nPassword=[redacted:password]');
    expect(ini!.content).toContain('Port=5432');
    expect(missing).toMatchObject({ name: 'missing.ini', content: null, error: expect.stringContaining('ENOENT') });

    const kinds = (await e2e.api.ticket(ticket.id)).timeline.filter((e) => e.kind.startsWith('bundle'));
    expect(kinds.map((e) => e.kind)).toEqual(['bundle_requested', 'bundle']);
    expect(kinds[1]!.text).toContain(stored.bundleId);
  });
});
