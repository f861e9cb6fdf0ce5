import { z } from 'zod';
import type { LocalizedText } from '../i18n';
import { CATALOGUE, DiagnosisCode, ROUTING_GROUP_TITLES, RoutingGroup } from './codes';

// The service catalogue (issue 11): what kind of service a diagnosis asks for, which groups of
// engineers exist, and the default SLA targets per (category, priority). Admins edit groups, the
// routing table and the targets in the console; these are the defaults a new console starts with.

/** The service categories of the SLA catalogue, as a support manager names them. */
export const ServiceCategory = z.enum(['printer', 'fiscal', 'pos_software', 'network', 'hardware', 'other']);
export type ServiceCategory = z.infer<typeof ServiceCategory>;

export const SERVICE_CATEGORY_TITLES: Record<ServiceCategory, LocalizedText> = {
  printer: { ru: 'Печать чеков', en: 'Receipt printing' },
  fiscal: { ru: 'ККТ и ФН', en: 'Fiscal registers' },
  pos_software: { ru: 'Кассовое ПО и ОС', en: 'POS software and OS' },
  network: { ru: 'Сеть и связь', en: 'Network' },
  hardware: { ru: 'Оборудование', en: 'Hardware' },
  other: { ru: 'Прочее', en: 'Other' },
};

/** Host findings that are about the machine's hardware rather than its software. */
const HARDWARE_CODES: ReadonlySet<DiagnosisCode> = new Set(['host.disk_nearly_full', 'host.device_detached']);

/** The service category of a diagnosis code (fixed; the admin edits targets, not this map). */
export function serviceCategoryOf(code: DiagnosisCode): ServiceCategory {
  const entry = CATALOGUE[code];
  switch (entry.category) {
    case 'printer':
      return 'printer';
    case 'fiscal':
      return 'fiscal';
    case 'network':
      return 'network';
    case 'cashier':
      return 'other';
    case 'os':
      if (HARDWARE_CODES.has(code)) return 'hardware';
      return code.startsWith('host.print_') ? 'printer' : 'pos_software';
  }
}

/**
 * A group id: a slug an admin picks when creating a group. The built-in ones are RoutingGroup's
 * values (the catalogue's defaults); admins may add more, so the API carries any slug.
 */
export const GroupId = z.string().regex(/^[a-z][a-z0-9_]{1,31}$/, 'a group id: lowercase letters, digits and _');
export type GroupId = z.infer<typeof GroupId>;

/** Which support line a group is: first (helpdesk), second, third (deep specialists) or a vendor. */
export const SupportLine = z.enum(['first', 'second', 'third', 'vendor']);
export type SupportLine = z.infer<typeof SupportLine>;

export const SUPPORT_LINE_TITLES: Record<SupportLine, LocalizedText> = {
  first: { ru: 'Первая линия', en: 'First line' },
  second: { ru: 'Вторая линия', en: 'Second line' },
  third: { ru: 'Третья линия', en: 'Third line' },
  vendor: { ru: 'Поставщик', en: 'Vendor' },
};

/** The line of each built-in group (their titles are ROUTING_GROUP_TITLES). */
export const DEFAULT_GROUP_LINES: Record<RoutingGroup, SupportLine> = {
  helpdesk: 'first',
  printers: 'second',
  fiscal: 'second',
  pos_software: 'second',
  network: 'second',
  hardware: 'second',
  third_line: 'third',
  vendor: 'vendor',
};

/** P1 "the checkout cannot sell" … P4 "a request". */
export const Priority = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);
export type Priority = z.infer<typeof Priority>;

export const PRIORITY_TITLES: Record<Priority, LocalizedText> = {
  1: { ru: 'P1 — касса не может продавать', en: 'P1 — the checkout cannot sell' },
  2: { ru: 'P2 — продажи затруднены', en: 'P2 — selling with difficulty' },
  3: { ru: 'P3 — нужно исправить скоро', en: 'P3 — fix soon' },
  4: { ru: 'P4 — запрос', en: 'P4 — request' },
};

/**
 * Default targets, in minutes of the store's BUSINESS time (its hours, its calendar): the reaction
 * (an engineer takes, assigns or answers) and the resolution. The same for every category until an
 * admin edits them; they match the clocks used before calendars existed.
 */
export const DEFAULT_SLA_MINUTES: Record<Priority, { reactMinutes: number; resolveMinutes: number }> = {
  1: { reactMinutes: 15, resolveMinutes: 4 * 60 },
  2: { reactMinutes: 30, resolveMinutes: 8 * 60 },
  3: { reactMinutes: 120, resolveMinutes: 24 * 60 },
  4: { reactMinutes: 8 * 60, resolveMinutes: 72 * 60 },
};

/** A group's title when the groups list is not at hand: the built-in title, or the id itself for an admin's group. */
export function builtInGroupTitle(id: string): LocalizedText {
  const builtIn = RoutingGroup.safeParse(id);
  return builtIn.success ? ROUTING_GROUP_TITLES[builtIn.data] : { ru: id, en: id };
}
