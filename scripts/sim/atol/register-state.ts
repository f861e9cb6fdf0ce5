// The simulated ATOL register's state and the result of each read-only task for it, in the
// shapes of docs/devices.md §3.2 [S]. Pure: the time is a parameter; no sockets, no timers.
// Where devices.md does not say (the ISM answer's fields, how a printer fault shows, the mark of
// an open document, what an unknown task gets), the simulator's choice is marked as such.
import { z } from 'zod';
import { ATOL_ERROR_CODES } from '../../../agent/src/devices/fiscal/atol/error-codes';

export const SIM_READ_ONLY_TASKS = ['getDeviceStatus', 'getShiftStatus', 'getFnStatus', 'getFnInfo', 'ofdExchangeStatus', 'ismExchangeStatus', 'getDeviceInfo'] as const;
export type SimReadOnlyTask = (typeof SIM_READ_ONLY_TASKS)[number];

const iso = z.iso.datetime({ offset: true });
const day = z.iso.date();

const TaskFault = z.strictObject({
  /** the task ends `error` with this ATOL error code (e.g. 3 port busy, 44 no paper) */
  error: z.number().int().min(1).max(65535).optional(),
  /** the task ends `blocked` (result unknown) and the queue stops behind it */
  blocked: z.boolean().optional(),
});

const FnWarningsState = z.strictObject({
  needReplacement: z.boolean(),
  resourceExhausted: z.boolean(),
  memoryOverflow: z.boolean(),
  ofdTimeout: z.boolean(),
  criticalError: z.boolean(),
});

/** Everything the control interface can set. Times are ISO instants; the FN date is a calendar day. */
export const AtolRegisterState = z.strictObject({
  shiftOpen: z.boolean(),
  /** when the open shift was opened; the register reports it expired 24 h later */
  shiftOpenedAt: iso,
  shiftNumber: z.number().int().min(0).max(99_999),
  /** the FN's validity end (getFnInfo.validityDate) */
  fnValidUntil: day,
  fnWarnings: FnWarningsState,
  unsentCount: z.number().int().min(0).max(1_000_000),
  /** the first document the OFD has not confirmed; with unsentCount 0 the register reports none */
  firstUnsentAt: iso,
  firstUnsentNumber: z.number().int().min(0),
  /** a non-zero code: the last OFD exchange failed (ofdExchangeStatus errors.network) */
  ofdNetworkError: z.number().int().min(0).max(65535),
  paperPresent: z.boolean(),
  coverOpened: z.boolean(),
  /** simulator's choice: a printer fault makes getDeviceStatus end `error` 46 PRINTER_FAULT */
  printerError: z.boolean(),
  /** simulator's choice [U]: an open document shows as deviceStatus.receiptType 1 (0 otherwise) */
  documentOpen: z.boolean(),
  /** the register's clock minus the real time */
  clockOffsetSeconds: z.number().min(-10 * 365 * 86_400).max(10 * 365 * 86_400),
  /** the last fiscal document number, at `fdNumberAt`; it grows by documentsPerDay from then */
  fdNumber: z.number().int().min(0).max(10_000_000),
  fdNumberAt: iso,
  documentsPerDay: z.number().min(0).max(100_000),
  /** how long each task runs (a slow queue) */
  taskDelayMs: z.number().int().min(0).max(600_000),
  /** a task of another client sits `blocked` at the queue's head: later tasks stay `wait` */
  blockedQueue: z.boolean(),
  /** per task type: end it with an ATOL error, or blocked */
  taskFaults: z.partialRecord(z.enum(SIM_READ_ONLY_TASKS), TaskFault),
  /**
   * GET answers: `bytes` not JSON at all, `json` JSON that is no ATOL answer, `huge` a 50 MB
   * body; `off` normal.
   */
  garbage: z.enum(['off', 'bytes', 'json', 'huge']),
  /** the web server is down: its listener is closed (connection refused) */
  serverDown: z.boolean(),
});
export type AtolRegisterState = z.infer<typeof AtolRegisterState>;

/** A partial update, as PUT /state and setState() accept it. Unknown keys are an error. */
export const AtolStatePatch = AtolRegisterState.partial().strict();
export type AtolStatePatch = z.infer<typeof AtolStatePatch>;

const DAY_MS = 86_400_000;

/** A healthy register at `now`: shift open 2 h, FN valid 400 more days, nothing unsent. */
export function healthyRegister(now: Date): AtolRegisterState {
  const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
  return {
    shiftOpen: true,
    shiftOpenedAt: at(-2 * 3600_000),
    shiftNumber: 42,
    fnValidUntil: at(400 * DAY_MS).slice(0, 10),
    fnWarnings: { needReplacement: false, resourceExhausted: false, memoryOverflow: false, ofdTimeout: false, criticalError: false },
    unsentCount: 0,
    firstUnsentAt: now.toISOString(),
    firstUnsentNumber: 0,
    ofdNetworkError: 0,
    paperPresent: true,
    coverOpened: false,
    printerError: false,
    documentOpen: false,
    clockOffsetSeconds: 0,
    fdNumber: 12_000,
    fdNumberAt: now.toISOString(),
    documentsPerDay: 150,
    taskDelayMs: 0,
    blockedQueue: false,
    taskFaults: {},
    garbage: 'off',
    serverDown: false,
  };
}

/** The register's wall-clock time as ATOL writes it: local, with the host's offset. */
export function atolDateTime(instant: Date): string {
  const offset = -instant.getTimezoneOffset();
  const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');
  const local = `${instant.getFullYear()}-${pad(instant.getMonth() + 1)}-${pad(instant.getDate())}T${pad(instant.getHours())}:${pad(instant.getMinutes())}:${pad(instant.getSeconds())}`;
  return `${local}${offset >= 0 ? '+' : '-'}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
}

export function currentFdNumber(state: AtolRegisterState, now: Date): number {
  const days = Math.max(0, (now.getTime() - Date.parse(state.fdNumberAt)) / DAY_MS);
  return state.fdNumber + Math.floor(days * state.documentsPerDay);
}

function shiftWord(state: AtolRegisterState, now: Date): 'closed' | 'opened' | 'expired' {
  if (!state.shiftOpen) return 'closed';
  return now.getTime() - Date.parse(state.shiftOpenedAt) >= DAY_MS ? 'expired' : 'opened';
}

/** One task's outcome: a result (`ready`), an ATOL error (`error`) or `blocked`. */
export type TaskOutcome = { status: 'ready'; result: unknown } | { status: 'error'; error: { code: number; description: string } } | { status: 'blocked' };

function atolErrorOf(code: number): { code: number; description: string } {
  return { code, description: ATOL_ERROR_CODES[code]?.ru ?? `Ошибка ${code}` };
}

/** What a read-only task answers for the register in `state` at real time `now`. */
export function runTask(type: SimReadOnlyTask, state: AtolRegisterState, now: Date): TaskOutcome {
  const fault = state.taskFaults[type];
  if (fault?.blocked) return { status: 'blocked' };
  if (fault?.error !== undefined) return { status: 'error', error: atolErrorOf(fault.error) };
  if (type === 'getDeviceStatus' && state.printerError) return { status: 'error', error: atolErrorOf(46) };
  return { status: 'ready', result: RESULTS[type](state, now) };
}

const RESULTS: Record<SimReadOnlyTask, (state: AtolRegisterState, now: Date) => unknown> = {
  getDeviceStatus: (s, now) => ({
    deviceStatus: {
      shift: shiftWord(s, now),
      currentDateTime: atolDateTime(new Date(now.getTime() + s.clockOffsetSeconds * 1000)),
      blocked: false,
      coverOpened: s.coverOpened,
      paperPresent: s.paperPresent,
      fiscal: true,
      fnFiscal: true,
      fnPresent: true,
      cashDrawerOpened: false,
      receiptType: s.documentOpen ? 1 : 0,
    },
  }),
  getShiftStatus: (s, now) => ({
    shiftStatus: {
      state: shiftWord(s, now),
      number: s.shiftNumber,
      expiredTime: atolDateTime(new Date(Date.parse(s.shiftOpenedAt) + DAY_MS)),
      documentsCount: s.shiftOpen ? 17 : 0,
    },
  }),
  getFnStatus: (s, now) => ({ fnStatus: { warnings: { ...s.fnWarnings }, fiscalDocumentNumber: currentFdNumber(s, now), fiscalReceiptNumber: Math.max(0, currentFdNumber(s, now) - 300) } }),
  getFnInfo: (s) => ({
    fnInfo: {
      serial: '9999078900001234',
      version: 'fn v 2.0',
      execution: 'ФН-1.1М Ин15-1М',
      numberOfRegistrations: 1,
      registrationsRemaining: 29,
      validityDate: atolDateTime(new Date(`${s.fnValidUntil}T00:00:00`)),
      ffdVersion: '1.2',
      fnFfdVersion: '1.2',
    },
  }),
  ofdExchangeStatus: (s) => ({
    status: {
      notSentCount: s.unsentCount,
      notSentFirstDocNumber: s.unsentCount > 0 ? s.firstUnsentNumber : 0,
      notSentFirstDocDateTime: s.unsentCount > 0 ? atolDateTime(new Date(s.firstUnsentAt)) : '1970-01-01T00:00:00',
    },
    errors: {
      network: { code: s.ofdNetworkError, description: s.ofdNetworkError ? 'Нет соединения с ОФД' : '' },
      ofd: { code: 0, description: '' },
      fn: { code: 0, description: '' },
      documentNumber: 0,
      fnCommandCode: 0,
    },
    warnings: { dataForSendIsEmpty: s.unsentCount === 0 },
  }),
  // simulator's choice: devices.md names no fields for the ISM answer
  ismExchangeStatus: () => ({ status: { notSentCount: 0 } }),
  getDeviceInfo: () => ({
    deviceInfo: { model: 67, modelName: 'АТОЛ 30Ф (симулятор)', serial: '00106700000001', firmwareVersion: '5.8.12', configurationVersion: '5.8.12.1', receiptLineLength: 48, ffdVersion: '1.2', fnFfdVersion: '1.2' },
  }),
};
