import type { DemoFiscal } from '../lib/stack-fiscal';
import type { AtolStatePatch } from '../sim/atol/register-state';
import type { PrinterModel } from '../sim/escpos/models';
import type { PrinterFaultsPatch } from '../sim/escpos/printer-state';
import type { CupsState } from '../sim/cups/simulator';
import type { RegisterStatePatch } from '../sim/shtrih-m/register-state';
import type { DemoStarPrinter } from '../lib/stack-star';
import type { StarFaultsPatch } from '../sim/star/printer-state';

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
const daysFrom = (now: Date, days: number) => new Date(now.getTime() + days * DAY_MS);
/** "YYYY-MM-DD" of the local calendar day, as an FN validity date is written */
const localDay = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

export interface DemoRegister {
  storeId: string;
  registerId: string;
  /** how its simulated printer is reached: TCP 9100-style, or a serial line through a socat pseudo-terminal */
  printer: 'tcp' | 'pty';
  model: string;
  /**
   * Which printer the ESC/POS simulator plays (scripts/sim/escpos/models.ts): an Epson TM-like
   * printer (default), a clone that answers only DLE EOT 1 and 4, or one that never answers.
   */
  printerSim?: PrinterModel;
  /** a simulated fiscal register (ККТ) beside the printer */
  fiscal?: DemoFiscal;
  /** a second printer, a Star in line mode (e.g. for kitchen or order slips) */
  starPrinter?: DemoStarPrinter;
  /** the printer also has an OS print queue: a simulated CUPS queue (scripts/sim/cups) */
  printQueue?: true;
  /**
   * A second printer on a serial line (pty) that the agent config does not name, listed in the
   * config's `discovery.serialPaths`: "Поиск устройств" finds it and proposes an entry.
   */
  sparePrinter?: boolean;
  /**
   * A second printer entry whose serial port is really a Shtrih-M register's (a misconfiguration the
   * agent must catch: printer.wrong_device, and no printer byte to the register). Needs socat.
   */
  printerOnFiscalPort?: boolean;
  /** false: no host probes on this register even when the stack runs them (a lighter register) */
  hostProbes?: false;
}

/**
 * The demo store. Fiscal drives end at staggered dates (75 and 45 days from `now`, and the ATOL one
 * is brought to 2 days by the timeline) so the "fiscal drives to replace" list has an entry in each
 * of its 30/60/90-day buckets.
 */
export function demoRegisters(now: Date): DemoRegister[] {
  return [
    {
      storeId: 'msk-001',
      registerId: 'pos-1',
      printer: 'tcp',
      model: 'Epson TM-T20II',
      // A register selling ~300 documents a day: its FN archive forecast has a rate to work with.
      fiscal: { driver: 'shtrih-m', model: 'ШТРИХ-М-01Ф', link: 'pty', state: { documentsPerDay: 300, lastFdNumber: 148_200, fnValidUntil: localDay(daysFrom(now, 75)) } },
    },
    { storeId: 'msk-001', registerId: 'pos-2', printer: 'pty', model: 'Epson TM-T88V', sparePrinter: true },
    // A cheap clone that answers only DLE EOT 1 and 4: its paper end is still diagnosed and resolves.
    { storeId: 'spb-002', registerId: 'pos-1', printer: 'tcp', model: 'Xprinter XP-Q80I', printerSim: 'clone', printerOnFiscalPort: true, fiscal: { driver: 'atol', model: 'АТОЛ 30Ф' } },
    {
      storeId: 'spb-002',
      registerId: 'pos-2',
      printer: 'tcp',
      model: 'Epson TM-T20III',
      printQueue: true,
      fiscal: { driver: 'shtrih-m', model: 'ШТРИХ-ЛАЙТ-01Ф', link: 'tcp', state: { fnValidUntil: localDay(daysFrom(now, 45)), serialNumber: 22_334_455, fnSerial: '9999078900067890', deviceName: 'ШТРИХ-ЛАЙТ-01Ф' } },
      // A second receipt printer, a Star in Star line mode on a serial line (order slips).
      starPrinter: { model: 'Star TSP650II', link: 'pty' },
    },
    // The supermarket whose power fails a few minutes in (DEMO_POWER_TIMELINE): three plain registers.
    { storeId: 'ekb-003', registerId: 'pos-1', printer: 'tcp', model: 'Epson TM-T20III', hostProbes: false },
    { storeId: 'ekb-003', registerId: 'pos-2', printer: 'tcp', model: 'Epson TM-T20II', hostProbes: false },
    { storeId: 'ekb-003', registerId: 'pos-3', printer: 'tcp', model: 'Epson TM-T88V', hostProbes: false },
    // The 24/7 hypermarket, with a seeded history of tickets (scripts/demo/ticket-history.ts).
    { storeId: 'nsk-004', registerId: 'pos-1', printer: 'tcp', model: 'Epson TM-T88VI', hostProbes: false },
    { storeId: 'nsk-004', registerId: 'pos-2', printer: 'tcp', model: 'Epson TM-T20III', hostProbes: false },
  ];
}

export interface FaultStep {
  atSec: number;
  register: `${string}/${string}`;
  faults: PrinterFaultsPatch;
  /** what the demo prints when the step plays; empty: nothing (a step of a series already announced) */
  say: string;
}

/** A change on a register's simulated fiscal register; dates are relative to the moment it plays. */
export type FiscalStep = {
  atSec: number;
  register: `${string}/${string}`;
  say: string;
} & ({ driver: 'shtrih-m'; state: (now: Date) => RegisterStatePatch } | { driver: 'atol'; state: (now: Date) => AtolStatePatch });

/**
 * What happens in the demo store, repeated every `DEMO_CYCLE_SEC` so that someone who opens the
 * console late still sees tickets open and resolve. Faults are set on the simulated printers only;
 * everything after that (probe, finding, report, ticket, live feed) is the real path.
 */
export const DEMO_TIMELINE: FaultStep[] = [
  { atSec: 8, register: 'msk-001/pos-1', faults: { paperEnd: true }, say: 'msk-001/pos-1: the receipt printer runs out of paper' },
  { atSec: 14, register: 'spb-002/pos-2', faults: { coverOpen: true }, say: 'spb-002/pos-2: the printer cover opens' },
  { atSec: 24, register: 'msk-001/pos-2', faults: { paperNearEnd: true }, say: 'msk-001/pos-2: the paper roll is nearly out' },
  { atSec: 40, register: 'spb-002/pos-2', faults: { coverOpen: false }, say: 'spb-002/pos-2: the cover is closed again (its ticket resolves by itself)' },
  { atSec: 55, register: 'spb-002/pos-1', faults: { paperEnd: true }, say: 'spb-002/pos-1: the clone printer (answers DLE EOT 1 and 4 only) runs out of paper' },
  { atSec: 100, register: 'msk-001/pos-1', faults: { paperEnd: false }, say: 'msk-001/pos-1: a new roll is loaded' },
  { atSec: 105, register: 'msk-001/pos-1', faults: { cutterError: true }, say: 'msk-001/pos-1: the auto-cutter jams' },
  { atSec: 130, register: 'spb-002/pos-1', faults: { paperEnd: false }, say: 'spb-002/pos-1: a new roll in the clone printer (its ticket resolves: DLE EOT 4 vouches for paper)' },
  { atSec: 150, register: 'msk-001/pos-2', faults: { paperNearEnd: false }, say: 'msk-001/pos-2: the roll is replaced' },
  { atSec: 170, register: 'msk-001/pos-1', faults: { cutterError: false }, say: 'msk-001/pos-1: the jam is cleared' },
  // A loose cover latch: the cover opens and shuts four times, each time for less than its hold.
  ...[30, 40, 50, 60].flatMap((atSec, index): FaultStep[] => [
    {
      atSec, register: 'msk-001/pos-2', faults: { coverOpen: true },
      say: index === 0 ? 'msk-001/pos-2: the printer cover flaps open and shut (a loose latch, 4 times in 30 s, 3 s each, each shorter than its hold): one ticket marked flapping, not four' : '',
    },
    { atSec: atSec + 3, register: 'msk-001/pos-2', faults: { coverOpen: false }, say: '' },
  ]),
];

/**
 * A cashier changes the paper roll: the cover is open a few seconds, less than its hold, so no
 * ticket opens (it is still in the register's history). Each cycle on another powered register of
 * these (paperChangeRegister), so that no one printer repeats it often enough to count as flapping.
 */
export const DEMO_PAPER_CHANGE = {
  atSec: 85,
  openSec: 4,
  registers: ['ekb-003/pos-1', 'ekb-003/pos-2', 'ekb-003/pos-3', 'nsk-004/pos-1', 'nsk-004/pos-2'] as const,
};

/** A paper change already played: on which register, at which second of the demo. */
export interface PaperChange {
  key: string;
  atSec: number;
}

/**
 * The register of the paper change at `atSec`: among the powered ones, one that had fewer than
 * `perWindow` of them in the last `windowSec` (so it never flaps: the console's flap threshold
 * counts returns within its window), the least recently used first. undefined: none may, this
 * cycle has no paper change.
 */
export function paperChangeRegister(played: readonly PaperChange[], atSec: number, powered: (key: string) => boolean, limits: { perWindow: number; windowSec: number }): string | undefined {
  const recent = (key: string) => played.filter((change) => change.key === key && change.atSec > atSec - limits.windowSec);
  const lastAt = (key: string) => Math.max(-Infinity, ...played.filter((change) => change.key === key).map((change) => change.atSec));
  return DEMO_PAPER_CHANGE.registers
    .filter((key) => powered(key) && recent(key).length < limits.perWindow)
    .sort((a, b) => lastAt(a) - lastAt(b))[0];
}

/** A whole store losing power (its registers' agents stop) and getting it back, on its own cycle. */
export interface PowerStep {
  atSec: number;
  storeId: string;
  power: 'off' | 'on';
  say: string;
}

export const DEMO_POWER_CYCLE_SEC = 600;

/** The demo console's offline threshold: a register silent this long gets its offline ticket (or joins a store incident). */
export const DEMO_OFFLINE_AFTER_SEC = 90;

/** Whether a store has power `atSec` into the demo, by DEMO_POWER_TIMELINE. */
export function storePoweredAt(storeId: string, atSec: number): boolean {
  const inCycle = atSec % DEMO_POWER_CYCLE_SEC;
  const last = DEMO_POWER_TIMELINE.filter((step) => step.storeId === storeId && step.atSec <= inCycle).at(-1);
  return last?.power !== 'off';
}

export const DEMO_POWER_TIMELINE: PowerStep[] = [
  {
    atSec: 150, storeId: 'ekb-003', power: 'off',
    say: 'ekb-003: a power cut: all three registers go dark (after the 90 s offline threshold: one store incident "store.outage" with the registers\' tickets as its symptoms)',
  },
  { atSec: 330, storeId: 'ekb-003', power: 'on', say: 'ekb-003: power is back: the registers reconnect and the store incident resolves with its symptoms' },
];

/** A change of a register's simulated CUPS queue (registers with `printQueue`). */
export interface QueueStep {
  atSec: number;
  register: `${string}/${string}`;
  state: CupsState;
  say: string;
}

export const DEMO_QUEUE_TIMELINE: QueueStep[] = [
  { atSec: 70, register: 'spb-002/pos-2', state: 'disabled', say: 'spb-002/pos-2: the printer\'s CUPS queue is paused (cupsdisable)' },
  { atSec: 125, register: 'spb-002/pos-2', state: 'idle', say: 'spb-002/pos-2: the CUPS queue is resumed (its ticket resolves by itself)' },
];

export const DEMO_CYCLE_SEC = 180;

/** A change to a register's simulated host parts (scripts/sim/host): its USB tree, printer driver, POS config. */
export interface HostStep {
  atSec: number;
  register: `${string}/${string}`;
  change: { usb: 'printer' | 'usb-serial'; attached: boolean } | { driverVersion: string };
  say: string;
}

/**
 * The register itself, on the same cycle (the demo promotes msk-001/pos-1's state to the stores'
 * reference image once it has reported): an OS update brings a new printer driver to msk-001/pos-2,
 * which is drift from the reference until an engineer puts the reference driver back; a USB printer
 * is unplugged from spb-002/pos-2 during trading hours and plugged back.
 */
export const DEMO_HOST_TIMELINE: HostStep[] = [
  { atSec: 75, register: 'msk-001/pos-2', change: { driverVersion: '3.1.0' }, say: 'msk-001/pos-2: an OS update installs a newer printer driver (3.0.0 → 3.1.0): drift from the reference' },
  { atSec: 90, register: 'spb-002/pos-2', change: { usb: 'printer', attached: false }, say: 'spb-002/pos-2: the USB receipt printer is unplugged' },
  { atSec: 120, register: 'spb-002/pos-2', change: { usb: 'printer', attached: true }, say: 'spb-002/pos-2: the USB receipt printer is plugged back in' },
  { atSec: 160, register: 'msk-001/pos-2', change: { driverVersion: '3.0.0' }, say: 'msk-001/pos-2: an engineer restores the reference printer driver (its drift ticket resolves)' },
];

/** A change on a register's Star printer, on the same cycle. */
export interface StarStep {
  atSec: number;
  register: `${string}/${string}`;
  faults: StarFaultsPatch;
  say: string;
}

/**
 * The Star printer's part of the demo: its cover is left open within the first minutes, then shut.
 * Not a paper-out: spb-002/pos-1 runs out of paper at the same time, and the same code on most of a
 * store's registers within the correlation window is a store incident by design.
 */
export const DEMO_STAR_TIMELINE: StarStep[] = [
  { atSec: 60, register: 'spb-002/pos-2', faults: { coverOpen: true }, say: 'spb-002/pos-2: the Star printer\'s cover is left open' },
  { atSec: 145, register: 'spb-002/pos-2', faults: { coverOpen: false }, say: 'spb-002/pos-2: the Star printer\'s cover is shut (its ticket resolves by itself)' },
];

/**
 * The fiscal side of the demo store, on the same cycle: within the first minute documents pile up
 * unsent to the OFD on the Shtrih-M register (26 days: 4 days to the lock) and the ATOL register's
 * fiscal drive nears its end (2 days), so fiscal tickets with a blocking date are there to see;
 * a shift runs long on the ATOL register; then each is put right and its ticket resolves.
 */
export const DEMO_FISCAL_TIMELINE: FiscalStep[] = [
  {
    atSec: 12,
    register: 'msk-001/pos-1',
    driver: 'shtrih-m',
    state: (now) => ({ ofdUnsentCount: 57, ofdFirstUnsentNumber: 147_900, ofdFirstUnsentAt: daysFrom(now, -26).toISOString(), ofdConnected: false }),
    say: 'msk-001/pos-1: the Shtrih-M register has not reached the OFD for 26 days (57 documents unsent; sales lock in 4 days)',
  },
  {
    atSec: 20,
    register: 'spb-002/pos-1',
    driver: 'atol',
    state: (now) => ({ fnValidUntil: localDay(daysFrom(now, 2)) }),
    say: 'spb-002/pos-1: the ATOL register\'s fiscal drive (ФН) expires in 2 days',
  },
  {
    atSec: 45,
    register: 'spb-002/pos-1',
    driver: 'atol',
    state: (now) => ({ shiftOpen: true, shiftOpenedAt: new Date(now.getTime() - 23.5 * HOUR_MS).toISOString() }),
    say: 'spb-002/pos-1: the ATOL register\'s shift has been open 23.5 hours',
  },
  {
    atSec: 110,
    register: 'spb-002/pos-1',
    driver: 'atol',
    state: () => ({ shiftOpen: false }),
    say: 'spb-002/pos-1: the cashier closes the shift (Z report)',
  },
  {
    atSec: 140,
    register: 'msk-001/pos-1',
    driver: 'shtrih-m',
    state: () => ({ ofdUnsentCount: 0, ofdFirstUnsentAt: null, ofdConnected: true }),
    say: 'msk-001/pos-1: the OFD link is back and the backlog is sent',
  },
  {
    atSec: 165,
    register: 'spb-002/pos-1',
    driver: 'atol',
    state: (now) => ({ fnValidUntil: localDay(daysFrom(now, 36 * 30)) }),
    say: 'spb-002/pos-1: an engineer replaces the fiscal drive (36 months)',
  },
];
