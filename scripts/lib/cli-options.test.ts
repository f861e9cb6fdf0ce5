import { describe, expect, it } from 'vitest';
import { pickByName, UsageError, wholeNumber } from './cli-options';

describe('wholeNumber', () => {
  it('reads a whole number at or above the minimum, and nothing when the option is absent', () => {
    expect(wholeNumber('soak-minutes', '30', 1)).toBe(30);
    expect(wholeNumber('restart-every-sec', '0', 0)).toBe(0);
    expect(wholeNumber('soak-minutes', undefined, 1)).toBeUndefined();
  });

  it('refuses what is not one, naming the option', () => {
    for (const text of ['0', '-3', '1.5', 'ten', '']) {
      expect(() => wholeNumber('soak-minutes', text, 1)).toThrow(new UsageError(`--soak-minutes wants a whole number ≥ 1, got "${text}"`));
    }
  });
});

describe('pickByName', () => {
  const items = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
  const pick = (only: string | undefined) => pickByName(only, items, (item) => item.id, 'suite');

  it('picks the named items in their own order, trimming the list', () => {
    expect(pick('c, a,')).toEqual([{ id: 'a' }, { id: 'c' }]);
    expect(pick(undefined)).toBeUndefined();
  });

  it('refuses an unknown name, listing the known ones', () => {
    expect(() => pick('a,x,y')).toThrow(new UsageError('unknown suite(s): x, y; known: a, b, c'));
  });
});
