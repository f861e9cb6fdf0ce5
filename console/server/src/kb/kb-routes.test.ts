import { Article, ArticleList, ErrorBody, ReplyTemplate, TemplateList, TicketDetail, TicketKnowledge, TicketList } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { ADMIN, apiCall, eventually, login, registerFlowForEachTest, type RegisterFlow } from '../test-support/console-harness';
import { healthMessage, PAPER_END, printerReport } from '../test-support/device-reports';

// The knowledge base through the real HTTP server on a real SQLite file: articles and templates,
// search, a ticket's knowledge, and the fix named on resolve feeding the fix rates, with a real
// agent's reports opening and reopening the ticket.

let flow: RegisterFlow;
registerFlowForEachTest((started) => (flow = started));

const call = (method: string, route: string, cookie: string, body?: unknown) => apiCall(flow.test.server.url, method, route, cookie, body);
const errorOf = (answer: { json: unknown }) => ErrorBody.parse(answer.json);
const ROLL = {
  title: { ru: 'Замена рулона', en: 'Replacing the paper roll' },
  body: '# Рулон\n\nВставьте новый рулон 57 мм.',
  codes: ['printer.paper_end'],
  models: ['TM-T20III'],
};

async function paperEndTicket(n: number): Promise<number> {
  await flow.agent.request(healthMessage(`h-${n}`, [printerReport({ findings: [PAPER_END] })]));
  const open = await eventually(async () => TicketList.parse((await call('GET', '/api/tickets', flow.cookie)).json).tickets, (list) => list.length === 1);
  return open[0]!.id;
}
const knowledge = async (id: number) => TicketKnowledge.parse((await call('GET', `/api/tickets/${id}/knowledge`, flow.cookie)).json);

describe('/api/kb/articles', () => {
  it('seeds a built-in article per catalogue code: editable, not deletable', async () => {
    const { articles } = ArticleList.parse((await call('GET', '/api/kb/articles?code=printer.paper_end', flow.cookie)).json);
    expect(articles).toEqual([expect.objectContaining({ builtin: true, codes: ['printer.paper_end'], title: { ru: 'Нет бумаги в принтере чеков', en: 'Receipt printer out of paper' } })]);
    const admin = await login(flow.test.server.url, ADMIN);
    const refused = await call('DELETE', `/api/kb/articles/${articles[0]!.id}`, admin);
    expect([refused.status, errorOf(refused).code]).toEqual([409, 'conflict']);
    const edited = await call('PUT', `/api/kb/articles/${articles[0]!.id}`, flow.cookie, { ...ROLL, codes: ['printer.paper_end'] });
    expect(Article.parse(edited.json)).toMatchObject({ builtin: true, author: 'eve', body: ROLL.body });
  });

  it('creates, reads, searches, edits and deletes (delete: admins); bad input is 400, unknown ids 404', async () => {
    const created = await call('POST', '/api/kb/articles', flow.cookie, ROLL);
    expect(created.status).toBe(201);
    const article = Article.parse(created.json);
    expect(article).toMatchObject({ ...ROLL, author: 'eve', builtin: false, excerpt: 'Вставьте новый рулон 57 мм.' });
    expect(Article.parse((await call('GET', `/api/kb/articles/${article.id}`, flow.cookie)).json)).toEqual(article);
    const found = ArticleList.parse((await call('GET', `/api/kb/articles?q=${encodeURIComponent('рулон 57')}`, flow.cookie)).json);
    expect(found.articles.map((a) => a.id)).toEqual([article.id]);
    const hostile = await call('GET', `/api/kb/articles?q=${encodeURIComponent('"NEAR(рул* OR')}`, flow.cookie);
    expect(hostile.status).toBe(200);

    expect(errorOf(await call('POST', '/api/kb/articles', flow.cookie, { ...ROLL, codes: ['printer.nonsense'] }))).toMatchObject({ code: 'bad_request' });
    expect(errorOf(await call('POST', '/api/kb/articles', flow.cookie, { ...ROLL, title: { ru: ' ', en: '' } }))).toMatchObject({ code: 'bad_request' });
    expect(errorOf(await call('GET', '/api/kb/articles/999999', flow.cookie))).toMatchObject({ code: 'not_found' });
    expect(errorOf(await call('PUT', '/api/kb/articles/999999', flow.cookie, ROLL))).toMatchObject({ code: 'not_found' });

    expect((await call('DELETE', `/api/kb/articles/${article.id}`, flow.cookie)).status).toBe(403);
    const admin = await login(flow.test.server.url, ADMIN);
    expect((await call('DELETE', `/api/kb/articles/${article.id}`, admin)).status).toBe(204);
    expect((await call('GET', `/api/kb/articles/${article.id}`, flow.cookie)).status).toBe(404);
    expect(ArticleList.parse((await call('GET', '/api/kb/articles?q=57', flow.cookie)).json).total).toBe(0);
  });
});

describe('/api/kb/templates', () => {
  it('creates, lists, edits and deletes reply templates', async () => {
    const body = { title: { ru: 'Бумага', en: 'Paper' }, body: 'Заявка {ticket}: вставьте рулон на кассе {register}.' };
    const created = ReplyTemplate.parse((await call('POST', '/api/kb/templates', flow.cookie, body)).json);
    expect(created).toMatchObject({ ...body, author: 'eve' });
    const edited = ReplyTemplate.parse((await call('PUT', `/api/kb/templates/${created.id}`, flow.cookie, { ...body, body: 'Готово: {ticket}' })).json);
    expect(TemplateList.parse((await call('GET', '/api/kb/templates', flow.cookie)).json).templates).toEqual([edited]);
    expect(errorOf(await call('POST', '/api/kb/templates', flow.cookie, { ...body, body: '' }))).toMatchObject({ code: 'bad_request' });
    const admin = await login(flow.test.server.url, ADMIN);
    expect((await call('DELETE', `/api/kb/templates/${created.id}`, flow.cookie)).status).toBe(403);
    expect((await call('DELETE', `/api/kb/templates/${created.id}`, admin)).status).toBe(204);
    expect((await call('DELETE', `/api/kb/templates/${created.id}`, admin)).status).toBe(404);
  });
});

describe('a ticket\'s knowledge and the fix named on resolve', () => {
  it('lists linked articles by code and model; a fix feeds the rate, a reopening takes it back', async () => {
    const article = Article.parse((await call('POST', '/api/kb/articles', flow.cookie, ROLL)).json);
    const other = Article.parse((await call('POST', '/api/kb/articles', flow.cookie, { ...ROLL, codes: [], title: { ru: 'Про TM-T20III', en: '' } })).json);
    const ticketId = await paperEndTicket(1);
    const before = await knowledge(ticketId);
    expect(before).toMatchObject({ code: 'printer.paper_end', model: 'TM-T20III', fixes: [] });
    expect(before.articles.map((a) => [a.id, a.match])).toEqual([[article.id, 'code_model'], [expect.any(Number), 'code'], [other.id, 'model']]);

    const missing = await call('POST', `/api/tickets/${ticketId}/resolve`, flow.cookie, { note: '', fix: { articleId: 999999, text: 'x' } });
    expect([missing.status, errorOf(missing).code]).toEqual([404, 'not_found']);
    expect(TicketDetail.parse((await call('GET', `/api/tickets/${ticketId}`, flow.cookie)).json).status).toBe('open'); // rolled back

    const resolved = await call('POST', `/api/tickets/${ticketId}/resolve`, flow.cookie, { note: 'рулон', fix: { articleId: article.id, text: 'Вставили новый рулон' } });
    expect(resolved.status).toBe(200);
    expect(TicketDetail.parse(resolved.json).timeline.slice(-2).map((e) => [e.kind, e.actor, e.text])).toEqual([['resolved', 'eve', 'рулон'], ['kb_fix_recorded', 'eve', 'Вставили новый рулон']]);
    expect((await knowledge(ticketId)).fixes).toEqual([{ key: `article:${article.id}`, text: 'Вставили новый рулон', articleId: article.id, applied: 1, fixed: 1, rate: 1 }]);

    // The paper runs out again within the reopen window: the same ticket reopens, the fix failed.
    await flow.agent.request(healthMessage('h-ok', [printerReport()]));
    await flow.agent.request(healthMessage('h-again', [printerReport({ findings: [PAPER_END] })]));
    await eventually(async () => TicketDetail.parse((await call('GET', `/api/tickets/${ticketId}`, flow.cookie)).json).status, (status) => status === 'open');
    expect((await knowledge(ticketId)).fixes).toEqual([expect.objectContaining({ applied: 1, fixed: 0, rate: 0 })]);

    expect(errorOf(await call('POST', `/api/tickets/${ticketId}/resolve`, flow.cookie, { fix: { text: '' } }))).toMatchObject({ code: 'bad_request' });
    expect(errorOf(await call('GET', '/api/tickets/999999/knowledge', flow.cookie))).toMatchObject({ code: 'not_found' });
  });
});
