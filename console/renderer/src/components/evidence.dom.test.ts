// @vitest-environment jsdom
import { h } from 'preact';
import { describe, expect, it } from 'vitest';
import type { Evidence } from '@tillscope/shared';
import { mountPerTest } from '../testing/dom';
import { EvidenceView } from './evidence';

const mount = mountPerTest();

const atolEvidence: Evidence = {
  transport: 'http',
  target: 'http://127.0.0.1:16732',
  exchanges: [
    {
      type: 'structured',
      label: 'getFnInfo',
      request: { type: 'getFnInfo' },
      reply: { fnInfo: { serial: '<img src=x onerror=alert(1)>', validityDate: '2026-12-02T00:00:00+03:00' } },
      status: 'ready',
      valid: true,
      decoded: [
        { field: 'fnInfo.validityDate', set: true, value: '2026-12-02', meaning: { ru: 'ФН действует до', en: 'FN valid until' }, alarm: true },
        { field: 'fnInfo.serial', set: true, value: '<img src=x onerror=alert(1)>', meaning: { ru: 'Номер ФН', en: 'FN serial' }, alarm: false },
      ],
      elapsedMs: 27.4,
    },
    {
      label: 'Shtrih-M 0x10: short status',
      request: '02 05 10 1e 00 00 00 0b',
      reply: null,
      discarded: '',
      valid: false,
      decoded: [],
      elapsedMs: 300,
    },
  ],
};

describe('EvidenceView', () => {
  it('draws a structured exchange (an ATOL task) beside a byte exchange, values and JSON as text', () => {
    const el = mount(h(EvidenceView, { evidence: atolEvidence }));
    const [task, frame] = [...el.querySelectorAll('[data-testid="evidence-exchange"]')];
    expect(task!.getAttribute('data-exchange-type')).toBe('structured');
    expect(frame!.getAttribute('data-exchange-type')).toBe('bytes');
    // the alarm field makes the task red and names itself in the one-line reading
    expect(task!.classList.contains('exchange-alarm')).toBe(true);
    expect(task!.querySelector('[data-testid="evidence-summary"]')!.textContent).toBe('getFnInfo = ready: ФН действует до');
    const cells = [...task!.querySelectorAll('tbody tr')].map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent));
    expect(cells[0]!.slice(0, 2)).toEqual(['fnInfo.validityDate', '2026-12-02']);
    // device strings stay text: no element is made of them
    expect(task!.querySelector('img')).toBeNull();
    expect(cells[1]![1]).toBe('<img src=x onerror=alert(1)>');
    expect(task!.querySelectorAll('[data-testid="evidence-raw"] pre')[1]!.textContent).toContain('"serial": "<img src=x onerror=alert(1)>"');
    // a byte exchange without a reply says so
    expect(frame!.querySelector('[data-testid="evidence-summary"]')!.textContent).toBe('Shtrih-M 0x10: short status: нет ответа');
  });
});
