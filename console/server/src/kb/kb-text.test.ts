import { describe, expect, it } from 'vitest';
import { excerptOf } from './kb-text';

describe('excerptOf', () => {
  it('gives the words of the paragraphs and lists, without markup, headings, code blocks or raw HTML', () => {
    const body = [
      '## Правило', '', 'Смену нужно закрыть в течение **24 часов** после `отчёта` об [открытии](https://example.org).', '',
      '- первый <b>пункт</b>', '- второй', '', '```', 'code block', '```', '', '> цитата _важная_',
    ].join('\n');
    expect(excerptOf(body)).toBe('Смену нужно закрыть в течение 24 часов после отчёта об открытии. первый пункт; второй цитата важная');
  });

  it('falls back to the headings when there is nothing else, and cuts long text at the length with an ellipsis', () => {
    expect(excerptOf('# Только заголовок\n\n## И второй')).toBe('Только заголовок И второй');
    const long = excerptOf(`${'слово '.repeat(60)}`, 40);
    expect(long).toHaveLength(40);
    expect(long.endsWith('…')).toBe(true);
    expect(excerptOf('')).toBe('');
  });
});
