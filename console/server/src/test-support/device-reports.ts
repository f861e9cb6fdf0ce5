import {
  CATALOGUE,
  DeviceReport,
  type DeviceIdentity,
  type FiscalFacts,
  PROTOCOL_VERSION,
  type ChecklistAnswer,
  type DiagnosisCode,
  type Finding,
  type CashierReport,
  type Health,
  type Hello,
  type Symptom,
} from '@tillscope/shared';

// Fabricates valid wire messages from the shared schemas; every builder parses its result, so
// a test can never send something the real agent could not.

export interface DeviceReportOptions {
  deviceId?: string;
  findings?: Finding[];
  model?: string;
  probedAt?: string;
  /** default: fault with findings, ok without */
  health?: DeviceReport['health'];
}

/** A receipt printer on TCP; healthy unless `findings` says otherwise. Checklist answers follow the findings. */
export function printerReport({ deviceId = 'printer-1', findings = [], model = 'TM-T20III', probedAt = '2026-11-22T10:00:00.000Z', health }: DeviceReportOptions = {}): DeviceReport {
  const failedSteps = new Set(findings.flatMap((finding) => CATALOGUE[finding.code].checklist.slice(0, 1)));
  const paperOut = findings.some((finding) => finding.code === 'printer.paper_end');
  const checklist: ChecklistAnswer[] = [
    { step: 'printer.answers', result: 'passed', observed: 'replied to DLE EOT 1' },
    { step: 'printer.paper', result: paperOut ? 'failed' : 'passed', observed: paperOut ? 'paper end sensor: no paper' : 'paper present' },
    ...[...failedSteps].filter((step) => step !== 'printer.paper' && step !== 'printer.answers').map((step) => ({ step, result: 'failed' as const, observed: 'see finding' })),
  ];
  return DeviceReport.parse({
    deviceId,
    kind: 'receipt-printer',
    driver: 'escpos',
    model,
    health: health ?? (findings.length ? 'fault' : 'ok'),
    findings,
    checklist,
    evidence: {
      transport: 'tcp',
      target: '192.168.1.50:9100',
      exchanges: [
        {
          label: 'DLE EOT 4: roll paper sensor',
          request: '10 04 04',
          reply: paperOut ? '72' : '12',
          valid: true,
          decoded: [{ field: 'bits 5,6', set: paperOut, meaning: { ru: 'Нет бумаги', en: 'paper end sensor: no paper' }, alarm: paperOut }],
          elapsedMs: 12,
        },
      ],
    },
    probedAt,
    durationMs: 40,
  });
}

export interface FiscalReportOptions {
  deviceId?: string;
  fiscal?: FiscalFacts;
  identity?: DeviceIdentity;
  findings?: Finding[];
  probedAt?: string;
  health?: DeviceReport['health'];
}

/** A fiscal register (ATOL, through its driver's web requests server) that reported `fiscal` facts. */
export function fiscalReport({ deviceId = 'kkt-1', fiscal, identity, findings = [], probedAt = '2026-11-22T10:00:00.000Z', health }: FiscalReportOptions = {}): DeviceReport {
  return DeviceReport.parse({
    deviceId,
    kind: 'fiscal',
    driver: 'atol',
    model: identity?.model ?? 'АТОЛ 30Ф',
    ...(identity ? { identity } : {}),
    ...(fiscal ? { fiscal } : {}),
    health: health ?? (findings.length ? 'fault' : 'ok'),
    findings,
    checklist: [{ step: 'fiscal.answers', result: 'passed', observed: 'getDeviceStatus answered in 40 ms' }],
    evidence: {
      transport: 'http',
      target: '127.0.0.1:16732',
      exchanges: [{ type: 'structured', label: 'getFnInfo', request: { type: 'getFnInfo' }, reply: { fnInfo: { serial: '9999078900001234' } }, status: 'ready', valid: true, decoded: [], elapsedMs: 40 }],
    },
    probedAt,
    durationMs: 120,
  });
}

export function finding(code: DiagnosisCode, detail = `${code} seen`): Finding {
  return { code, detail };
}

export const PAPER_END = finding('printer.paper_end', 'DLE EOT 4 = 0x72: paper end sensor: no paper');

const TS = '2026-11-22T10:00:00.000Z';

export function helloMessage(id: string, deviceIds: string[] = ['printer-1']): Hello {
  return {
    v: PROTOCOL_VERSION,
    type: 'hello',
    id,
    ts: TS,
    payload: {
      agentVersion: '0.1.0',
      os: { platform: 'linux', release: '6.1', hostname: 'till-01' },
      inventory: deviceIds.map((deviceId) => ({ deviceId, kind: 'receipt-printer', driver: 'escpos', transport: 'tcp', target: '192.168.1.50:9100' })),
      probeIntervalSec: 30,
    },
  };
}

export function healthMessage(id: string, devices: DeviceReport[]): Health {
  return { v: PROTOCOL_VERSION, type: 'health', id, ts: TS, payload: { devices } };
}

export function cashierReportMessage(id: string, symptom: Symptom, note: string, diagnosis: DeviceReport[]): CashierReport {
  return { v: PROTOCOL_VERSION, type: 'cashier_report', id, ts: TS, payload: { symptom, note, locale: 'ru', reportedAt: TS, diagnosis } };
}
