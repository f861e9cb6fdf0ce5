import { describe, expect, it } from 'vitest';
import { CATALOGUE, DiagnosisCode, ROUTING_GROUP_TITLES, RoutingGroup } from './codes';
import { builtInGroupTitle, DEFAULT_GROUP_LINES, GroupId, serviceCategoryOf } from './service';

describe('service catalogue', () => {
  it('gives every code a category that matches what it is about', () => {
    expect(serviceCategoryOf('printer.cover_open')).toBe('printer');
    expect(serviceCategoryOf('host.print_service_stopped')).toBe('printer');
    expect(serviceCategoryOf('fiscal.fn_expired')).toBe('fiscal');
    expect(serviceCategoryOf('host.disk_nearly_full')).toBe('hardware');
    expect(serviceCategoryOf('host.pos_app_not_running')).toBe('pos_software');
    expect(serviceCategoryOf('store.outage')).toBe('network');
    expect(serviceCategoryOf('cashier.problem_reported')).toBe('other');
  });

  it('has a line and a valid id for every built-in group, and a title for any id', () => {
    for (const group of RoutingGroup.options) {
      expect(GroupId.safeParse(group).success).toBe(true);
      expect(DEFAULT_GROUP_LINES[group]).toBeDefined();
      expect(builtInGroupTitle(group)).toBe(ROUTING_GROUP_TITLES[group]);
    }
    expect(builtInGroupTitle('atol_service')).toEqual({ ru: 'atol_service', en: 'atol_service' });
  });

  it('holds transient physical conditions and only those, never negative', () => {
    expect(CATALOGUE['printer.cover_open'].holdSec).toBeGreaterThan(0);
    expect(CATALOGUE['fiscal.fn_expired'].holdSec ?? 0).toBe(0);
    for (const code of DiagnosisCode.options) expect(CATALOGUE[code].holdSec ?? 0).toBeGreaterThanOrEqual(0);
  });

  it('lets only conditions that can share a store-wide cause make a store incident', () => {
    for (const code of ['agent.offline', 'printer.no_reply', 'fiscal.ofd_connection_error'] as const) expect(CATALOGUE[code].storeCause).toBe(true);
    for (const code of ['printer.paper_end', 'printer.cover_open', 'fiscal.paper_end', 'cashier.problem_reported', 'host.drift_from_reference', 'store.outage'] as const) {
      expect(CATALOGUE[code].storeCause).toBeUndefined();
    }
  });

  it('marks the store incident as store-wide and routes it to the network group', () => {
    expect(CATALOGUE['store.outage'].scope).toBe('store');
    expect(CATALOGUE['store.outage'].group).toBe('network');
  });
});
