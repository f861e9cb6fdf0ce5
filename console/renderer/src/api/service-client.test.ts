import { describe, expect, it } from 'vitest';
import { fakeServer, makeStore, makeTargets } from '../testing/service-fixtures';

describe('ApiClient: the service desk', () => {
  it('never sends a body its shared schema refuses, nor an id that is not one', async () => {
    const { api, calls } = fakeServer({ 'PUT /api/sla/targets': makeTargets(), 'PUT /api/stores/*': makeStore('msk-001'), 'POST /api/maintenance': { ok: true } });
    await expect(api.saveSlaTargets({ targets: [{ category: 'printer', priority: 1, reactMinutes: 0, resolveMinutes: 10 }] })).rejects.toMatchObject({ status: 400, code: 'bad_request' });
    await expect(api.saveStore('msk-001', { timeZone: 'Europe/Moscow', hours: [], calendar: 'chain' })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(api.saveStore('../admin', { timeZone: 'Europe/Moscow', hours: Array(7).fill(null), calendar: 'chain' })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(api.saveRoute('printer.nonsense', 'printers')).rejects.toMatchObject({ code: 'bad_request' });
    await expect(
      api.planMaintenance({ storeId: 'msk-001', startsAt: '2030-01-01T00:00:00Z', endsAt: '2030-01-09T00:00:00Z', reason: 'long' }),
    ).rejects.toMatchObject({ message: 'endsAt: at most 7 days' });
    expect(calls).toEqual([]);
  });

  it('sends what the schema reads (defaults filled in) and checks the answer', async () => {
    const { api, calls } = fakeServer({ 'PUT /api/stores/msk-001': makeStore('msk-001'), 'GET /api/maintenance*': { windows: [] }, 'PUT /api/stores/bad': { storeId: 'bad' } });
    await api.saveStore('msk-001', { timeZone: 'Europe/Moscow', hours: Array(7).fill(null), calendar: 'none' });
    expect(calls[0]!.body).toEqual({ name: '', timeZone: 'Europe/Moscow', hours: Array(7).fill(null), calendar: 'none' });
    await api.maintenance({ storeId: 'msk-001', state: 'past' });
    expect(calls[1]!.path).toBe('/api/maintenance?state=past&storeId=msk-001');
    await expect(api.saveStore('bad', { timeZone: 'Europe/Moscow', hours: Array(7).fill(null), calendar: 'none' })).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('reads a missing route as 404 not_found', async () => {
    const { api } = fakeServer({});
    await expect(api.noiseSettings()).rejects.toMatchObject({ status: 404, code: 'not_found' });
  });
});
