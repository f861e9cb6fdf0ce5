import type { RegisterDetail, RegisterDeviceDetail, RegisterSummary, TicketDetail, TicketSummary } from '@tillscope/shared';

export const T0 = Date.parse('2026-03-02T09:00:00Z');
export const iso = (ms: number) => new Date(ms).toISOString();

/** A valid TicketSummary; `openedMin` is minutes after T0. */
export function makeTicket(id: number, patch: Partial<TicketSummary> & { openedMin?: number } = {}): TicketSummary {
  const { openedMin = 0, ...rest } = patch;
  const opened = T0 + openedMin * 60_000;
  return {
    id,
    code: 'printer.paper_end',
    status: 'open',
    severity: 'major',
    priority: 2,
    group: 'printers',
    storeId: 'msk-014',
    registerId: 'pos-02',
    deviceId: 'printer-1',
    openedAt: iso(opened),
    updatedAt: iso(opened),
    resolvedAt: null,
    reactBy: iso(opened + 30 * 60_000),
    resolveBy: iso(opened + 480 * 60_000),
    assignee: null,
    active: true,
    hasCashierReport: false,
    occurrences: 1,
    blockingAt: null,
    category: 'printer',
    scope: 'register',
    parentId: null,
    symptoms: 0,
    flapping: false,
    reactedAt: null,
    waitingOn: null,
    pausedAt: null,
    reassignments: 0,
    escalations: 0,
    vendorDueAt: null,
    ...rest,
  };
}

export function makeDetail(id: number, patch: Partial<TicketDetail> = {}): TicketDetail {
  return {
    ...makeTicket(id),
    detail: 'DLE EOT 4 = 0x72: paper end sensor: no paper',
    checklist: [
      { step: 'printer.answers', result: 'passed', observed: 'replied to DLE EOT 1 in 12 ms' },
      { step: 'printer.paper', result: 'failed', observed: 'paper end sensor: no paper' },
      { step: 'printer.test_print', result: 'unknown', observed: '' },
    ],
    evidence: {
      transport: 'tcp',
      target: '192.168.1.50:9100',
      exchanges: [
        {
          label: 'DLE EOT 4',
          request: '10 04 04',
          reply: '72',
          discarded: '',
          valid: true,
          elapsedMs: 12,
          decoded: [
            { field: 'bits 2,3', set: false, meaning: { ru: 'бумага скоро закончится: нет', en: 'paper near end: no' }, alarm: false },
            { field: 'bits 5,6', set: true, meaning: { ru: 'бумага закончилась', en: 'paper end' }, alarm: true },
          ],
        },
      ],
    },
    device: { deviceId: 'printer-1', kind: 'receipt-printer', driver: 'escpos', model: 'TM-T20III' },
    cashierNotes: [],
    timeline: [
      { at: iso(T0), kind: 'opened', actor: null, text: 'paper end' },
      { at: iso(T0 + 60_000), kind: 'taken', actor: 'ivanov', text: '' },
    ],
    registerHistory: [],
    registerForecast: null,
    moves: [],
    symptomTickets: [],
    incident: null,
    vendor: null,
    slaTargets: { reactMinutes: 30, resolveMinutes: 480 },
    ...patch,
  };
}

export function makeRegister(agentId: string, patch: Partial<RegisterSummary> = {}): RegisterSummary {
  return {
    agentId,
    storeId: 'msk-014',
    registerId: 'pos-02',
    hostname: 'POS-02',
    agentVersion: '0.1.0',
    connected: true,
    lastSeenAt: iso(T0),
    devices: [
      { deviceId: 'printer-1', kind: 'receipt-printer', driver: 'escpos', transport: 'tcp', target: '192.168.1.50:9100', health: 'ok', codes: [], probedAt: iso(T0), identity: null },
    ],
    openTickets: 0,
    forecast: null,
    ...patch,
  };
}

const DAY = 86_400_000;

/** An ATOL register's device with fiscal facts: FN valid 40 days after T0, 12 documents unsent since 10 days before. */
export function makeFiscalDevice(patch: Partial<RegisterDeviceDetail> = {}): RegisterDeviceDetail {
  const readAt = iso(T0);
  return {
    deviceId: 'kkt-1', kind: 'fiscal', driver: 'atol', transport: 'http', target: '127.0.0.1:16732', health: 'warning', codes: ['fiscal.ofd_unsent_warning'], probedAt: readAt,
    identity: { model: 'ШТРИХ-М-01Ф', serial: '0012345678', firmware: 'A4.0', fnSerial: '9999078900001234', ffdVersion: '1.2' },
    fiscal: {
      fn: { readAt, serial: '9999078900001234', validUntil: iso(T0 + 40 * DAY), phase: 'fiscal mode', ffdVersion: '1.2', lastDocumentNumber: 4410, warnings: null },
      ofd: { readAt, unsentCount: 12, firstUnsentNumber: 4399, firstUnsentAt: iso(T0 - 10 * DAY), connected: false, error: null },
      shift: { readAt, state: 'open', number: 77, openedAt: null },
      clockDriftSeconds: 2,
      forecast: {
        blockingAt: iso(T0 + 20 * DAY),
        reason: 'ofd_lock',
        parts: [
          { reason: 'ofd_lock', at: iso(T0 + 20 * DAY), readAt, firstUnsentAt: iso(T0 - 10 * DAY), firstUnsentNumber: 4399, unsentCount: 12, lockDays: 30 },
          { reason: 'fn_validity', at: iso(T0 + 40 * DAY), readAt, validUntil: iso(T0 + 40 * DAY), fnSerial: '9999078900001234' },
        ],
        notes: [{ code: 'no_rate', since: readAt }],
        computedAt: readAt,
      },
    },
    printer: null,
    ...patch,
  };
}

/** A register with one fiscal device, as GET /api/registers/:agentId answers (its blocking date 20 days after T0). */
export function makeFiscalRegister(patch: Partial<RegisterDetail> = {}): RegisterDetail {
  return {
    ...makeRegister('agt-1'),
    devices: [makeFiscalDevice()],
    forecast: { blockingAt: iso(T0 + 20 * DAY), reason: 'ofd_lock', deviceId: 'kkt-1', daysLeft: 20 },
    paperSupply: null,
    ...patch,
  };
}
