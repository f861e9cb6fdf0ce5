import { DateTime } from 'luxon';
import { CATALOGUE, ROUTING_GROUP_TITLES, RoutingGroup, type DiagnosisCode, type NotifyTrigger, type WebhookBody } from '@tillscope/shared';

/** What a channel sends: the webhook body without its per-attempt timestamp, and the text the others send. */
export type OutgoingMessage = Omit<WebhookBody, 'timestamp'>;

export interface MessageFacts {
  deliveryId: number;
  trigger: NotifyTrigger;
  eventAt: string;
  /** the timeline event's text (the SLA clock and its due time; the escalation's reason and target) */
  eventText: string;
  ticket: WebhookBody['ticket'];
  /** the console's address, e.g. https://support.example.ru; null: no link */
  consoleUrl: string | null;
  /** the store's time zone (IANA): due times are told in the store's own clock */
  timeZone: string;
}

const groupTitle = (group: string, locale: 'ru' | 'en') => {
  const known = RoutingGroup.safeParse(group);
  return known.success ? ROUTING_GROUP_TITLES[known.data][locale] : group;
};

/** The store as people know it: «Name» (id) when it has a name, else its id. */
function storeWords(ticket: WebhookBody['ticket'], locale: 'ru' | 'en'): string {
  const named = ticket.storeName ? (locale === 'ru' ? `«${ticket.storeName}» (${ticket.storeId})` : `"${ticket.storeName}" (${ticket.storeId})`) : ticket.storeId;
  return locale === 'ru' ? `магазин ${named}` : `store ${named}`;
}

function where(ticket: WebhookBody['ticket'], locale: 'ru' | 'en'): string {
  const store = storeWords(ticket, locale);
  if (ticket.scope === 'store') {
    return locale === 'ru' ? `${store}, касс: ${ticket.symptoms}` : `${store}, registers: ${ticket.symptoms}`;
  }
  const device = ticket.deviceId ? (locale === 'ru' ? `, устройство ${ticket.deviceId}` : `, device ${ticket.deviceId}`) : '';
  return locale === 'ru' ? `${store}, касса ${ticket.registerId}${device}` : `${store}, register ${ticket.registerId}${device}`;
}

/**
 * The SLA watch writes "reaction due at <iso>" / "resolution due at <iso>" (sla/sla-watch.ts). The
 * due time is told in the store's clock, with its zone ("до 01.12 14:30 (Europe/Moscow)"): the
 * engineer reading it on a phone thinks in the store's day, not in UTC.
 */
function slaClockWords(eventText: string, locale: 'ru' | 'en', timeZone: string): string {
  const due = DateTime.fromISO(/due at (\S+)/.exec(eventText)?.[1] ?? '', { zone: 'utc' }).setZone(timeZone);
  const shown = due.isValid ? `${due.toFormat('dd.MM HH:mm')} (${timeZone})` : '';
  const reaction = eventText.startsWith('reaction');
  if (locale === 'ru') return `${reaction ? 'реакция' : 'решение'} до ${shown}`.trim();
  return `${reaction ? 'reaction' : 'resolution'} due ${shown}`.trim();
}

function headline(trigger: NotifyTrigger, ticket: WebhookBody['ticket'], locale: 'ru' | 'en'): string {
  const ru = locale === 'ru';
  switch (trigger) {
    case 'p1_opened':
      return ru ? `P1: новая заявка #${ticket.id}` : `P1: new ticket #${ticket.id}`;
    case 'sla_warning':
      return ru ? `Срок SLA на исходе: заявка #${ticket.id} (P${ticket.priority})` : `SLA about to breach: ticket #${ticket.id} (P${ticket.priority})`;
    case 'escalated':
      return ru ? `Эскалация: заявка #${ticket.id} (P${ticket.priority})` : `Escalated: ticket #${ticket.id} (P${ticket.priority})`;
  }
}

function textIn(facts: MessageFacts, locale: 'ru' | 'en'): string {
  const { ticket, trigger } = facts;
  const title = CATALOGUE[ticket.code as DiagnosisCode].title[locale];
  const lines = [headline(trigger, ticket, locale), `${title}: ${where(ticket, locale)}`];
  lines.push(locale === 'ru' ? `Группа: ${groupTitle(ticket.group, locale)}` : `Group: ${groupTitle(ticket.group, locale)}`);
  if (trigger === 'sla_warning') lines.push(slaClockWords(facts.eventText, locale, facts.timeZone));
  if (trigger === 'escalated' && facts.eventText) lines.push(facts.eventText);
  return lines.join('\n');
}

/** The message of one delivery: Russian first, English second; plain text (no markup a channel would interpret). */
export function composeMessage(facts: MessageFacts): OutgoingMessage {
  const base = facts.consoleUrl?.replace(/\/+$/, '');
  return {
    version: 1,
    deliveryId: facts.deliveryId,
    trigger: facts.trigger,
    at: facts.eventAt,
    ticket: facts.ticket,
    text: { ru: textIn(facts, 'ru'), en: textIn(facts, 'en') },
    url: base ? `${base}/#/tickets/${facts.ticket.id}` : null,
  };
}

/** The whole text for channels that carry one text (Telegram, e-mail): Russian, then English, then the link. */
export function plainText(message: OutgoingMessage): string {
  return [message.text.ru, '', message.text.en, ...(message.url ? ['', message.url] : [])].join('\n');
}
