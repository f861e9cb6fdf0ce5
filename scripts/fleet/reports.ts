import { DeviceReport, HelloPayload, type CashierReport, type Exchange, type Hello } from '@tillscope/shared';
import { FISCAL_INVENTORY_ITEM, fiscalDeviceReport, type FiscalProfile } from './fiscal-reports';
import type { VirtualAgentIdentity } from './virtual-agent';

// Payloads shaped like the real ESC/POS driver's: four DLE EOT exchanges with decoded bits, the
// first-line checklist, and evidence (about 2 KB of JSON per report, as on a real register). Each
// template is parsed by the shared schema once, so the fleet can never send what the real agent
// could not; per message only the timestamps change.

const PRINTER_ID = 'printer-1';
const TARGET = '192.168.1.50:9100';

function exchange(n: number, label: string, reply: string, fields: [string, boolean, string, string, boolean][]): Exchange {
  return {
    label: `DLE EOT ${n}: ${label}`,
    request: `10 04 0${n}`,
    reply,
    discarded: '',
    valid: true,
    decoded: fields.map(([field, set, ru, en, alarm]) => ({ field, set, meaning: { ru, en }, alarm })),
    elapsedMs: 6,
  };
}

function printerReport(paperOut: boolean): DeviceReport {
  return DeviceReport.parse({
    deviceId: PRINTER_ID,
    kind: 'receipt-printer',
    driver: 'escpos',
    model: 'TM-T20III',
    health: paperOut ? 'fault' : 'ok',
    findings: paperOut ? [{ code: 'printer.paper_end', detail: 'DLE EOT 4 = 0x72: paper end sensor: no paper' }] : [],
    checklist: [
      { step: 'printer.answers', result: 'passed', observed: 'replied to DLE EOT 1' },
      { step: 'printer.online', result: 'passed', observed: 'online' },
      { step: 'printer.paper', result: paperOut ? 'failed' : 'passed', observed: paperOut ? 'paper end sensor: no paper' : 'paper present' },
      { step: 'printer.cover', result: 'passed', observed: 'cover closed' },
      { step: 'printer.cutter', result: 'passed', observed: 'no autocutter error' },
      { step: 'printer.error', result: 'passed', observed: 'no error' },
    ],
    evidence: {
      transport: 'tcp',
      target: TARGET,
      exchanges: [
        exchange(1, 'printer status', '16', [
          ['bit 2', false, 'Ящик: контакт разомкнут', 'drawer kick-out connector pin 3 low', false],
          ['bit 3', false, 'В работе', 'online', false],
          ['bit 5', false, 'Ожидание восстановления нет', 'not waiting for online recovery', false],
        ]),
        exchange(2, 'offline cause', '12', [
          ['bit 2', false, 'Крышка закрыта', 'cover is closed', false],
          ['bit 3', false, 'Подача бумаги кнопкой не нажата', 'paper is not being fed by the FEED button', false],
          ['bit 5', paperOut, paperOut ? 'Печать остановлена: нет бумаги' : 'Бумага есть', paperOut ? 'printing stops due to paper end' : 'no paper-end stop', paperOut],
          ['bit 6', false, 'Ошибок нет', 'no error', false],
        ]),
        exchange(3, 'error cause', '12', [
          ['bit 3', false, 'Отрезчик исправен', 'no autocutter error', false],
          ['bit 5', false, 'Неустранимых ошибок нет', 'no unrecoverable error', false],
          ['bit 6', false, 'Автовосстанавливаемых ошибок нет', 'no auto-recoverable error', false],
        ]),
        exchange(4, 'roll paper sensor', paperOut ? '72' : '12', [
          ['bits 2,3', false, 'Бумага не заканчивается', 'paper near-end sensor: paper adequate', false],
          ['bits 5,6', paperOut, paperOut ? 'Нет бумаги' : 'Бумага есть', paperOut ? 'paper end sensor: no paper' : 'paper present', paperOut],
        ]),
      ],
    },
    probedAt: new Date().toISOString(),
    durationMs: 31,
  });
}

const TEMPLATES = { ok: printerReport(false), paperOut: printerReport(true) };

/** The printer's report, and with a `fiscal` profile the fiscal register's (its facts as of now). */
export function healthPayload(paperOut: boolean, fiscal?: FiscalProfile): { devices: DeviceReport[] } {
  const printer = { ...(paperOut ? TEMPLATES.paperOut : TEMPLATES.ok), probedAt: new Date().toISOString() };
  return { devices: fiscal ? [printer, fiscalDeviceReport(fiscal, Date.now())] : [printer] };
}

export function helloPayload(identity: VirtualAgentIdentity, fiscal = false): Hello['payload'] {
  return HelloPayload.parse({
    agentVersion: '0.1.0-fleet',
    os: { platform: 'linux', release: '6.1.0', hostname: `${identity.storeId}-${identity.registerId}` },
    inventory: [{ deviceId: PRINTER_ID, kind: 'receipt-printer', driver: 'escpos', transport: 'tcp', target: TARGET }, ...(fiscal ? [FISCAL_INVENTORY_ITEM] : [])],
    probeIntervalSec: 10,
  });
}

export function cashierReportPayload(paperOut: boolean): CashierReport['payload'] {
  const reportedAt = new Date().toISOString();
  return {
    symptom: 'no_receipt',
    note: 'Чек не печатается / receipt does not print',
    locale: 'ru',
    reportedAt,
    diagnosis: healthPayload(paperOut).devices,
  };
}
