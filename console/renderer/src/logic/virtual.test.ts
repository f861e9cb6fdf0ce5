import { describe, expect, it } from 'vitest';
import { moveSelection, scrollToRow, visibleRange } from './virtual';

describe('windowed list', () => {
  it('renders only the rows in view plus overscan, even for 10 000 rows', () => {
    const r = visibleRange(0, 720, 36, 10_000, 6);
    expect(r).toEqual({ start: 0, end: 27 });
    const mid = visibleRange(36 * 5000, 720, 36, 10_000, 6);
    expect(mid.start).toBe(4994);
    expect(mid.end - mid.start).toBeLessThan(40);
    const last = visibleRange(36 * 10_000, 720, 36, 10_000, 6);
    expect(last.end).toBe(10_000);
    expect(last.start).toBeLessThan(10_000);
  });
  it('handles empty lists', () => {
    expect(visibleRange(0, 720, 36, 0)).toEqual({ start: 0, end: 0 });
  });
  it('scrolls minimally to keep a row visible', () => {
    expect(scrollToRow(0, 100, 360, 36)).toBe(0);
    expect(scrollToRow(5, 0, 360, 36)).toBe(0);
    expect(scrollToRow(20, 0, 360, 36)).toBe(21 * 36 - 360);
  });
  it('moves the selection within bounds', () => {
    expect(moveSelection(-1, 1, 10)).toBe(0);
    expect(moveSelection(9, 1, 10)).toBe(9);
    expect(moveSelection(3, -10, 10)).toBe(0);
    expect(moveSelection(0, 1, 0)).toBe(-1);
  });
});
