import { describe, expect, it } from 'vitest';
import { DEFAULT_KPI_FILTER, kpiCsvHref, kpiFilterToApiQuery, kpiFilterToParams, parseKpiFilter } from './kpi-filter';
import { parseHash, routeToHash } from './route';

describe('KPI filter in the URL and in the API query', () => {
  it('round-trips through the URL, writing only what differs from the default', () => {
    const filter = { ...DEFAULT_KPI_FILTER, days: 90 as const, bucket: 'week' as const, slice: 'engineer' as const, storeId: 'msk-001', group: 'printers' };
    const params = kpiFilterToParams(filter);
    expect(params.toString()).toBe('days=90&bucket=week&slice=engineer&store=msk-001&group=printers');
    expect(parseKpiFilter(params)).toEqual(filter);
    expect(kpiFilterToParams(DEFAULT_KPI_FILTER).toString()).toBe('');
  });

  it('falls back to the default for anything malformed, and a year is never asked by day', () => {
    expect(parseKpiFilter(new URLSearchParams('days=13&bucket=year&slice=x&store=%3Cb%3E&group=Bad Group'))).toEqual(DEFAULT_KPI_FILTER);
    expect(parseKpiFilter(new URLSearchParams('days=365')).bucket).toBe('week');
  });

  it('asks the server for the last N days, today included', () => {
    expect(kpiFilterToApiQuery(DEFAULT_KPI_FILTER, '2026-12-01')).toBe('from=2026-11-02&to=2026-12-01&bucket=day&slice=store');
    expect(kpiFilterToApiQuery({ ...DEFAULT_KPI_FILTER, days: 7, storeId: 'spb-2' }, '2026-03-01')).toBe('from=2026-02-23&to=2026-03-01&bucket=day&slice=store&storeId=spb-2');
    expect(kpiCsvHref(DEFAULT_KPI_FILTER, '2026-12-01', 'semicolon')).toBe('/api/kpi.csv?from=2026-11-02&to=2026-12-01&bucket=day&slice=store&delimiter=semicolon');
  });

  it('is the #/kpi route: parsed from the hash and written back the same', () => {
    expect(parseHash('#/kpi')).toEqual({ name: 'kpi', filter: DEFAULT_KPI_FILTER });
    const route = parseHash('#/kpi?days=90&slice=engineer');
    expect(route).toEqual({ name: 'kpi', filter: { ...DEFAULT_KPI_FILTER, days: 90, slice: 'engineer' } });
    expect(routeToHash(route)).toBe('#/kpi?days=90&slice=engineer');
  });
});
