import { isStructuredExchange } from '@tillscope/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { healthyRegister, type AtolStatePatch } from '../../scripts/sim/atol/register-state';
import type { AtolSimulator } from '../../scripts/sim/atol/simulator';
import { eventually } from './console-client';
import { ago, DAY, inDays } from './fiscal-clock';
import { useEndToEndStack } from './stack-fixture';

// ATOL faults end to end: the simulated web requests server on loopback HTTP, the real agent with
// the atol driver, a real WebSocket to the real console and its SQLite file, read back through the
// REST API. Each round sets faults that give distinct findings at once, checks each ticket (code,
// group, structured evidence, checklist, due before the blocking date), clears them and waits for
// every ticket to resolve by itself. Finally the never-fiscal rule over the simulator's whole log.

const STORE = 'msk-001';
const REGISTER = 'pos-1';
const noWarnings = healthyRegister(new Date()).fnWarnings;

const ROUNDS: [string, AtolStatePatch, string[]][] = [
  [
    'printer, shift, FN and OFD warnings, clock',
    {
      paperPresent: false,
      coverOpened: true,
      shiftOpenedAt: ago(23.5 * 3_600_000),
      fnValidUntil: inDays(20),
      fnWarnings: { ...noWarnings, memoryOverflow: true },
      unsentCount: 40,
      firstUnsentAt: ago(6 * DAY),
      ofdNetworkError: 2,
      clockOffsetSeconds: 900,
    },
    ['fiscal.paper_end', 'fiscal.cover_open', 'fiscal.shift_over_23h', 'fiscal.fn_expires_30d', 'fiscal.fn_archive_90', 'fiscal.ofd_unsent_warning', 'fiscal.ofd_connection_error', 'fiscal.clock_drift'],
  ],
  [
    'printer fault, expired shift, FN 3 days and critical, OFD critical',
    { printerError: true, shiftOpenedAt: ago(25 * 3_600_000), fnValidUntil: inDays(2), fnWarnings: { ...noWarnings, criticalError: true }, unsentCount: 300, firstUnsentAt: ago(26 * DAY) },
    ['fiscal.printer_error', 'fiscal.shift_expired', 'fiscal.fn_expires_3d', 'fiscal.fn_critical_error', 'fiscal.ofd_unsent_critical'],
  ],
  ['FN expired, OFD lock', { fnValidUntil: inDays(-1), unsentCount: 900, firstUnsentAt: ago(31 * DAY) }, ['fiscal.fn_expired', 'fiscal.ofd_unsent_blocked']],
  ['port busy', { taskFaults: { getDeviceStatus: { error: 3 } } }, ['fiscal.port_busy']],
  ['web server down', { serverDown: true }, ['fiscal.no_reply']],
  ['queue blocked by another client', { blockedQueue: true }, ['fiscal.queue_blocked']],
  ['slow queue', { taskDelayMs: 3_000 }, ['fiscal.queue_timeout']],
];

describe('ATOL faults to tickets, end to end', () => {
  const e2e = useEndToEndStack('atol', {
    registers: [{ storeId: STORE, registerId: REGISTER, printer: 'tcp', model: 'Epson TM-T20II', fiscal: { driver: 'atol', model: 'АТОЛ 30Ф' } }],
  });
  let sim: AtolSimulator;

  beforeAll(() => {
    const fiscal = e2e.stack.register(`${STORE}/${REGISTER}`).fiscal;
    if (fiscal?.driver !== 'atol') throw new Error('the register has no ATOL simulator');
    sim = fiscal.simulator;
  });

  const activeFiscal = async () => (await e2e.api.tickets('active')).filter((t) => t.storeId === STORE && t.registerId === REGISTER && t.deviceId === 'kkt');

  it.each(ROUNDS)('%s: a ticket per finding, resolved once cleared', async (_name, state, codes) => {
    await eventually('no active fiscal ticket before the round', async () => (await activeFiscal()).length === 0);
    sim.setState(state);
    try {
      await checkRound(codes);
    } finally {
      sim.resetState();
    }
  });

  async function checkRound(codes: string[]): Promise<void> {
    const opened = await eventually(`tickets ${codes.join(', ')}`, async () => {
      const tickets = await activeFiscal();
      return codes.every((code) => tickets.some((t) => t.code === code)) ? tickets : null;
    });
    expect(opened.map((t) => t.code).sort()).toEqual([...codes].sort());
    for (const summary of opened) {
      expect(summary).toMatchObject({ group: 'fiscal', status: 'open', active: true });
      const detail = await e2e.api.ticket(summary.id);
      expect(detail.evidence?.transport).toBe('http');
      expect(detail.evidence?.target).toBe(sim.baseUrl);
      expect(detail.evidence?.exchanges.length).toBeGreaterThan(0);
      expect(detail.evidence?.exchanges.every(isStructuredExchange)).toBe(true);
      expect(detail.checklist.map((a) => a.step)).toContain('fiscal.answers');
      // due before the register blocks, when that is still ahead
      if (summary.blockingAt && Date.parse(summary.blockingAt) > Date.parse(summary.openedAt)) expect(Date.parse(summary.resolveBy)).toBeLessThanOrEqual(Date.parse(summary.blockingAt));
    }

    sim.resetState();
    await eventually('every ticket resolved by itself', async () => {
      const details = await Promise.all(opened.map((t) => e2e.api.ticket(t.id)));
      return details.every((d) => d.status === 'resolved' && !d.active) || null;
    }, 30_000);
  }

  it('never a fiscal task, never a DELETE: checked on everything the simulator received', () => {
    const allowed = new Set(['getDeviceStatus', 'getShiftStatus', 'getFnStatus', 'getFnInfo', 'ofdExchangeStatus', 'ismExchangeStatus', 'getDeviceInfo']);
    const log = sim.log();
    expect(log.tasks.length).toBeGreaterThan(50);
    expect(log.tasks.filter((t) => !allowed.has(t.type))).toEqual([]);
    expect(log.requests.filter((r) => r.method !== 'POST' && r.method !== 'GET')).toEqual([]);
  });
});
