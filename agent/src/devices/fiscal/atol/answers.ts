// The answer of each read-only ATOL task, decoded: a zod schema per result (extra fields are
// kept out, never an error: the field lists are [S], docs/devices.md §3.2), the facts it gives in
// shared's FiscalFacts / DeviceIdentity terms, and the decoded fields shown as evidence (ru/en).
// Pure; never throws. A result that does not match its schema is `valid: false` and gives no facts.
import type { DecodedField, DeviceIdentity, FiscalFacts } from '@tillscope/shared';
import { z } from 'zod';
import { parseDeviceDateTime, startOfWrittenDay } from './device-time';
import { atolError } from './error-codes';
import type { ReadOnlyTask, TaskResultEnvelope } from './protocol';
import { field, flag, type Bilingual } from './decoded-field';

/** What the register's built-in printer and its FN slot said (getDeviceStatus). */
export interface PrinterState {
  paperPresent?: boolean;
  coverOpened?: boolean;
  /** [U] not in every field list */
  paperNearEnd?: boolean;
  /** `deviceStatus.blocked`: the register itself is blocked */
  registerBlocked?: boolean;
  fnPresent?: boolean;
}

/** The normalised reading of one probe: every part optional, as each task may fail alone. */
export interface AtolReading {
  fiscal: FiscalFacts;
  identity: DeviceIdentity;
  printer: PrinterState;
}

/** What one task's answer gave. `valid` false: nothing from it is used. */
export interface TaskDecoding {
  valid: boolean;
  /** why the answer is not usable, in plain English, when it is not */
  reason?: string;
  decoded: DecodedField[];
  part?: ReadingPart;
}

export interface ReadingPart {
  fiscal?: Omit<FiscalFacts, 'fn'> & { fn?: NonNullable<FiscalFacts['fn']> };
  identity?: DeviceIdentity;
  printer?: PrinterState;
}

export interface DecodeContext {
  /** host time when the answer was read: the clock drift is measured against it */
  readAt: Date;
  /**
   * The getDeviceStatus field that tells a receipt/document is open. [U]: no source lists one in
   * the JSON answer; libfptr10 has a status parameter RECEIPT_TYPE. Configurable, see README.
   */
  documentOpenField: string;
}

export const DEFAULT_DOCUMENT_OPEN_FIELD = 'receiptType';

const SHIFT_DAY_MS = 24 * 3600 * 1000;
const deviceString = z.string().max(10_000).transform((s) => s.slice(0, 200));
const versionText = z.union([z.string().max(10_000), z.number()]).transform((v) => String(v).slice(0, 200));
const count = z.number().int().nonnegative();
const dateText = z.string().max(64);
const ShiftWord = z.enum(['closed', 'opened', 'expired']);
const SHIFT_STATE = { closed: 'closed', opened: 'open', expired: 'expired' } as const;
const SHIFT_TEXT: Record<z.infer<typeof ShiftWord>, Bilingual & { alarm: boolean }> = {
  closed: { ru: 'Смена закрыта', en: 'shift closed', alarm: false },
  opened: { ru: 'Смена открыта', en: 'shift open', alarm: false },
  expired: { ru: 'Смена истекла (более 24 часов)', en: 'shift expired (over 24 hours)', alarm: true },
};

const DeviceStatus = z.looseObject({
  deviceStatus: z.looseObject({
    shift: ShiftWord,
    paperPresent: z.boolean(),
    coverOpened: z.boolean(),
    currentDateTime: dateText.optional(),
    blocked: z.boolean().optional(),
    fiscal: z.boolean().optional(),
    fnFiscal: z.boolean().optional(),
    fnPresent: z.boolean().optional(),
    cashDrawerOpened: z.boolean().optional(),
    paperNearEnd: z.boolean().optional(),
  }),
});

const ShiftStatus = z.looseObject({
  shiftStatus: z.looseObject({ state: ShiftWord, number: count.optional(), expiredTime: dateText.optional(), documentsCount: count.optional() }),
});

const FnStatus = z.looseObject({
  fnStatus: z.looseObject({
    warnings: z.looseObject({
      needReplacement: z.boolean(),
      resourceExhausted: z.boolean(),
      memoryOverflow: z.boolean(),
      ofdTimeout: z.boolean(),
      criticalError: z.boolean(),
    }),
    fiscalDocumentNumber: count.optional(),
    fiscalReceiptNumber: count.optional(),
  }),
});

const FnInfo = z.looseObject({
  fnInfo: z.looseObject({
    validityDate: dateText,
    serial: deviceString.optional(),
    version: versionText.optional(),
    execution: versionText.optional(),
    numberOfRegistrations: count.optional(),
    registrationsRemaining: count.optional(),
    ffdVersion: versionText.optional(),
    fnFfdVersion: versionText.optional(),
  }),
});

const CodeText = z.looseObject({ code: z.number().int(), description: z.string().max(10_000).optional() });
const OfdExchange = z.looseObject({
  status: z.looseObject({ notSentCount: count, notSentFirstDocNumber: count.optional(), notSentFirstDocDateTime: dateText.optional(), lastSuccessKeysUpdate: dateText.optional() }),
  errors: z
    .looseObject({
      network: CodeText.optional(),
      ofd: CodeText.optional(),
      fn: CodeText.optional(),
      documentNumber: count.optional(),
      fnCommandCode: z.number().int().optional(),
      lastSuccessConnectionDateTime: dateText.optional(),
    })
    .optional(),
  warnings: z.looseObject({ dataForSendIsEmpty: z.boolean().optional() }).optional(),
});

const DeviceInfo = z.looseObject({
  deviceInfo: z.looseObject({
    model: versionText.optional(),
    modelName: deviceString.optional(),
    serial: deviceString.optional(),
    firmwareVersion: versionText.optional(),
    configurationVersion: versionText.optional(),
    ffdVersion: versionText.optional(),
    fnFfdVersion: versionText.optional(),
  }),
});

/** The ISM answer's field names are not known [S: "count / number / date-time"]: kept as evidence only. */
const IsmExchange = z.record(z.string(), z.unknown());

type Decoder = (result: unknown, ctx: DecodeContext) => TaskDecoding;

function invalid(reason: string, decoded: DecodedField[] = []): TaskDecoding {
  return { valid: false, reason, decoded };
}

function schemaReason(error: z.ZodError): string {
  const issue = error.issues[0];
  return `answer does not match the expected fields (${issue ? `${issue.path.join('.') || 'result'}: ${issue.message}` : 'schema'})`;
}

const decodeDeviceStatus: Decoder = (result, ctx) => {
  const parsed = DeviceStatus.safeParse(result);
  if (!parsed.success) return invalid(schemaReason(parsed.error));
  const s = parsed.data.deviceStatus;
  const clock = s.currentDateTime === undefined ? undefined : parseDeviceDateTime(s.currentDateTime);
  if (s.currentDateTime !== undefined && !clock) return invalid(`deviceStatus.currentDateTime "${s.currentDateTime.slice(0, 40)}" is not a date-time`);
  const openValue = (s as Record<string, unknown>)[ctx.documentOpenField];
  const documentOpen = openValue === undefined ? undefined : isOpenMark(openValue);
  const shift = SHIFT_TEXT[s.shift];
  const decoded = [
    field('deviceStatus.shift', s.shift, shift, shift.alarm),
    flag('deviceStatus.paperPresent', s.paperPresent, { ru: 'Бумага есть', en: 'paper present' }, { ru: 'Нет бумаги', en: 'no paper' }, !s.paperPresent),
    flag('deviceStatus.coverOpened', s.coverOpened, { ru: 'Крышка открыта', en: 'cover open' }, { ru: 'Крышка закрыта', en: 'cover closed' }, s.coverOpened),
    ...optionalFlag('deviceStatus.paperNearEnd', s.paperNearEnd, { ru: 'Бумага скоро закончится', en: 'paper near end' }, { ru: 'Бумаги достаточно', en: 'paper not near end' }, s.paperNearEnd === true),
    ...optionalFlag('deviceStatus.blocked', s.blocked, { ru: 'ККТ заблокирована', en: 'register blocked' }, { ru: 'ККТ не заблокирована', en: 'register not blocked' }, s.blocked === true),
    ...optionalFlag('deviceStatus.fnPresent', s.fnPresent, { ru: 'ФН установлен', en: 'fiscal drive present' }, { ru: 'ФН не найден', en: 'no fiscal drive' }, s.fnPresent === false),
    ...optionalFlag('deviceStatus.fiscal', s.fiscal, { ru: 'ККТ фискализирована', en: 'register fiscalised' }, { ru: 'ККТ не фискализирована', en: 'register not fiscalised' }, false),
    ...optionalFlag('deviceStatus.fnFiscal', s.fnFiscal, { ru: 'ФН в фискальном режиме', en: 'fiscal drive in fiscal mode' }, { ru: 'ФН не в фискальном режиме', en: 'fiscal drive not in fiscal mode' }, false),
    ...optionalFlag('deviceStatus.cashDrawerOpened', s.cashDrawerOpened, { ru: 'Денежный ящик открыт', en: 'cash drawer open' }, { ru: 'Денежный ящик закрыт', en: 'cash drawer closed' }, false),
    ...(s.currentDateTime !== undefined ? [field('deviceStatus.currentDateTime', s.currentDateTime, { ru: 'Часы ККТ', en: 'register clock' })] : []),
    ...(documentOpen !== undefined
      ? [flag(`deviceStatus.${ctx.documentOpenField}`, documentOpen, { ru: 'Открыт документ (чек)', en: 'a document (receipt) is open' }, { ru: 'Документ не открыт', en: 'no document open' }, false, String(JSON.stringify(openValue)).slice(0, 200))]
      : []),
  ];
  const fiscal: ReadingPart['fiscal'] = { shift: { state: SHIFT_STATE[s.shift] } };
  if (clock && s.currentDateTime !== undefined) {
    fiscal.registerClock = s.currentDateTime.trim().slice(0, 32);
    fiscal.clockDriftSeconds = Math.round((clock.instant.getTime() - ctx.readAt.getTime()) / 1000);
  }
  if (documentOpen !== undefined) fiscal.documentOpen = documentOpen;
  if (s.fnFiscal !== undefined) fiscal.fn = { phase: s.fnFiscal ? 'fiscal mode' : 'not in fiscal mode' };
  const printer: PrinterState = { paperPresent: s.paperPresent, coverOpened: s.coverOpened };
  if (s.paperNearEnd !== undefined) printer.paperNearEnd = s.paperNearEnd;
  if (s.blocked !== undefined) printer.registerBlocked = s.blocked;
  if (s.fnPresent !== undefined) printer.fnPresent = s.fnPresent;
  return { valid: true, decoded, part: { fiscal, printer } };
};

/** A document-open mark: anything but absent, null, false, 0, "" and the words closed/none. */
function isOpenMark(value: unknown): boolean {
  if (value === null || value === false || value === 0 || value === '') return false;
  if (typeof value === 'string' && ['closed', 'none', '0'].includes(value.trim().toLowerCase())) return false;
  return true;
}

const decodeShiftStatus: Decoder = (result) => {
  const parsed = ShiftStatus.safeParse(result);
  if (!parsed.success) return invalid(schemaReason(parsed.error));
  const s = parsed.data.shiftStatus;
  const expires = s.expiredTime === undefined ? undefined : parseDeviceDateTime(s.expiredTime);
  if (s.expiredTime !== undefined && !expires && s.state !== 'closed') return invalid(`shiftStatus.expiredTime "${s.expiredTime.slice(0, 40)}" is not a date-time`);
  const shiftText = SHIFT_TEXT[s.state];
  const shift: NonNullable<FiscalFacts['shift']> = { state: SHIFT_STATE[s.state] };
  if (s.number !== undefined) shift.number = s.number;
  // A closed shift's expiredTime is the last shift's: it says nothing about an open one.
  if (expires && s.state !== 'closed') {
    shift.openedAt = new Date(expires.instant.getTime() - SHIFT_DAY_MS).toISOString();
    shift.openedAtSource = 'device';
  }
  const decoded = [
    field('shiftStatus.state', s.state, shiftText, shiftText.alarm),
    ...(s.number !== undefined ? [field('shiftStatus.number', s.number, { ru: 'Номер смены', en: 'shift number' })] : []),
    ...(s.expiredTime !== undefined ? [field('shiftStatus.expiredTime', s.expiredTime, { ru: 'Смена истекает (открыта + 24 ч)', en: 'shift expires (opened + 24 h)' })] : []),
    ...(s.documentsCount !== undefined ? [field('shiftStatus.documentsCount', s.documentsCount, { ru: 'Документов за смену', en: 'documents this shift' })] : []),
  ];
  return { valid: true, decoded, part: { fiscal: { shift } } };
};

const decodeFnStatus: Decoder = (result) => {
  const parsed = FnStatus.safeParse(result);
  if (!parsed.success) return invalid(schemaReason(parsed.error));
  const { warnings: w, fiscalDocumentNumber } = parsed.data.fnStatus;
  const warn = (name: string, set: boolean, ru: string, en: string) => flag(`fnStatus.warnings.${name}`, set, { ru, en }, { ru: `Нет: ${ru.toLowerCase()}`, en: `not: ${en}` }, set);
  const decoded = [
    warn('needReplacement', w.needReplacement, 'Срочная замена ФН (осталось 3 дня или меньше)', 'replace the fiscal drive urgently (3 days or fewer)'),
    warn('resourceExhausted', w.resourceExhausted, 'Ресурс ФН заканчивается (30 дней или меньше)', 'fiscal drive resource ends within 30 days'),
    warn('memoryOverflow', w.memoryOverflow, 'Архив ФН заполнен на 90 %', 'fiscal drive archive 90 % full'),
    warn('ofdTimeout', w.ofdTimeout, 'Превышено время ожидания ответа ОФД', 'OFD response timeout exceeded'),
    warn('criticalError', w.criticalError, 'Критическая ошибка ФН', 'critical fiscal drive error'),
    ...(fiscalDocumentNumber !== undefined ? [field('fnStatus.fiscalDocumentNumber', fiscalDocumentNumber, { ru: 'Номер последнего ФД', en: 'last fiscal document number' })] : []),
  ];
  const fn: NonNullable<FiscalFacts['fn']> = {
    warnings: { replaceUrgently: w.needReplacement, resourceExhausted: w.resourceExhausted, archiveNearlyFull: w.memoryOverflow, ofdTimeout: w.ofdTimeout, criticalError: w.criticalError },
  };
  if (fiscalDocumentNumber !== undefined) fn.lastDocumentNumber = fiscalDocumentNumber;
  return { valid: true, decoded, part: { fiscal: { fn } } };
};

const decodeFnInfo: Decoder = (result) => {
  const parsed = FnInfo.safeParse(result);
  if (!parsed.success) return invalid(schemaReason(parsed.error));
  const i = parsed.data.fnInfo;
  const validity = parseDeviceDateTime(i.validityDate);
  if (!validity) return invalid(`fnInfo.validityDate "${i.validityDate.slice(0, 40)}" is not a date`);
  const fn: NonNullable<FiscalFacts['fn']> = { validUntil: startOfWrittenDay(validity).toISOString() };
  const ffd = i.fnFfdVersion ?? i.ffdVersion;
  if (i.serial !== undefined) fn.serial = i.serial;
  if (i.registrationsRemaining !== undefined) fn.registrationsLeft = i.registrationsRemaining;
  if (ffd !== undefined) fn.ffdVersion = ffd;
  const decoded = [
    field('fnInfo.validityDate', i.validityDate, { ru: 'ФН действует до', en: 'fiscal drive valid until' }),
    ...optionalValue('fnInfo.serial', i.serial, { ru: 'Заводской номер ФН', en: 'fiscal drive serial' }),
    ...optionalValue('fnInfo.execution', i.execution, { ru: 'Исполнение ФН', en: 'fiscal drive execution' }),
    ...optionalValue('fnInfo.version', i.version, { ru: 'Версия ФН', en: 'fiscal drive version' }),
    ...optionalValue('fnInfo.numberOfRegistrations', i.numberOfRegistrations, { ru: 'Регистраций выполнено', en: 'registrations done' }),
    ...optionalValue('fnInfo.registrationsRemaining', i.registrationsRemaining, { ru: 'Регистраций осталось', en: 'registrations left' }),
    ...optionalValue('fnInfo.ffdVersion', i.ffdVersion, { ru: 'Версия ФФД', en: 'FFD version' }),
    ...optionalValue('fnInfo.fnFfdVersion', i.fnFfdVersion, { ru: 'Версия ФФД ФН', en: 'fiscal drive FFD version' }),
  ];
  return { valid: true, decoded, part: { fiscal: { fn }, identity: i.serial !== undefined ? { fnSerial: i.serial } : {} } };
};

const decodeOfdExchange: Decoder = (result) => {
  const parsed = OfdExchange.safeParse(result);
  if (!parsed.success) return invalid(schemaReason(parsed.error));
  const { status: s, errors } = parsed.data;
  const first = s.notSentFirstDocDateTime === undefined ? undefined : parseDeviceDateTime(s.notSentFirstDocDateTime);
  // With nothing unsent the first-document date is meaningless (registers fill in any value).
  if (s.notSentCount > 0 && !first) return invalid(`status.notSentFirstDocDateTime "${(s.notSentFirstDocDateTime ?? '(absent)').slice(0, 40)}" is not a date-time, with ${s.notSentCount} documents unsent`);
  const ofd: NonNullable<FiscalFacts['ofd']> = { unsentCount: s.notSentCount };
  if (s.notSentCount > 0 && first) ofd.firstUnsentAt = first.instant.toISOString();
  if (s.notSentCount > 0 && s.notSentFirstDocNumber !== undefined) ofd.firstUnsentNumber = s.notSentFirstDocNumber;
  const failures = (['network', 'ofd', 'fn'] as const).flatMap((part) => {
    const e = errors?.[part];
    return e && e.code !== 0 ? [`${part} ${e.code}${e.description?.trim() ? ` ${e.description.trim()}` : ''}`] : [];
  });
  if (failures.length > 0) ofd.error = failures.join('; ').slice(0, 200);
  const lastSuccess = errors?.lastSuccessConnectionDateTime === undefined ? undefined : parseDeviceDateTime(errors.lastSuccessConnectionDateTime);
  if (lastSuccess) ofd.lastSuccessAt = lastSuccess.instant.toISOString();
  const decoded = [
    field('status.notSentCount', s.notSentCount, { ru: 'Документов не передано в ОФД', en: 'documents not sent to the OFD' }),
    ...(s.notSentCount > 0 ? optionalValue('status.notSentFirstDocNumber', s.notSentFirstDocNumber, { ru: 'Номер первого непереданного ФД', en: 'first unsent document number' }) : []),
    ...(s.notSentCount > 0 ? optionalValue('status.notSentFirstDocDateTime', s.notSentFirstDocDateTime, { ru: 'Дата первого непереданного ФД', en: 'first unsent document date' }) : []),
    ...(['network', 'ofd', 'fn'] as const).flatMap((part) => {
      const e = errors?.[part];
      if (!e) return [];
      const what = { network: ['сети', 'network'], ofd: ['ОФД', 'OFD'], fn: ['ФН', 'fiscal drive'] }[part];
      const value = `${e.code}${e.description?.trim() ? ` ${e.description.trim()}` : ''}`;
      return [field(`errors.${part}`, value, { ru: `Ошибка ${what[0]} при обмене с ОФД`, en: `OFD exchange ${what[1]} error` }, e.code !== 0)];
    }),
    ...optionalValue('errors.lastSuccessConnectionDateTime', errors?.lastSuccessConnectionDateTime, { ru: 'Последнее успешное соединение с ОФД', en: 'last successful OFD connection' }),
  ];
  return { valid: true, decoded, part: { fiscal: { ofd } } };
};

const decodeDeviceInfo: Decoder = (result) => {
  const parsed = DeviceInfo.safeParse(result);
  if (!parsed.success) return invalid(schemaReason(parsed.error));
  const i = parsed.data.deviceInfo;
  const identity: DeviceIdentity = {};
  const model = i.modelName ?? i.model;
  if (model !== undefined) identity.model = model;
  if (i.serial !== undefined) identity.serial = i.serial;
  if (i.firmwareVersion !== undefined) identity.firmware = i.firmwareVersion;
  if (i.ffdVersion !== undefined) identity.ffdVersion = i.ffdVersion;
  const decoded = [
    ...optionalValue('deviceInfo.modelName', i.modelName, { ru: 'Модель ККТ', en: 'register model' }),
    ...optionalValue('deviceInfo.model', i.model, { ru: 'Код модели ККТ', en: 'register model code' }),
    ...optionalValue('deviceInfo.serial', i.serial, { ru: 'Заводской номер ККТ', en: 'register serial' }),
    ...optionalValue('deviceInfo.firmwareVersion', i.firmwareVersion, { ru: 'Версия прошивки', en: 'firmware version' }),
    ...optionalValue('deviceInfo.configurationVersion', i.configurationVersion, { ru: 'Версия конфигурации', en: 'configuration version' }),
    ...optionalValue('deviceInfo.ffdVersion', i.ffdVersion, { ru: 'Версия ФФД ККТ', en: 'register FFD version' }),
  ];
  return { valid: true, decoded, part: { identity } };
};

const decodeIsmExchange: Decoder = (result) => {
  const parsed = IsmExchange.safeParse(result);
  if (!parsed.success) return invalid(schemaReason(parsed.error));
  const decoded = scalarFields(parsed.data, '', 2).slice(0, 16).map(([path, value]) => field(path, value, { ru: 'Обмен с ИСМ (поле не расшифровано)', en: 'ISM exchange (field not interpreted)' }));
  return { valid: true, decoded, part: {} };
};

/** The scalar fields of a JSON object down to `depth` levels, as [path, value] pairs. */
function scalarFields(value: Record<string, unknown>, prefix: string, depth: number): [string, string | number | boolean][] {
  const out: [string, string | number | boolean][] = [];
  for (const [key, inner] of Object.entries(value).slice(0, 32)) {
    const path = `${prefix}${key}`.slice(0, 64);
    if (typeof inner === 'string' || typeof inner === 'number' || typeof inner === 'boolean') out.push([path, inner]);
    else if (depth > 1 && inner !== null && typeof inner === 'object' && !Array.isArray(inner)) out.push(...scalarFields(inner as Record<string, unknown>, `${path}.`, depth - 1));
  }
  return out;
}

function optionalFlag(name: string, value: boolean | undefined, whenTrue: Bilingual, whenFalse: Bilingual, alarm: boolean): DecodedField[] {
  return value === undefined ? [] : [flag(name, value, whenTrue, whenFalse, alarm)];
}

function optionalValue(name: string, value: string | number | undefined, meaning: Bilingual): DecodedField[] {
  return value === undefined ? [] : [field(name, value, meaning)];
}

const DECODERS: Record<ReadOnlyTask, Decoder> = {
  getDeviceStatus: decodeDeviceStatus,
  getShiftStatus: decodeShiftStatus,
  getFnStatus: decodeFnStatus,
  getFnInfo: decodeFnInfo,
  ofdExchangeStatus: decodeOfdExchange,
  ismExchangeStatus: decodeIsmExchange,
  getDeviceInfo: decodeDeviceInfo,
};

/**
 * One task's result entry (`results[i]`, already envelope-checked), decoded. A status other than
 * `ready` is `valid: false` with the status and the ATOL error decoded as evidence.
 */
export function decodeTaskResult(type: ReadOnlyTask, envelope: TaskResultEnvelope | undefined, ctx: DecodeContext): TaskDecoding {
  if (!envelope) return invalid('no answer');
  const statusField = field('status', envelope.status, STATUS_TEXT[envelope.status], envelope.status !== 'ready');
  const errorFields = envelope.error && envelope.error.code !== 0 ? [errorField(envelope.error.code, envelope.error.description)] : [];
  if (envelope.status !== 'ready') return invalid(`task ${envelope.status}`, [statusField, ...errorFields]);
  let decoding: TaskDecoding;
  try {
    decoding = DECODERS[type](envelope.result, ctx);
  } catch (error) {
    // The decoders are written not to throw; this keeps "never throws" true if one ever does.
    decoding = invalid(`decoder failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { ...decoding, decoded: [statusField, ...errorFields, ...decoding.decoded].slice(0, 48) };
}

export function errorField(code: number, description?: string): DecodedField {
  const entry = atolError(code);
  const own = description?.trim() ? ` ${description.trim()}` : '';
  return field('error', `${code} ${entry.name}${own}`, { ru: entry.ru, en: entry.en }, code !== 0);
}

const STATUS_TEXT: Record<TaskResultEnvelope['status'], Bilingual> = {
  wait: { ru: 'Задание ждёт в очереди', en: 'task waiting in the queue' },
  inProgress: { ru: 'Задание выполняется', en: 'task in progress' },
  ready: { ru: 'Задание выполнено', en: 'task done' },
  error: { ru: 'Задание завершилось ошибкой', en: 'task failed' },
  interrupted: { ru: 'Задание прервано: предыдущее задание запроса не выполнено', en: 'task interrupted: an earlier task of the request failed' },
  blocked: { ru: 'Очередь заблокирована: результат неизвестен, нужен оператор', en: 'queue blocked: result unknown, needs an operator' },
  canceled: { ru: 'Задание отменено', en: 'task canceled' },
};

/** The reading of a probe from its valid task parts, in task order (getShiftStatus refines getDeviceStatus's shift). */
export function mergeReading(parts: readonly (ReadingPart | undefined)[]): AtolReading {
  const reading: AtolReading = { fiscal: {}, identity: {}, printer: {} };
  for (const part of parts) {
    if (!part) continue;
    const { fn, ...rest } = part.fiscal ?? {};
    Object.assign(reading.fiscal, rest);
    if (fn) reading.fiscal.fn = { ...reading.fiscal.fn, ...fn };
    Object.assign(reading.identity, part.identity);
    Object.assign(reading.printer, part.printer);
  }
  return reading;
}
