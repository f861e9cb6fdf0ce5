import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRedactor, isCardNumber, luhnValid, redactJson, redactText } from './redact';

/** Appends the Luhn check digit. */
function withLuhn(body: string): string {
  for (let digit = 0; digit <= 9; digit += 1) if (luhnValid(body + digit)) return body + digit;
  throw new Error('unreachable');
}

const MIR = withLuhn('220012345678901');
const VISA = '4111 1111 1111 1111';
const MASTERCARD = '5500-0000-0000-0004';

// Ordinary text a register's files and logs carry, which must come through unchanged.
const ORDINARY = [
  'Принтер чеков: нет бумаги, крышка закрыта',
  'ФН 9999078900012345 РНМ 0000000001012345 ИНН 7707083893',
  'sha256 3f786850e387550fdab836ed7e6dc881de23001b1a2b3c4d5e6f708192a3b4c5',
  '2026-11-30T17:46:52.123Z WARN link: reconnect in 5 s',
  'Блокировка по неправильному паролю налогового инспектора',
  'wrong password or token expired',
  'Оператор фискальных данных Такском',
  'Сумма 1234.56 руб., чек 4111',
  'usb 1-1: new full-speed USB device number 5 using xhci_hcd',
].join('\n');

// One of each kind in every form the module promises to catch.
const PLANTED = {
  password: [
    ['Password=Sup3r-Secret', 'Sup3r-Secret'],
    ['db.password: hunter2 ', 'hunter2'],
    ['connection: Server=pos;Pwd=qwe123;Database=front', 'qwe123'],
    ['Пароль = мой пароль 42', 'мой пароль 42'],
    ['url ftp://backup:s3cr3tpw@10.0.0.5/data', 's3cr3tpw'],
    ['<Password>xml-pass-1</Password>', 'xml-pass-1'],
    ['<add key="AdminPassword" value="cfg-pass-2"/>', 'cfg-pass-2'],
    ['{"adminPassword": "json-pass-3"}', 'json-pass-3'],
  ],
  token: [
    ['Authorization: Bearer abcdef0123456789', 'abcdef0123456789'],
    ['send header Authorization: Bearer zyxwvu9876543210 to /api', 'zyxwvu9876543210'],
    ['enrollmentToken=enroll-token-123456', 'enroll-token-123456'],
    ['api_key: "k-2f9a8b7c6d"', 'k-2f9a8b7c6d'],
    ['jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl end', 'eyJhbGciOiJIUzI1NiJ9'],
    ['client_secret=cs_live_777', 'cs_live_777'],
  ],
  card_number: [
    [`оплата картой ${VISA} прошла`, VISA],
    [`card=${MASTERCARD};`, MASTERCARD],
    [`PAN ${MIR}`, MIR],
  ],
  cashier_name: [
    ['Кассир: Иванова Анна Петровна, смена 12', 'Иванова'],
    ['Кассир Петров И.И. открыл смену', 'Петров'],
    ['"cashier": "Sidorova M."', 'Sidorova'],
    ['Пользователь: Администратор', 'Администратор'],
    ['чек пробил Смирнов А. В. в 10:00', 'Смирнов'],
  ],
} as const;

describe('redactText', () => {
  it('removes every planted secret of every kind, counts each, and keeps ordinary text', () => {
    const planted = Object.values(PLANTED).flatMap((rows) => rows.map(([line]) => line));
    const { text, counts } = redactText([ORDINARY, ...planted].join('\n'));
    for (const rows of Object.values(PLANTED)) {
      for (const [, secret] of rows) expect(text, secret).not.toContain(secret);
    }
    expect(text.startsWith(ORDINARY)).toBe(true);
    expect(counts).toEqual({ password: 8, token: 6, card_number: 3, cashier_name: 5 });
  });

  it.each(Object.entries(PLANTED).flatMap(([kind, rows]) => rows.map(([line, secret]) => [kind, line, secret] as const)))(
    '%s: %s',
    (kind, line, secret) => {
      const { text, counts } = redactText(line);
      expect(text).not.toContain(secret);
      expect(text).toContain(`[redacted:${kind}]`);
      expect(counts[kind as keyof typeof counts]).toBe(1);
    },
  );

  it('keeps the label, the quotes and what follows the value', () => {
    expect(redactText('Server=pos;Pwd=qwe123;Database=front').text).toBe('Server=pos;Pwd=[redacted:password];Database=front');
    expect(redactText('{"password": "x1", "port": 5}').text).toBe('{"password": "[redacted:password]", "port": 5}');
    // a bare number under a quoted key becomes a JSON string, so a JSON file stays JSON
    expect(JSON.parse(redactText('{"password": 30}').text)).toEqual({ password: '[redacted:password]' });
  });

  it('a card-shaped number that fails Luhn, or has no card prefix, stays', () => {
    expect(redactText('4111 1111 1111 1112').counts.card_number).toBe(0);
    expect(isCardNumber(withLuhn('999907890001234'))).toBe(false);
    expect(isCardNumber(withLuhn('411111111111111'))).toBe(true);
  });

  it('empty and null values are not counted as secrets', () => {
    expect(redactText('password=\ntoken: null\n"secret": ""').counts).toEqual({ password: 0, token: 0, card_number: 0, cashier_name: 0 });
  });

  it('long runs of letters, digits and base64 (a blob in a config file) come through', () => {
    // each alone: a quadratic pattern took 19 s for 80 000 letters (the run below: minutes, past the test timeout)
    for (const blob of ['x'.repeat(400_000), 'A1b2+/'.repeat(20_000), '7'.repeat(50_000), '<'.repeat(20_000)]) expect(redactText(blob).text).toBe(blob);
  });

  it('removes the names it is given, in any case, as whole words', () => {
    const { text, counts } = redactText('смена: ОЛЬГА Кузнецова; Ольгин отчёт', { names: ['Ольга Кузнецова'] });
    expect(text).toBe('смена: [redacted:cashier_name]; Ольгин отчёт');
    expect(counts.cashier_name).toBe(1);
  });

  it('any valid Visa number inside arbitrary words is removed', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{15}$/), fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), (body, before, after) => {
        const card = withLuhn(`4${body.slice(1)}`);
        const { text } = redactText(`${before} ${card} ${after}`);
        expect(text).not.toContain(card);
      }),
      { numRuns: 200 },
    );
  });
});

describe('redactJson', () => {
  it('redacts values under secret keys, at any depth, and strings as text', () => {
    const input = {
      server: 'https://console.local',
      enrollmentToken: 'tok-123456789',
      devices: [{ id: 'fr', options: { password: 30, port: 5555 } }],
      credentials: { user: 'svc', key: 'abc' },
      cashierName: 'Иванова',
      note: `paid with ${VISA}`,
      pan: 4111111111111111,
      enabled: true,
      missing: null,
      cashierPage: { port: 8765, enabled: true },
      shift: { operatorName: 'Петров' },
    };
    const { value, counts } = redactJson(input);
    expect(value).toEqual({
      server: 'https://console.local',
      enrollmentToken: '[redacted:token]',
      devices: [{ id: 'fr', options: { password: '[redacted:password]', port: 5555 } }],
      credentials: { user: '[redacted:token]', key: '[redacted:token]' },
      cashierName: '[redacted:cashier_name]',
      note: 'paid with [redacted:card_number]',
      pan: '[redacted:card_number]',
      enabled: true,
      missing: null,
      cashierPage: { port: 8765, enabled: true },
      shift: { operatorName: '[redacted:cashier_name]' },
    });
    expect(counts).toEqual({ password: 1, token: 3, card_number: 2, cashier_name: 2 });
    expect(input.enrollmentToken).toBe('tok-123456789');
  });

  it('a redactor accumulates counts across calls', () => {
    const redactor = createRedactor();
    redactor.text('password=a1');
    redactor.json({ token: 'b2' });
    expect(redactor.counts()).toMatchObject({ password: 1, token: 1 });
  });
});
