// @vitest-environment jsdom
import { h } from 'preact';
import { describe, expect, it, vi } from 'vitest';
import type { Article, Me, ResolveFix, TicketDetail, TicketKnowledge } from '@tillscope/shared';
import type { ApiClient } from '../api/client';
import { ConsoleState } from '../state/console-state';
import { byTestId, clickAndFlush, typeInto } from '../testing/dom-actions';
import { flush, flushUntil, mountPerTest, silentFeed } from '../testing/dom';
import { makeDetail } from '../testing/fixtures';
import { TicketScreen } from './ticket-detail';

// The ticket's "Знания" block and the fix picker in the resolve form, on the ticket screen over a
// stub API: what the engineer sees and what the resolve request carries.

const mount = mountPerTest();
const me: Me = { username: 'eve', displayName: 'Ева', role: 'engineer', groups: ['printers'] };
const summary = { codes: ['printer.paper_end' as const], models: ['TM-T20III'], author: 'eve', updatedAt: '2026-12-01T10:00:00.000Z', builtin: false, excerpt: 'Вставьте рулон' };
const KNOWLEDGE: TicketKnowledge = {
  code: 'printer.paper_end',
  model: 'TM-T20III',
  articles: [
    { ...summary, id: 4, title: { ru: 'Замена рулона', en: 'Paper roll' }, match: 'code_model' },
    { ...summary, id: 5, title: { ru: '<img src=x onerror=alert(1)>', en: '' }, match: 'model' },
  ],
  fixes: [
    { key: 'text:вставили новый рулон', text: 'Вставили новый рулон', articleId: null, applied: 140, fixed: 129, rate: 129 / 140 },
    { key: 'article:4', text: 'Замена рулона', articleId: 4, applied: 3, fixed: 3, rate: 1 },
    { key: 'text:почистили датчик', text: 'Почистили датчик', articleId: null, applied: 250, fixed: 249, rate: 249 / 250 },
  ],
  templates: [{ id: 1, title: { ru: 'Бумага', en: 'Paper' }, body: 'Заявка {ticket} ({problem}): магазин {store}, касса {register}. {engineer}. {unknown}', author: 'eve', updatedAt: '2026-12-01T10:00:00.000Z' }],
};

async function mountTicket(detail: TicketDetail) {
  const api = {
    ticket: vi.fn(async () => detail),
    ticketBundles: vi.fn(async () => ({ bundles: [], pending: null, failed: null })),
    registers: vi.fn(async () => ({ registers: [], total: 0, nextCursor: null })),
    groups: vi.fn(async () => ({ groups: [] })),
    ticketKnowledge: vi.fn(async () => KNOWLEDGE),
    article: vi.fn(async (id: number): Promise<Article> => ({ ...summary, id, title: { ru: 'Замена рулона', en: '' }, body: '**Жирно**<script>window.__kbTicket=1</script>', createdAt: summary.updatedAt })),
    // answers the ticket unchanged, so the form can be opened again
    resolve: vi.fn(async (_id: number, _note: string, _fix?: ResolveFix) => detail),
    note: vi.fn(async () => detail),
  };
  const el = mount(h(TicketScreen, { id: detail.id, api: api as unknown as ApiClient, feed: silentFeed(), state: new ConsoleState(api as unknown as ApiClient, () => me), me }));
  await flush();
  await flush();
  return { el, api };
}

describe('the ticket\'s knowledge block', () => {
  it('lists the linked articles with why, and past fixes with their rates ("92 % из 140")', async () => {
    const { el, api } = await mountTicket(makeDetail(7));
    expect(api.ticketKnowledge).toHaveBeenCalledWith(7);
    const articles = [...byTestId(el, 'knowledge-articles').querySelectorAll('summary')].map((s) => s.textContent);
    expect(articles).toEqual(['Замена рулона код и модель', '<img src=x onerror=alert(1)> модель']);
    expect(byTestId(el, 'knowledge').querySelector('img')).toBeNull();
    const fixes = [...byTestId(el, 'knowledge-fixes').querySelectorAll('li')].map((li) => li.textContent);
    expect(fixes).toEqual(['Вставили новый рулон 92 % из 140', 'Замена рулона 100 % из 3', 'Почистили датчик 99 % из 250']);
    expect(byTestId(el, 'knowledge-fixes').querySelector('.fix-rate')!.getAttribute('title')).toBe('Не открывались снова: 129 из 140');
  });

  it('opens an article with its body rendered and sanitized', async () => {
    const { el, api } = await mountTicket(makeDetail(7));
    const details = byTestId(el, 'knowledge-articles').querySelector('details')!;
    details.open = true;
    details.dispatchEvent(new Event('toggle'));
    await flush();
    expect(api.article).toHaveBeenCalledWith(4);
    const body = byTestId<HTMLElement>(el, 'knowledge-article-body');
    // marked and DOMPurify come as a chunk of their own: the plain text first, then the rendering
    expect((await flushUntil(() => body.querySelector('strong'))).textContent).toBe('Жирно');
    expect(body.querySelector('script')).toBeNull();
  });

  it('fills a reply template with the ticket\'s values into a note the engineer can edit', async () => {
    const { el, api } = await mountTicket(makeDetail(7));
    await clickAndFlush(byTestId<HTMLButtonElement>(el, 'knowledge-insert'));
    const note = byTestId<HTMLTextAreaElement>(el, 'knowledge-note');
    expect(note.value).toBe('Заявка №7 (Нет бумаги в принтере чеков): магазин msk-014, касса pos-02. Ева. {unknown}');
    typeInto(el, 'knowledge-note', `${note.value} Спасибо!`);
    await clickAndFlush(byTestId<HTMLButtonElement>(el, 'knowledge-note-save'));
    expect(api.note).toHaveBeenCalledWith(7, 'Заявка №7 (Нет бумаги в принтере чеков): магазин msk-014, касса pos-02. Ева. {unknown} Спасибо!');
  });
});

describe('the fix picker on resolve', () => {
  const openResolve = async (el: HTMLElement) => {
    await clickAndFlush(byTestId<HTMLButtonElement>(el, 'action-resolve'));
    await flush();
  };

  it('offers the known fixes with their rates and the linked articles; the picked one goes with the resolve', async () => {
    const { el, api } = await mountTicket(makeDetail(7));
    await openResolve(el);
    const labels = [...byTestId(el, 'fix-picker').querySelectorAll('label')].map((label) => label.textContent);
    expect(labels).toEqual([
      'Не указывать',
      'Вставили новый рулон — 92 % из 140',
      'Замена рулона — 100 % из 3',
      'Почистили датчик — 99 % из 250',
      'По статье: Замена рулона',
      'По статье: <img src=x onerror=alert(1)>',
      'Своё решение',
    ]);
    await clickAndFlush(byTestId<HTMLInputElement>(el, 'fix-option-fix:text:вставили новый рулон'));
    typeInto(el, 'resolve-note', 'рулон в наличии');
    await clickAndFlush(byTestId<HTMLButtonElement>(el, 'action-resolve-confirm'));
    expect(api.resolve).toHaveBeenCalledWith(7, 'рулон в наличии', { text: 'Вставили новый рулон' });
  });

  it('sends an article\'s id, a written fix, or none; "something else" needs words first', async () => {
    const { el, api } = await mountTicket(makeDetail(7));
    await openResolve(el);
    await clickAndFlush(byTestId<HTMLInputElement>(el, 'fix-option-article:4'));
    await clickAndFlush(byTestId<HTMLButtonElement>(el, 'action-resolve-confirm'));
    expect(api.resolve).toHaveBeenLastCalledWith(7, '', { articleId: 4, text: 'Замена рулона' });

    await openResolve(el);
    await clickAndFlush(byTestId<HTMLInputElement>(el, 'fix-option-own'));
    expect(byTestId<HTMLButtonElement>(el, 'action-resolve-confirm').disabled).toBe(true);
    typeInto(el, 'fix-own-text', '  Перезагрузили принтер ');
    expect(byTestId<HTMLButtonElement>(el, 'action-resolve-confirm').disabled).toBe(false);
    await clickAndFlush(byTestId<HTMLButtonElement>(el, 'action-resolve-confirm'));
    expect(api.resolve).toHaveBeenLastCalledWith(7, '', { text: 'Перезагрузили принтер' });

    await openResolve(el);
    await clickAndFlush(byTestId<HTMLButtonElement>(el, 'action-resolve-confirm'));
    expect(api.resolve).toHaveBeenLastCalledWith(7, '', undefined);
  });
});
