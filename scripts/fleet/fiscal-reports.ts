import { DeviceReport, type DeviceHealth, type FiscalFacts, type InventoryItem } from '@tillscope/shared';
import { applyFiscalRules, DEFAULT_FISCAL_THRESHOLDS } from '../../agent/src/devices/common/fiscal-rules';
import { prng } from '../lib/prng';

// A virtual register's fiscal register (an ATOL behind its web requests server), for the fleet
// simulator and the fiscal benches: facts that move as a real one's do (the document number grows
// with sales, an FN ages toward its validity end, a backlog to the OFD ages toward its lock), the
// agent's own fiscal rules (agent/src/devices/common/fiscal-rules.ts) turning them into findings
// and the checklist, and every report parsed by the shared schema, so the fleet can never send
// what the real agent could not.

export const FISCAL_DEVICE_ID = 'kkt-1';
const TARGET = '127.0.0.1:16732';
const DAY_MS = 86_400_000;

/** One register's fiscal life, fixed when the fleet is laid out; facts at any time follow from it. */
export interface FiscalProfile {
  fnSerial: string;
  registerSerial: string;
  /** The FN's validity end (ISO). */
  validUntil: string;
  documentsPerDay: number;
  /** The last document number at `epochMs`. */
  startNumber: number;
  epochMs: number;
  /** Documents the OFD has not confirmed, the first of them sent at `firstUnsentAt` (none: 0 and null). */
  unsentCount: number;
  firstUnsentAt: string | null;
}

/**
 * Register `index`'s profile: 15-month FNs at every age (validity ends spread over 0–470 days
 * from `nowMs`, a few already past), 100–2,000 documents a day, 3 % with a backlog to the OFD of
 * 1–35 days, 0.5 % with an archive close to full.
 */
export function fiscalProfile(index: number, nowMs: number): FiscalProfile {
  const random = prng(index + 1); // the same fleet every run
  const documentsPerDay = 100 + Math.floor(random() * 1_900);
  const ageDays = random() * 470;
  const nearlyFull = random() < 0.005;
  const backlog = random() < 0.03;
  const backlogDays = 1 + random() * 34;
  return {
    fnSerial: `99990789${String(index).padStart(8, '0')}`,
    registerSerial: `001067${String(index).padStart(8, '0')}`,
    validUntil: new Date(nowMs + (470 - ageDays - 3) * DAY_MS).toISOString(),
    documentsPerDay,
    startNumber: nearlyFull ? 240_000 + Math.floor(random() * 5_000) : Math.floor(ageDays * documentsPerDay * 0.3),
    epochMs: nowMs,
    unsentCount: backlog ? 1 + Math.floor(random() * 200) : 0,
    firstUnsentAt: backlog ? new Date(nowMs - backlogDays * DAY_MS).toISOString() : null,
  };
}

/** The facts the register reports at `atMs`. */
export function fiscalFactsAt(profile: FiscalProfile, atMs: number): FiscalFacts {
  const lastDocumentNumber = profile.startNumber + Math.max(0, Math.floor(((atMs - profile.epochMs) / DAY_MS) * profile.documentsPerDay));
  const daysLeft = (Date.parse(profile.validUntil) - atMs) / DAY_MS;
  return {
    clockDriftSeconds: 1,
    shift: { state: 'open', number: 1 + Math.floor(lastDocumentNumber / profile.documentsPerDay), openedAt: new Date(atMs - 3 * 3_600_000).toISOString(), openedAtSource: 'device' },
    fn: {
      serial: profile.fnSerial,
      validUntil: profile.validUntil,
      phase: 'fiscal mode',
      lastDocumentNumber,
      ffdVersion: '1.2',
      warnings: { replaceUrgently: daysLeft <= 3, resourceExhausted: daysLeft <= 30, archiveNearlyFull: lastDocumentNumber >= 225_000, ofdTimeout: false, criticalError: false },
    },
    ofd: profile.firstUnsentAt
      ? { unsentCount: profile.unsentCount, firstUnsentNumber: Math.max(1, lastDocumentNumber - profile.unsentCount), firstUnsentAt: profile.firstUnsentAt, connected: false }
      : { unsentCount: 0, connected: true },
  };
}

/** The device report an agent would send at `atMs`: facts, identity, the agent's fiscal findings and checklist. */
export function fiscalDeviceReport(profile: FiscalProfile, atMs: number): DeviceReport {
  const fiscal = fiscalFactsAt(profile, atMs);
  const printer = { paper: { ok: true, observed: 'paperPresent: true' }, cover: { ok: true, observed: 'coverOpened: false' } };
  const { findings, checklist } = applyFiscalRules({ facts: fiscal, printer, now: new Date(atMs), thresholds: DEFAULT_FISCAL_THRESHOLDS });
  const health: DeviceHealth = findings.length === 0 ? 'ok' : findings.some((f) => /expired|blocked|critical|3d/.test(f.code)) ? 'fault' : 'warning';
  return DeviceReport.parse({
    deviceId: FISCAL_DEVICE_ID,
    kind: 'fiscal',
    driver: 'atol',
    model: 'АТОЛ 30Ф',
    identity: { model: 'АТОЛ 30Ф', serial: profile.registerSerial, firmware: '5.8.100', fnSerial: profile.fnSerial, ffdVersion: '1.2' },
    fiscal,
    health,
    findings,
    checklist: [{ step: 'fiscal.answers', result: 'passed', observed: 'getDeviceStatus: ready in 35 ms' }, ...checklist],
    evidence: {
      transport: 'http',
      target: TARGET,
      exchanges: [{
        type: 'structured', label: 'getFnInfo', request: { type: 'getFnInfo' }, status: 'ready', valid: true, elapsedMs: 35, decoded: [],
        reply: { fnInfo: { serial: profile.fnSerial, validityDate: profile.validUntil.slice(0, 10), ffdVersion: '1.2' } },
      }],
    },
    probedAt: new Date(atMs).toISOString(),
    durationMs: 180,
  });
}

/** The fiscal register's line in the agent's hello inventory. */
export const FISCAL_INVENTORY_ITEM: InventoryItem = { deviceId: FISCAL_DEVICE_ID, kind: 'fiscal', driver: 'atol', transport: 'http', target: TARGET };
