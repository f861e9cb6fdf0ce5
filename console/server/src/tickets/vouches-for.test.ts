import { describe, expect, it } from 'vitest';
import { vouchesFor } from './ticket-engine';

describe('vouchesFor (does a report prove a missing code cleared?)', () => {
  it('trusts the codes a report lists as checked, whatever its health', () => {
    expect(vouchesFor({ health: 'unknown', checked: ['printer.paper_end'] }, 'printer.paper_end', [])).toBe(true);
    expect(vouchesFor({ health: 'ok', checked: ['printer.paper_end'] }, 'printer.cover_open', [])).toBe(false);
  });

  it('without checked, keeps the old rule: not when unknown, not when a finding blinds the device', () => {
    expect(vouchesFor({ health: 'ok' }, 'printer.paper_end', [])).toBe(true);
    expect(vouchesFor({ health: 'unknown' }, 'printer.paper_end', [])).toBe(false);
    expect(vouchesFor({ health: 'fault' }, 'printer.paper_end', ['printer.no_reply'])).toBe(false);
    expect(vouchesFor({ health: 'fault' }, 'printer.paper_end', ['printer.cover_open'])).toBe(true);
  });
});
