import { z } from 'zod';
import type { LocalizedText } from '../i18n';
import type { RoutingGroup } from './codes';

/** What a cashier can pick on the "report a problem" page: large buttons, no jargon. */
export const Symptom = z.enum(['no_receipt', 'fiscal_error', 'scanner', 'other']);
export type Symptom = z.infer<typeof Symptom>;

export const SYMPTOMS: Record<Symptom, { title: LocalizedText; group: RoutingGroup }> = {
  no_receipt: { title: { ru: 'Не печатает чек', en: 'Receipt does not print' }, group: 'printers' },
  fiscal_error: { title: { ru: 'Ошибка ККТ', en: 'Fiscal register error' }, group: 'fiscal' },
  scanner: { title: { ru: 'Не работает сканер', en: 'Scanner does not work' }, group: 'printers' },
  other: { title: { ru: 'Другое', en: 'Something else' }, group: 'helpdesk' },
};
