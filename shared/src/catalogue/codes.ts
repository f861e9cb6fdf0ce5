import { z } from 'zod';
import type { LocalizedText } from '../i18n';
import type { ChecklistStep } from './checklist';
import { FISCAL_ENTRIES } from './fiscal-entries';

/** Every diagnosis Tillscope can make. One catalogue entry per code; never rename a code. */
export const DiagnosisCode = z.enum([
  'printer.paper_end',
  'printer.paper_near_end',
  'printer.cover_open',
  'printer.offline',
  'printer.cutter_error',
  'printer.recoverable_error',
  'printer.unrecoverable_error',
  'printer.auto_recoverable_error',
  'printer.no_reply',
  'fiscal.no_reply',
  'fiscal.port_busy',
  'fiscal.paper_end',
  'fiscal.cover_open',
  'fiscal.cutter_error',
  'fiscal.printer_error',
  'fiscal.shift_over_23h',
  'fiscal.shift_expired',
  'fiscal.fn_expires_30d',
  'fiscal.fn_expires_3d',
  'fiscal.fn_expired',
  'fiscal.fn_archive_90',
  'fiscal.fn_critical_error',
  'fiscal.ofd_unsent_warning',
  'fiscal.ofd_unsent_critical',
  'fiscal.ofd_unsent_blocked',
  'fiscal.ofd_connection_error',
  'fiscal.clock_drift',
  'fiscal.queue_blocked',
  'fiscal.queue_timeout',
  'agent.offline',
  'cashier.problem_reported',
]);
export type DiagnosisCode = z.infer<typeof DiagnosisCode>;

export const Category = z.enum(['printer', 'fiscal', 'os', 'network', 'cashier']);
export type Category = z.infer<typeof Category>;

/** critical: the checkout cannot sell; major: it sells with difficulty; minor: act soon; info. */
export const Severity = z.enum(['critical', 'major', 'minor', 'info']);
export type Severity = z.infer<typeof Severity>;

/** Second-line groups a ticket is routed to. */
export const RoutingGroup = z.enum(['printers', 'fiscal', 'pos_software', 'network', 'helpdesk']);
export type RoutingGroup = z.infer<typeof RoutingGroup>;

export const ROUTING_GROUP_TITLES: Record<RoutingGroup, LocalizedText> = {
  printers: { ru: 'Принтеры и периферия', en: 'Printers and peripherals' },
  fiscal: { ru: 'ККТ и фискальные накопители', en: 'Fiscal registers' },
  pos_software: { ru: 'Кассовое ПО и ОС', en: 'POS software and OS' },
  network: { ru: 'Сеть и связь', en: 'Network' },
  helpdesk: { ru: 'Первая линия', en: 'First line' },
};

export const SEVERITY_TITLES: Record<Severity, LocalizedText> = {
  critical: { ru: 'Критично', en: 'Critical' },
  major: { ru: 'Высокий', en: 'Major' },
  minor: { ru: 'Средний', en: 'Minor' },
  info: { ru: 'Информация', en: 'Info' },
};

/** Priority (P1 highest) and SLA clocks follow from severity. Minutes. */
export const SLA_BY_SEVERITY: Record<Severity, { priority: 1 | 2 | 3 | 4; reactMinutes: number; resolveMinutes: number }> = {
  critical: { priority: 1, reactMinutes: 15, resolveMinutes: 4 * 60 },
  major: { priority: 2, reactMinutes: 30, resolveMinutes: 8 * 60 },
  minor: { priority: 3, reactMinutes: 120, resolveMinutes: 24 * 60 },
  info: { priority: 4, reactMinutes: 8 * 60, resolveMinutes: 72 * 60 },
};

export interface CatalogueEntry {
  code: DiagnosisCode;
  category: Category;
  severity: Severity;
  group: RoutingGroup;
  /** The first-line steps this diagnosis answers, in the order a helpdesk asks them. */
  checklist: ChecklistStep[];
  title: LocalizedText;
  /** What to do first: the knowledge-base hint an engineer (or the cashier) acts on. */
  advice: LocalizedText;
  /** Whether the ticket may resolve on its own when the device recovers (untouched tickets only). */
  autoResolve: boolean;
  /**
   * The device could not be examined at all (it did not answer): while this finding stands, the
   * absence of the device's other findings means "not seen", not "recovered".
   */
  blindsDevice?: true;
}

const PRINTER_STEPS: ChecklistStep[] = [
  'printer.answers',
  'printer.online',
  'printer.paper',
  'printer.cover',
  'printer.cutter',
  'printer.error',
  'printer.test_print',
];

const entries: CatalogueEntry[] = [
  {
    code: 'printer.paper_end',
    category: 'printer',
    severity: 'major',
    group: 'printers',
    checklist: PRINTER_STEPS,
    title: { ru: 'Нет бумаги в принтере чеков', en: 'Receipt printer out of paper' },
    advice: {
      ru: 'Попросите кассира вставить новый рулон и закрыть крышку. Если бумага есть, проверьте датчик конца бумаги.',
      en: 'Ask the cashier to load a new roll and close the cover. If paper is loaded, check the paper-end sensor.',
    },
    autoResolve: true,
  },
  {
    code: 'printer.paper_near_end',
    category: 'printer',
    severity: 'minor',
    group: 'printers',
    checklist: ['printer.answers', 'printer.paper'],
    title: { ru: 'Бумага в принтере чеков заканчивается', en: 'Receipt paper nearly out' },
    advice: {
      ru: 'Подготовить запасной рулон; продажи пока не остановлены.',
      en: 'Have a spare roll ready; sales are not blocked yet.',
    },
    autoResolve: true,
  },
  {
    code: 'printer.cover_open',
    category: 'printer',
    severity: 'major',
    group: 'printers',
    checklist: PRINTER_STEPS,
    title: { ru: 'Открыта крышка принтера чеков', en: 'Receipt printer cover open' },
    advice: {
      ru: 'Попросите кассира закрыть крышку до щелчка. Если крышка закрыта, неисправен датчик крышки.',
      en: 'Ask the cashier to shut the cover until it clicks. If it is shut, the cover sensor is faulty.',
    },
    autoResolve: true,
  },
  {
    code: 'printer.offline',
    category: 'printer',
    severity: 'critical',
    group: 'printers',
    checklist: PRINTER_STEPS,
    title: { ru: 'Принтер чеков в офлайне', en: 'Receipt printer offline' },
    advice: {
      ru: 'Принтер отвечает, но не печатает, и причина не сообщена. Проверить кнопку FEED, индикаторы, перезапустить принтер.',
      en: 'The printer answers but will not print and reports no cause. Check the FEED button and lights, power-cycle it.',
    },
    autoResolve: true,
  },
  {
    code: 'printer.cutter_error',
    category: 'printer',
    severity: 'major',
    group: 'printers',
    checklist: PRINTER_STEPS,
    title: { ru: 'Ошибка отрезчика принтера чеков', en: 'Receipt printer cutter error' },
    advice: {
      ru: 'Открыть крышку, убрать замятую ленту из отрезчика, закрыть. Если повторяется, заменить отрезчик.',
      en: 'Open the cover, clear the jammed paper from the cutter, close it. If it recurs, replace the cutter.',
    },
    autoResolve: true,
  },
  {
    code: 'printer.recoverable_error',
    category: 'printer',
    severity: 'major',
    group: 'printers',
    checklist: PRINTER_STEPS,
    title: { ru: 'Устранимая ошибка принтера чеков', en: 'Receipt printer recoverable error' },
    advice: {
      ru: 'Механическая ошибка (на старых моделях) или устранимая ошибка: проверить механизм, перезапустить принтер.',
      en: 'A mechanical error (older models) or recoverable error: check the mechanism, power-cycle the printer.',
    },
    autoResolve: true,
  },
  {
    code: 'printer.unrecoverable_error',
    category: 'printer',
    severity: 'critical',
    group: 'printers',
    checklist: PRINTER_STEPS,
    title: { ru: 'Неустранимая ошибка принтера чеков', en: 'Receipt printer unrecoverable error' },
    advice: {
      ru: 'Выключить и включить принтер. Если ошибка остаётся, нужна замена принтера: отправить подменный.',
      en: 'Power-cycle the printer. If the error stays, the printer needs replacing: send a spare.',
    },
    autoResolve: true,
  },
  {
    code: 'printer.auto_recoverable_error',
    category: 'printer',
    severity: 'minor',
    group: 'printers',
    checklist: PRINTER_STEPS,
    title: { ru: 'Перегрев головки или крышка открыта во время печати', en: 'Print head overheated or cover opened while printing' },
    advice: {
      ru: 'Обычно проходит само через несколько минут. Если повторяется часто, проверить нагрузку и вентиляцию.',
      en: 'Usually clears by itself within minutes. If it recurs often, check the print load and ventilation.',
    },
    autoResolve: true,
  },
  {
    code: 'printer.no_reply',
    category: 'printer',
    severity: 'critical',
    group: 'printers',
    blindsDevice: true,
    checklist: ['printer.answers', 'printer.test_print'],
    title: { ru: 'Принтер чеков не отвечает', en: 'Receipt printer does not answer' },
    advice: {
      ru: 'Нет ответа на запрос состояния: проверить питание, кабель или сеть принтера, порт и эмуляцию (ESC/POS).',
      en: 'No answer to a status query: check the printer power, cable or network, the port and the emulation (ESC/POS).',
    },
    autoResolve: true,
  },
  ...FISCAL_ENTRIES,
  {
    code: 'agent.offline',
    category: 'network',
    severity: 'major',
    group: 'network',
    checklist: ['agent.connected'],
    title: { ru: 'Касса не на связи', en: 'Register is not reporting' },
    advice: {
      ru: 'Агент кассы перестал выходить на связь: проверить, включена ли касса и есть ли сеть в магазине.',
      en: 'The register agent stopped reporting: check that the register is on and the store network is up.',
    },
    autoResolve: true,
  },
  {
    code: 'cashier.problem_reported',
    category: 'cashier',
    severity: 'major',
    group: 'helpdesk',
    checklist: [],
    title: { ru: 'Кассир сообщил о проблеме', en: 'Cashier reported a problem' },
    advice: {
      ru: 'Машина не нашла неисправности: уточнить у кассира, что именно не работает.',
      en: 'The machine found no fault: ask the cashier what exactly does not work.',
    },
    autoResolve: false,
  },
];

export const CATALOGUE: Readonly<Record<DiagnosisCode, CatalogueEntry>> = Object.freeze(
  Object.fromEntries(entries.map((entry) => [entry.code, entry])) as Record<DiagnosisCode, CatalogueEntry>,
);

export function catalogueEntry(code: DiagnosisCode): CatalogueEntry {
  return CATALOGUE[code];
}
