import { z } from 'zod';
import type { LocalizedText } from '../i18n';
import type { RoutingGroup } from './codes';

/** What a cashier can pick on the "report a problem" page: large buttons, no jargon. */
export const Symptom = z.enum(['no_receipt', 'fiscal_error', 'scanner', 'other']);
export type Symptom = z.infer<typeof Symptom>;

/**
 * How urgent a cashier's report is, most urgent first: 1 the till cannot sell (no fiscal receipt
 * means no lawful sale, 54-FZ; a fiscal register error stops every receipt); 2 it sells, slower (a
 * dead scanner: barcodes are typed by hand); 3 not known from the symptom ("something else"). The
 * agent's outbox sends queued reports in this order, then oldest first.
 */
export type SymptomUrgency = 1 | 2 | 3;

export const SYMPTOMS: Record<Symptom, { title: LocalizedText; group: RoutingGroup; urgency: SymptomUrgency }> = {
  no_receipt: { title: { ru: 'Не печатает чек', en: 'Receipt does not print' }, group: 'printers', urgency: 1 },
  fiscal_error: { title: { ru: 'Ошибка ККТ', en: 'Fiscal register error' }, group: 'fiscal', urgency: 1 },
  scanner: { title: { ru: 'Не работает сканер', en: 'Scanner does not work' }, group: 'printers', urgency: 2 },
  other: { title: { ru: 'Другое', en: 'Something else' }, group: 'helpdesk', urgency: 3 },
};
