import type { ChecklistResult, ChecklistStep, DiagnosisCode, TicketSummary } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import type { Stack } from '../../scripts/lib/stack';
import { STAR_DEVICE_ID } from '../../scripts/lib/stack-star';
import { ptyModeAvailable } from '../../scripts/sim/escpos/simulator';
import { eventually } from './console-client';
import { NO_HOLDS } from '../../console/server/src/noise/noise-settings';
import { useEndToEndStack } from './stack-fixture';
import { FAULT_ROUNDS, type FaultExpectation, type PrinterFamily } from './printer-fault-table';

// Issue 9's fault matrix, end to end: each fault on each printer family and transport it applies
// to gives the right diagnosis code, severity and checklist answer on a console ticket, and
// clearing the fault resolves that ticket by itself. Every part is real: the simulators on loopback
// TCP and socat pseudo-terminals, the agents, WebSocket, the console server and its SQLite file.
// The table of expectations is printer-fault-table.ts. A round sets one fault on every printer it
// applies to at once (the printers are independent), so the whole matrix costs a few probe
// intervals per fault, not per cell.

const hasSocat = ptyModeAvailable();
const link = (wanted: 'tcp' | 'pty') => (wanted === 'pty' && !hasSocat ? 'tcp' : wanted);

interface Cell {
  family: PrinterFamily;
  storeId: string;
  registerId: string;
  deviceId: string;
  transport: 'tcp' | 'pty';
  setFaults(patch: Record<string, boolean>): void;
}

function cellsOf(stack: Stack): Cell[] {
  const cells: Cell[] = [];
  for (const register of stack.registers.values()) {
    const { storeId, registerId } = register.spec;
    const family: PrinterFamily = register.spec.printerSim === 'clone' ? 'clone' : 'epson';
    cells.push({
      family, storeId, registerId, deviceId: 'printer', transport: register.printerTransport,
      setFaults: (patch) => register.simulator.setFaults(patch),
    });
    const star = register.star;
    if (star) {
      cells.push({
        family: 'star', storeId, registerId, deviceId: STAR_DEVICE_ID, transport: star.link,
        setFaults: (patch) => star.simulator.setFaults(patch),
      });
    }
  }
  return cells;
}

const onDevice = (tickets: TicketSummary[], cell: Cell) =>
  tickets.filter((t) => t.storeId === cell.storeId && t.registerId === cell.registerId && t.deviceId === cell.deviceId);

describe('printer fault matrix: every fault × family × transport to a ticket and back, end to end', () => {
  const e2e = useEndToEndStack('fault-matrix', {
    ptyAvailable: hasSocat,
    // Each round faults every printer of both stores at once: "no reply" on all of a store's
    // registers is a store incident by design (correlation/store-storm.test.ts). This matrix is about
    // each printer's own ticket, so the stores here never correlate.
    noise: { ...NO_HOLDS, correlation: { minRegisters: 10_000 } },
    registers: [
      { storeId: 'mx-1', registerId: 'tcp', printer: 'tcp', model: 'Epson TM-T20II', starPrinter: { model: 'Star TSP143', link: link('tcp') } },
      { storeId: 'mx-1', registerId: 'pty', printer: 'pty', model: 'Epson TM-T88V', starPrinter: { model: 'Star TSP650II', link: link('pty') } },
      { storeId: 'mx-2', registerId: 'tcp', printer: 'tcp', model: 'Xprinter clone', printerSim: 'clone' },
      { storeId: 'mx-2', registerId: 'pty', printer: 'pty', model: 'Xprinter clone', printerSim: 'clone' },
    ],
  });

  it('covers every family on both transports', () => {
    const cells = cellsOf(e2e.stack);
    const seen = new Set(cells.map((c) => `${c.family}/${c.transport}`));
    const expected = ['epson', 'clone', 'star'].flatMap((f) => (hasSocat ? [`${f}/tcp`, `${f}/pty`] : [`${f}/tcp`]));
    expect([...seen].sort()).toEqual(expected.sort());
  });

  for (const round of FAULT_ROUNDS) {
    it(`${round.name}: the right code, severity and checklist on each printer it applies to; clearing it resolves the ticket`, async () => {
      const cells = cellsOf(e2e.stack).flatMap((cell) => {
        const expectation = round.expect[cell.family];
        return expectation ? [{ cell, expectation, patch: round.patch[cell.family]! }] : [];
      });
      expect(cells.length).toBeGreaterThan(0);
      for (const { cell, patch } of cells) cell.setFaults(patch);

      const opened = await eventually(`${round.name} tickets on ${cells.length} printers`, async () => {
        const active = await e2e.api.tickets('active');
        const found = cells.map(({ cell, expectation }) => ticketsFor(onDevice(active, cell), expectation));
        return found.every((tickets) => tickets !== undefined) ? (found as TicketSummary[][]) : null;
      });

      for (const [index, { cell, expectation }] of cells.entries()) {
        const where = `${cell.family} over ${cell.transport}`;
        const tickets = opened[index]!;
        for (const [code, severity] of Object.entries(expectation.codes)) {
          const ticket = tickets.find((t) => t.code === code);
          expect(ticket?.severity, `${where}: ${code} severity`).toBe(severity);
        }
        const main = tickets.find((t) => t.code === expectation.checklistOn)!;
        const detail = await e2e.api.ticket(main.id);
        for (const [step, result] of Object.entries(expectation.checklist) as [ChecklistStep, ChecklistResult][]) {
          expect(detail.checklist.find((c) => c.step === step)?.result, `${where}: ${step} on ${main.code}`).toBe(result);
        }
        // Nothing else on that printer: a cause found is not also "offline", paper end is not "no reply".
        const others = onDevice(await e2e.api.tickets('active'), cell).filter((t) => !(t.code in expectation.codes));
        expect(others.map((t) => t.code), `${where}: unexpected tickets`).toEqual([]);
      }

      const clear = (patch: Record<string, boolean>) => Object.fromEntries(Object.keys(patch).map((key) => [key, false]));
      for (const { cell, patch } of cells) cell.setFaults(clear(patch));
      const ids = opened.flat().map((t) => t.id);
      await eventually(`${ids.length} tickets resolved by themselves`, async () => {
        const details = await Promise.all(ids.map((id) => e2e.api.ticket(id)));
        return details.every((t) => t.status === 'resolved' && t.timeline.some((e) => e.kind === 'auto_resolved')) || null;
      });
    });
  }
});

/** The active tickets of one printer carrying every expected code, or undefined while one is missing. */
function ticketsFor(tickets: TicketSummary[], expectation: FaultExpectation): TicketSummary[] | undefined {
  const codes = Object.keys(expectation.codes) as DiagnosisCode[];
  const found = codes.map((code) => tickets.find((t) => t.code === code && t.status !== 'resolved'));
  return found.every((t): t is TicketSummary => t !== undefined) ? found : undefined;
}

