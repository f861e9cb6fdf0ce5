// @vitest-environment jsdom
import { h } from 'preact';
import { describe, expect, it } from 'vitest';
import { I18nContext, makeI18n } from '../i18n/locale';
import { mountPerTest } from '../testing/dom';
import { emptyRegisterHost, makeRegisterHost } from '../testing/host-fixtures';
import { DriftView } from './drift';
import { HostPanel } from './host-panel';

const hostile = '<img src=x onerror="alert(1)">';
const mount = mountPerTest();
const text = (el: Element, selector: string) => el.querySelector(selector)?.textContent ?? null;

describe('the register\'s host panel', () => {
  it('shows the OS, uptime, last boot, pending reboot, memory and each disk with its free-space bar, in Russian', () => {
    const el = mount(h(HostPanel, { host: makeRegisterHost() }));
    const os = text(el, '[data-testid="host-os-facts"]')!;
    for (const expected of ['Microsoft Windows 10 Pro 10.0.19045 (19045.4291) x64', 'Pioneer POS-M15', 'POS-02', '3 д 2 ч', 'Ждёт перезагрузки', 'свободно 3 ГБ из 8 ГБ', 'агент 0.1.0, Node.js 20.19.0']) {
      expect(os, expected).toContain(expected);
    }
    expect(el.querySelector('[data-testid="host-os-facts"] [data-value="true"]')!.className).toBe('text-red');
    const disks = [...el.querySelectorAll('[data-testid="host-disks"] [data-mount]')].map((d) => [d.getAttribute('data-mount'), d.getAttribute('data-free-percent'), d.getAttribute('data-tone')]);
    expect(disks).toEqual([['C:', '5', 'red'], ['D:', '80', 'ok']]);
    expect(text(el, '[data-mount="C:"]')).toContain('системный, NTFS');
    expect(text(el, '[data-mount="C:"]')).toContain('свободно 6 ГБ из 120 ГБ (5 %)');
    expect(el.querySelector<HTMLElement>('[data-mount="C:"] .disk-used')!.style.width).toBe('95%');
  });

  it('shows the clock\'s sync state and signed offset, the print service crashing, its drivers with versions and a queue with waiting jobs', () => {
    const el = mount(h(HostPanel, { host: makeRegisterHost() }));
    const clock = text(el, '[data-testid="host-clock-facts"]')!;
    expect(clock).toContain('не синхронизировано');
    expect(clock).toContain('+2,5 с');
    expect(clock).toContain('Local CMOS Clock');
    const spooler = el.querySelector('[data-service="Spooler"]')!;
    expect(spooler.getAttribute('data-state')).toBe('crashing');
    expect(spooler.textContent).toContain('Диспетчер печати');
    expect(spooler.textContent).toContain('падает и перезапускается (перезапусков: 7)');
    expect(spooler.textContent).toContain('автоматически');
    expect(text(el, '[data-driver="EPSON TM-T20II Receipt5"]')).toContain('5.12.0.0');
    expect(text(el, '[data-testid="host-queues"]')).toContain('заданий: 3');
  });

  it('shows peripherals by their known names and the attach/detach events newest first', () => {
    const el = mount(h(HostPanel, { host: makeRegisterHost() }));
    const usb = el.querySelector('[data-testid="host-usb"] [data-key="04b8:0e15:X5E1234567"]')!;
    expect(usb.textContent).toContain('Epson TM-T20II');
    expect(usb.textContent).toContain('04b8:0e15');
    expect(usb.textContent).toContain('принтер чеков');
    expect(text(el, '[data-testid="host-serial"]')).toContain('COM5 · АТОЛ 30Ф');
    const events = [...el.querySelectorAll('[data-testid="host-peripheral-events"] li')].map((li) => li.getAttribute('data-action'));
    expect(events).toEqual(['attached', 'detached']);
    expect(text(el, '[data-action="detached"]')).toContain('отключено Epson TM-T20II (04b8:0e15)');
    expect(text(el, '[data-action="detached"]')).toContain('замечено при опросе');
  });

  it('shows the POS application and fiscal stack with versions and running state, "could not tell" for an unknown one, and config files', () => {
    const el = mount(h(HostPanel, { host: makeRegisterHost() }));
    expect(text(el, '[data-testid="host-expected-app"]')).toBe('Должна работать: Frontol 6');
    const frontol = el.querySelector('[data-testid="host-pos-apps"] [data-id="frontol"]')!;
    expect(frontol.textContent).toContain('6.21.0');
    expect(frontol.textContent).toContain('не запущено');
    const atol = el.querySelector('[data-testid="host-fiscal-stack"] [data-id="atol-driver-10"]')!;
    expect(atol.textContent).toContain('10.9.5.0');
    expect(atol.querySelector('[data-value="unknown"]')!.textContent).toBe('не удалось определить');
    expect(text(el, '[data-name="frontol.ini"]')).toContain('SHA-256 aaaaaaaaaaaa…');
    expect(text(el, '[data-name="fptr10.json"]')).toContain('permission denied');
  });

  it('lists recent OS errors and each section\'s unchecked facts with the probe\'s reason', () => {
    const el = mount(h(HostPanel, { host: makeRegisterHost() }));
    const levels = [...el.querySelectorAll('[data-testid="host-events-list"] li')].map((li) => li.getAttribute('data-level'));
    expect(levels).toEqual(['error', 'warning']);
    expect(text(el, '[data-level="error"]')).toContain('Microsoft-Windows-PrintService/Admin · PrintService · 372');
    expect(text(el, '[data-level="warning"]')).toContain('время неизвестно');
    const unchecked = (section: string) => [...el.querySelectorAll(`[data-testid="host-${section}"] [data-testid="host-unchecked"] li`)].map((li) => li.textContent);
    expect(unchecked('os')).toEqual(['os.pendingReboot.cbs — reg query: access denied']);
    expect(unchecked('pos')).toEqual(['processes — Get-Process: timed out after 10 s']);
    expect(unchecked('clock')).toEqual([]);
    expect(text(el, '[data-testid="host-pos"] [data-testid="host-unchecked"]')).toContain('Не удалось проверить');
  });

  it('says "could not tell" for a pending reboot or a sync state the OS did not give, never "no"', () => {
    const host = makeRegisterHost();
    host.os!.facts.pendingReboot = null;
    host.clock!.facts.synced = null;
    const el = mount(h(HostPanel, { host }));
    expect(text(el, '[data-testid="host-os-facts"] [data-value="unknown"]')).toBe('не удалось определить');
    expect(text(el, '[data-testid="host-clock-facts"] [data-value="unknown"]')).toBe('не удалось определить');
  });

  it('says which sections the register has not reported', () => {
    const el = mount(h(HostPanel, { host: emptyRegisterHost() }));
    const sections = [...el.querySelectorAll('.host-section')].map((s) => [s.getAttribute('data-testid'), s.getAttribute('data-reported')]);
    expect(sections).toEqual(['os', 'clock', 'print', 'peripherals', 'pos', 'events'].map((s) => [`host-${s}`, 'false']));
    expect(el.textContent).toContain('Касса ещё не сообщила эти данные.');
  });

  it('shows every register string as text', () => {
    const host = makeRegisterHost();
    host.os!.facts.hostname = hostile;
    host.print!.facts.drivers[0]!.name = hostile;
    host.peripherals!.facts.events[0]!.name = hostile;
    host.events!.facts.entries[0]!.message = hostile;
    host.pos!.facts.unchecked[0]!.reason = hostile;
    host.drift!.differences[0]!.actual = hostile;
    const el = mount(h('div', null, h(HostPanel, { host }), h(DriftView, { drift: host.drift })));
    expect(el.querySelector('img')).toBeNull();
    expect(el.textContent!.split(hostile).length - 1).toBe(6);
  });

  it('reads in English after the switch', () => {
    const el = mount(h(I18nContext.Provider, { value: makeI18n('en') }, h(HostPanel, { host: makeRegisterHost() })));
    expect(text(el, '[data-testid="host-clock-facts"]')).toContain('not synchronised');
    expect(text(el, '[data-mount="D:"]')).toContain('400 GB free of 500 GB (80 %)');
    expect(text(el, '[data-testid="host-os"] h3')).toContain('OS and machine');
  });
});

describe('the drift from the reference', () => {
  it('lists each difference with what differs, expected and actual, "absent" for what the register lacks', () => {
    const el = mount(h(DriftView, { drift: makeRegisterHost().drift }));
    expect(el.querySelector('[data-testid="drift"]')!.getAttribute('data-state')).toBe('differs');
    expect(text(el, '[data-testid="drift-count"]')).toBe('Отличий: 3');
    const rows = [...el.querySelectorAll('[data-testid="drift-table"] tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
    expect(rows).toEqual([
      ['Другая версия драйвера', 'EPSON TM-T20II Receipt5', '5.10.0.0', '5.12.0.0'],
      ['Кассовая программа не запущена', 'frontol', 'запущено', 'не запущено'],
      ['Нет файла настроек', 'fptr10.json', 'bbbbbbbbbbbb…', 'нет на кассе'],
    ]);
    expect(el.querySelector('[data-kind="config_missing"] .drift-expected span')!.getAttribute('title')).toBe('b'.repeat(64));
    expect(el.querySelector('a')!.getAttribute('href')).toBe('#/references/3');
  });

  it('says service states and start modes in the reader\'s language', () => {
    const drift = { ...makeRegisterHost().drift!, differences: [{ kind: 'service_start_mode' as const, subject: 'Spooler', expected: 'auto', actual: 'disabled' }, { kind: 'service_state' as const, subject: 'Spooler', expected: 'running', actual: 'weird' }] };
    const el = mount(h(DriftView, { drift }));
    const rows = [...el.querySelectorAll('[data-testid="drift-table"] tbody tr')].map((tr) => [...tr.querySelectorAll('td')].slice(2).map((td) => td.textContent));
    expect(rows).toEqual([['автоматически', 'отключена'], ['работает', 'weird']]);
  });

  it('says when the register matches, what was not compared, and when no reference applies', () => {
    const matching = { ...makeRegisterHost().drift!, differences: [], unchecked: ['pos.apps', 'print.drivers', 'mystery'] };
    const el = mount(h('div', null, h(DriftView, { drift: matching }), h(DriftView, { drift: null })));
    const [first, second] = [...el.querySelectorAll('[data-testid="drift"]')];
    expect(first!.getAttribute('data-state')).toBe('matches');
    expect(first!.textContent).toContain('Касса совпадает с эталоном.');
    expect(text(first!, '[data-testid="drift-unchecked"]')).toBe('Не сравнивалось (касса не сообщила или не смогла проверить): Кассовые программы, Драйверы принтеров, mystery');
    expect(first!.querySelector('[data-testid="drift-table"]')).toBeNull();
    expect(second!.getAttribute('data-state')).toBe('no-reference');
    expect(second!.textContent).toBe('Для этой кассы эталон не задан.');
  });
});
