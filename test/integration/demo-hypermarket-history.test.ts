import { RegisterList, slaClock, TicketList, VendorPack, type TicketSummary } from '@tillscope/shared';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { logIn } from '../../scripts/demo/console-api';
import { setUpServiceDesk } from '../../scripts/demo/service-desk';
import { HISTORY_STORE, seedHypermarketHistory } from '../../scripts/demo/ticket-history';
import { demoRegisters } from '../../scripts/demo/timeline';
import { DEMO_USERS, startStack, type Stack } from '../../scripts/lib/stack';
import { eventually } from './console-client';

// The demo's seeded service-desk history, on a real stack of the hypermarket's two registers: the
// agents are stopped and started around it (the stack's power cut), the past tickets are written by
// the ticket rules, the engineer's moves go over REST, and the live printer keeps its fault standing.
let dataDir: string;
let stack: Stack;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tillscope-desk-history-'));
  stack = await startStack({ dataDir, agentMode: 'in-process', probeIntervalSec: 1, reportIntervalSec: 2, registers: demoRegisters(new Date()).filter((r) => r.storeId === HISTORY_STORE) });
});
afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const clockOf = (ticket: TicketSummary) => slaClock({ startAt: ticket.openedAt, dueAt: ticket.resolveBy, doneAt: null, pausedAt: ticket.pausedAt }, Date.now()).state;

it('leaves an overdue, an amber and a vendor ticket, moved with reasons, the vendor one kept open by its live printer', async () => {
  // As the demo does first: the stores' zones and hours (the hypermarket is open 24/7), calendar, holds.
  const setUp = await setUpServiceDesk(await logIn(stack.consoleUrl(), DEMO_USERS.admin), new Date());
  expect(setUp.lines.join('\n')).not.toMatch(/could not|not in this build/);
  const engineer = await logIn(stack.consoleUrl(), DEMO_USERS.engineer);
  const seededAt = new Date().toISOString();
  const lines = await seedHypermarketHistory({ stack, consoleDataDir: join(dataDir, 'console'), engineer, engineerName: DEMO_USERS.engineer.username });
  expect(lines.join('\n')).not.toMatch(/not in this build|never enrolled/);
  expect([...stack.registers.values()].every((r) => r.powered())).toBe(true);

  const get = <T>(path: string, parse: (v: unknown) => T) => engineer.get(path, parse).then((value) => value!);
  // Both agents came back and reported again after the past was written.
  await eventually('the registers to report again', async () => {
    const { registers } = await get(`/api/registers?storeId=${HISTORY_STORE}`, (v) => RegisterList.parse(v));
    return registers.length === 2 && registers.every((r) => r.connected && (r.lastSeenAt ?? '') > seededAt);
  }, 60_000);
  const { tickets } = await get('/api/tickets?status=active', (v) => TicketList.parse(v));
  const cashier = tickets.filter((t) => t.code === 'cashier.problem_reported').sort((a, b) => a.openedAt.localeCompare(b.openedAt));
  expect(cashier.map((t) => [clockOf(t), t.group, t.reassignments])).toEqual([['overdue', 'network', 1], ['amber', 'pos_software', 1]]);

  const printer = tickets.find((t) => t.code === 'printer.unrecoverable_error');
  expect(printer).toMatchObject({ registerId: 'pos-1', active: true, escalations: 1 });
  const pack = await get(`/api/tickets/${printer!.id}/vendor-pack`, (v) => VendorPack.parse(v));
  expect(pack.vendor?.reference).toBe('EPS-2611-0457');
  expect(pack.tried.map((event) => event.kind)).toContain('taken');
}, 120_000);
