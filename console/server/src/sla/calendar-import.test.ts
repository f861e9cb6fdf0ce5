import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CalendarFileError, parseCalendarCsv, parseCalendarFile, parseXmlCalendar } from './calendar-import';

const RU_2026 = readFileSync(new URL('../../../../shared/calendars/ru-2026.xml', import.meta.url), 'utf8');

describe('production calendar import: xmlcalendar.ru XML', () => {
  it('reads the shipped Russian 2026 calendar: holidays, moved days off, short days', () => {
    const calendar = parseCalendarFile(RU_2026);
    expect(calendar).toMatchObject({ format: 'xmlcalendar', year: 2026 });
    const byDate = new Map(calendar.days.map((day) => [day.date, day]));
    expect(calendar.days.filter((day) => day.kind === 'holiday')).toHaveLength(18);
    expect(calendar.days.filter((day) => day.kind === 'short').map((day) => day.date)).toEqual(['2026-04-30', '2026-05-08', '2026-06-11', '2026-11-03']);
    expect(byDate.get('2026-01-07')).toEqual({ date: '2026-01-07', kind: 'holiday', note: 'Рождество Христово' });
    expect(byDate.get('2026-01-09')).toEqual({ date: '2026-01-09', kind: 'holiday', note: 'выходной перенесён с 2026-01-03' });
    expect(byDate.get('2026-12-31')?.kind).toBe('holiday');
    expect(byDate.has('2026-12-30')).toBe(false);
  });

  it('reads a transferred working Saturday (t=3) and a short Saturday (t=2), and unescapes entities', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<calendar year="2027" lang="ru" date="2026.09.02" country="ru">
  <!-- a comment -->
  <holidays><holiday id="1" title="Tom &amp; Jerry&#33;"/></holidays>
  <days>
    <day d="02.20" t="2"/>
    <day d="06.05" t="3" />
    <day d="01.01" t="1" h="1"/>
  </days>
</calendar>`;
    expect(parseXmlCalendar(xml).days).toEqual([
      { date: '2027-02-20', kind: 'short', note: 'сокращённый рабочий день' },
      { date: '2027-06-05', kind: 'working', note: 'рабочий день' },
      { date: '2027-01-01', kind: 'holiday', note: 'Tom & Jerry!' },
    ]);
  });

  it.each([
    ['<calendar lang="ru"><days/></calendar>', /is not a year/],
    ['<calendar year="2026"><days>\n<day d="02.30" t="1"/></days></calendar>', /line 2: "02.30" is not a date MM.DD of 2026/],
    ['<calendar year="2026"><days><day d="02.03" t="7"/></days></calendar>', /type must be 1, 2 or 3/],
    ['<calendar year="2026"><days><day d="02.03" t="1"/><day d="02.03" t="2"/></days></calendar>', /2026-02-03 is listed twice/],
    ['<calendar year="2026"><script/></calendar>', /unknown element <script>/],
    ['<calendar year="2026">text<days/></calendar>', /unexpected "text"/],
    ['<!DOCTYPE x [<!ENTITY a "b">]><calendar year="2026"/>', /not an xmlcalendar file/],
    ['<days/>', /no <calendar> element/],
  ])('refuses %s', (xml, message) => {
    expect(() => parseXmlCalendar(xml)).toThrow(CalendarFileError);
    expect(() => parseXmlCalendar(xml)).toThrow(message);
  });
});

describe('production calendar import: CSV', () => {
  it('reads date,kind,note with a header, quotes, CRLF, a BOM and blank lines', () => {
    const csv = '\uFEFFdate,kind,note\r\n2026-05-08,short,Предпраздничный день\r\n\r\n2026-05-11,holiday,"День Победы, перенос ""с 9 мая"""\r\n2026-06-06,working,\r\n';
    expect(parseCalendarFile(csv)).toEqual({
      format: 'csv',
      year: null,
      days: [
        { date: '2026-05-08', kind: 'short', note: 'Предпраздничный день' },
        { date: '2026-05-11', kind: 'holiday', note: 'День Победы, перенос "с 9 мая"' },
        { date: '2026-06-06', kind: 'working', note: '' },
      ],
    });
  });

  it('reads semicolons (Excel with a Russian locale) and a note over two lines', () => {
    expect(parseCalendarCsv('2026-11-04;holiday;"День народного\nединства, среда"\n2026-11-03;short').days).toEqual([
      { date: '2026-11-04', kind: 'holiday', note: 'День народного\nединства, среда' },
      { date: '2026-11-03', kind: 'short', note: '' },
    ]);
  });

  it.each([
    ['2026-13-01,holiday,x', /line 1: "2026-13-01" is not a date/],
    ['date,kind\n2026-01-01,off', /line 2: kind "off" is not one of holiday, short, working/],
    ['2026-01-01,holiday,a,b', /more than three fields/],
    ['2026-01-01,holiday,"open', /quoted field is not closed/],
    ['2026-01-01,holiday\n2026-01-01,short', /line 2: 2026-01-01 is listed twice/],
  ])('refuses %s', (csv, message) => {
    expect(() => parseCalendarCsv(csv)).toThrow(message);
  });
});
