import { describe, expect, it } from 'vitest';
import { fillTemplate, fixKey } from './kb-api';
import { ResolveRequest as ApiResolveRequest } from './api';

describe('fixKey', () => {
  it('folds case, ё, spaces and trailing punctuation of a written fix; an article is its id', () => {
    expect(fixKey({ text: '  Заменил   РУЛОН, почистил ролик!. ' })).toBe('text:заменил рулон, почистил ролик');
    expect(fixKey({ text: 'Ещё раз перезагрузил' })).toBe(fixKey({ text: 'еще раз перезагрузил' }));
    expect(fixKey({ text: 'Заменил рулон' })).not.toBe(fixKey({ text: 'Заменил ролик' }));
    expect(fixKey({ articleId: 7, text: 'whatever' })).toBe('article:7');
  });
});

describe('fillTemplate', () => {
  it('fills known placeholders and leaves unknown or missing ones as written', () => {
    expect(fillTemplate('Заявка {ticket}, магазин {store}, {unknown}, {register}', { ticket: '#12', store: 'msk-001' }))
      .toBe('Заявка #12, магазин msk-001, {unknown}, {register}');
    expect(fillTemplate('{ticket}{ticket}', { ticket: '$&' })).toBe('$&$&');
  });
});

describe('ResolveRequest', () => {
  it('takes an optional fix with text', () => {
    expect(ApiResolveRequest.parse({ fix: { text: ' рулон ' } })).toEqual({ note: '', fix: { text: 'рулон' } });
    expect(ApiResolveRequest.safeParse({ fix: { articleId: 3 } }).success).toBe(false);
  });
});
