import { describe, expect, it } from 'vitest';
import { composeMessage, type MessageFacts } from './message';

// The words a channel sends, in both languages: the store as people know it (its name, then its
// id) and an SLA due time in the store's own clock and zone.

const facts = (changes: Partial<MessageFacts> = {}, ticket: Partial<MessageFacts['ticket']> = {}): MessageFacts => ({
  deliveryId: 3, trigger: 'sla_warning', eventAt: '2026-12-01T09:00:00.000Z', eventText: 'reaction due at 2026-12-01T09:30:00.000Z',
  consoleUrl: null, timeZone: 'Asia/Yekaterinburg',
  ticket: { id: 12, code: 'printer.paper_end', priority: 2, group: 'printers', storeId: 'ekb-003', storeName: 'Малышева, 5', registerId: 'pos-1', deviceId: null, scope: 'register', symptoms: 0, ...ticket },
  ...changes,
});

describe('notification text', () => {
  it('tells an SLA due time in the store\'s clock (09:30 UTC is 14:30 in Yekaterinburg)', () => {
    const { text } = composeMessage(facts());
    expect(text.ru).toContain('реакция до 01.12 14:30 (Asia/Yekaterinburg)');
    expect(text.en).toContain('reaction due 01.12 14:30 (Asia/Yekaterinburg)');
    expect(composeMessage(facts({ timeZone: 'Europe/Moscow', eventText: 'resolution due at 2026-12-01T21:10:00.000Z' })).text.ru).toContain('решение до 02.12 00:10 (Europe/Moscow)');
  });

  it('names the store, or gives its id when it has no name; a store incident counts its registers', () => {
    expect(composeMessage(facts()).text.ru).toContain('магазин «Малышева, 5» (ekb-003), касса pos-1');
    expect(composeMessage(facts({}, { storeName: '' })).text.en).toContain('store ekb-003, register pos-1');
    expect(composeMessage(facts({ trigger: 'p1_opened' }, { scope: 'store', symptoms: 7, storeName: '' })).text.ru).toContain('магазин ekb-003, касс: 7');
  });

  it('an unreadable due time leaves the time out instead of "Invalid DateTime"', () => {
    const { text } = composeMessage(facts({ eventText: 'reaction due at soon' }));
    expect(text.ru).toMatch(/реакция до$/m);
    expect(text.ru).not.toContain('Invalid');
  });
});
