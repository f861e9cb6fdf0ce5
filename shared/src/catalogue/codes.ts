import { z } from 'zod';
import type { LocalizedText } from '../i18n';
import type { ChecklistStep } from './checklist';
import { FISCAL_ENTRIES } from './fiscal-entries';
import { HOST_ENTRIES } from './host-entries';
import { PRINTER_ENTRIES } from './printer-entries';

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
  'printer.disconnected',
  'printer.port_busy',
  'printer.wrong_device',
  'printer.queue_paused',
  'printer.queue_stuck',
  'printer.spooler_offline',
  'printer.spooler_stopped',
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
  'host.print_service_stopped',
  'host.print_service_crashing',
  'host.print_queue_stuck',
  'host.driver_changed',
  'host.clock_not_synced',
  'host.clock_drift',
  'host.disk_nearly_full',
  'host.reboot_pending',
  'host.device_detached',
  'host.pos_app_not_running',
  'host.drift_from_reference',
  'host.check_failed',
  'agent.offline',
  'cashier.problem_reported',
  'store.outage',
]);
export type DiagnosisCode = z.infer<typeof DiagnosisCode>;

export const Category = z.enum(['printer', 'fiscal', 'os', 'network', 'cashier']);
export type Category = z.infer<typeof Category>;

/** critical: the checkout cannot sell; major: it sells with difficulty; minor: act soon; info. */
export const Severity = z.enum(['critical', 'major', 'minor', 'info']);
export type Severity = z.infer<typeof Severity>;

/**
 * The built-in groups a ticket is routed to (the catalogue's defaults). Admins may add groups and
 * change the routing table in the console, so the API carries any `GroupId` (catalogue/service.ts).
 */
export const RoutingGroup = z.enum(['printers', 'fiscal', 'pos_software', 'network', 'hardware', 'helpdesk', 'third_line', 'vendor']);
export type RoutingGroup = z.infer<typeof RoutingGroup>;

export const ROUTING_GROUP_TITLES: Record<RoutingGroup, LocalizedText> = {
  printers: { ru: 'Принтеры и периферия', en: 'Printers and peripherals' },
  fiscal: { ru: 'ККТ и фискальные накопители', en: 'Fiscal registers' },
  pos_software: { ru: 'Кассовое ПО и ОС', en: 'POS software and OS' },
  network: { ru: 'Сеть и связь', en: 'Network' },
  hardware: { ru: 'Оборудование', en: 'Hardware' },
  helpdesk: { ru: 'Первая линия', en: 'First line' },
  third_line: { ru: 'Третья линия', en: 'Third line' },
  vendor: { ru: 'Поставщики', en: 'Vendors' },
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
  /**
   * false: a finding the console shows (on the register and in its reports) but never makes a
   * ticket of. "Could not check" is a gap in what the machine knows, not a fault of the register:
   * a ticket per missing tool on every register would bury the faults.
   */
  opensTicket?: false;
  /**
   * Hold time, seconds (default 0): the finding must stand this long before a ticket opens, so a
   * paper change or a cover opened for a moment is not an incident. An admin may override it per
   * code (noise settings). `agent.offline` keeps its own hold: the console's offline threshold.
   */
  holdSec?: number;
  /** 'store': one ticket for a whole store (a store incident), not for one register. Default 'register'. */
  scope?: 'store';
  /**
   * This condition on most of a store's registers at once points to the store itself (its network
   * or its power), so store correlation may make one store incident of it. Consumables and local
   * faults (paper, cover, a driver) never do: two registers out of paper together are two tickets.
   */
  storeCause?: true;
}

const entries: CatalogueEntry[] = [
  ...PRINTER_ENTRIES,
  ...FISCAL_ENTRIES,
  ...HOST_ENTRIES,
  {
    code: 'agent.offline',
    storeCause: true,
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
  {
    // A store incident (issue 11, store correlation): most of a store's registers went silent, or
    // failed alike, within a short window; the register tickets attach to it as symptoms.
    code: 'store.outage',
    category: 'network',
    severity: 'critical',
    group: 'network',
    checklist: ['agent.connected'],
    title: { ru: 'Магазин без связи или питания', en: 'Store without network or power' },
    advice: {
      ru: 'Почти все кассы магазина пропали одновременно: позвонить в магазин, проверить электропитание, роутер и канал связи провайдера.',
      en: 'Nearly every register of the store dropped at once: call the store, check power, the router and the provider uplink.',
    },
    autoResolve: true,
    scope: 'store',
  },
];

export const CATALOGUE: Readonly<Record<DiagnosisCode, CatalogueEntry>> = Object.freeze(
  Object.fromEntries(entries.map((entry) => [entry.code, entry])) as Record<DiagnosisCode, CatalogueEntry>,
);

export function catalogueEntry(code: DiagnosisCode): CatalogueEntry {
  return CATALOGUE[code];
}
