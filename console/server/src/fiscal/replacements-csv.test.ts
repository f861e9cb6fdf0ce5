import type { FnReplacement, ReplacementList } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../test-support/read-csv';
import { CSV_BOM, csvCell, replacementsCsv } from './replacements-csv';

const drive = (patch: Partial<FnReplacement> = {}): FnReplacement => ({
  agentId: 'agt_1', storeId: 'msk-001', registerId: 'pos-1', deviceId: 'kkt-1', model: 'ШТРИХ-М-01Ф', registerSerial: '0012345678',
  fnSerial: '9999078900001234', replaceBy: '2026-12-20T21:00:00.000Z', replaceReason: 'fn_validity', bucket: 'd30',
  validUntil: '2026-12-20T21:00:00.000Z', blockingAt: '2026-12-10T10:00:00.000Z', blockingReason: 'ofd_lock', ...patch,
});
const list = (...drives: FnReplacement[]): ReplacementList => ({
  generatedAt: '2026-11-30T10:00:00.000Z', horizonDays: 90, total: drives.length, nextCursor: null,
  stores: [{ storeId: 'msk-001', counts: { d30: drives.length, d60: 0, d90: 0 }, drives }],
});

describe('replacement list CSV', () => {
  it('starts with a UTF-8 BOM, has bilingual headers, CRLF lines and Cyrillic as is', () => {
    const csv = replacementsCsv(list(drive()));
    expect(csv.startsWith(CSV_BOM)).toBe(true);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const [header, row, ...rest] = parseCsv(csv.slice(1));
    expect(rest).toEqual([]);
    expect(header).toEqual([
      'Магазин / Store', 'Касса / Register', 'Устройство / Device', 'Модель ККТ / Register model', 'Заводской номер ККТ / Register serial',
      'Номер ФН / FN serial', 'Срок, дней / Within, days', 'Заменить до (UTC) / Replace by (UTC)', 'Причина замены / Replacement reason',
      'ФН действует до (UTC) / FN valid until (UTC)', 'Блокировка продаж (UTC) / Sales blocked at (UTC)', 'Причина блокировки / Blocking reason',
    ]);
    expect(row).toEqual([
      'msk-001', 'pos-1', 'kkt-1', 'ШТРИХ-М-01Ф', '0012345678', '9999078900001234', '≤ 30', '2026-12-20T21:00:00.000Z',
      'Срок действия ФН / FN validity', '2026-12-20T21:00:00.000Z', '2026-12-10T10:00:00.000Z',
      'Блокировка ОФД: 30 дней без подтверждения / OFD lock: 30 days unconfirmed',
    ]);
  });

  it('quotes a field with the delimiter, a quote or a line break, doubling its quotes; the reader gets the text back', () => {
    const tricky = 'АТОЛ "30Ф", rev.2\r\nline two';
    const csv = replacementsCsv(list(drive({ model: tricky, registerSerial: null })));
    expect(csv).toContain('"АТОЛ ""30Ф"", rev.2\r\nline two"');
    const [, row] = parseCsv(csv.slice(1));
    expect(row![3]).toBe(tricky);
    expect(row![4]).toBe('');
  });

  it('never lets a device string start a formula', () => {
    expect(csvCell('=HYPERLINK("http://x")', ',')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+7 999', ',')).toBe("'+7 999");
    expect(csvCell('@SUM(A1)', ',')).toBe("'@SUM(A1)");
    expect(csvCell('ШТРИХ-М', ',')).toBe('ШТРИХ-М');
  });

  it('with semicolons, a semicolon is quoted and a comma is not', () => {
    const csv = replacementsCsv(list(drive({ model: 'a;b,c' })), 'semicolon');
    expect(csv).toContain(';"a;b,c";');
    expect(parseCsv(csv.slice(1), ';')[1]![3]).toBe('a;b,c');
  });

  it('an empty list is the header line alone', () => {
    expect(parseCsv(replacementsCsv(list()).slice(1))).toHaveLength(1);
  });
});
