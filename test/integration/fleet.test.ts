import { afterEach, describe, expect, it } from 'vitest';
import { onSecondConnection, startTestConsole, type TestConsole } from '../../console/server/src/test-support/console-harness';
import { Fleet } from '../../scripts/fleet/fleet';
import { fiscalProfile } from '../../scripts/fleet/fiscal-reports';

// The fleet simulator is a product (the bench and capacity tests stand on it): here a small fleet
// in two real worker processes enrolls, reports, survives a client-side reconnect storm and loses
// nothing, against a real console on loopback.

let test: TestConsole | undefined;
let fleet: Fleet | undefined;

afterEach(async () => {
  await fleet?.stop();
  await test?.dispose();
});

describe('fleet simulator', () => {
  it('enrolls, reports at its interval, reconnects after a storm and leaves every report stored exactly once', async () => {
    test = await startTestConsole({ now: () => new Date() });
    const { token } = await test.server.createEnrollmentToken({ maxUses: 30 });
    fleet = await Fleet.enroll({ server: test.server.url, tokens: [token], count: 24, workers: 2, registersPerStore: 4 });
    expect(new Set(fleet.identities.map((identity) => identity.agentId)).size).toBe(24);
    await fleet.run({ reportIntervalSec: 1, faultRate: 2 / 24, connectRatePerSec: 200, backoff: { baseMs: 100, capMs: 1_000 } });
    expect(fleet.faulting.size).toBe(2);
    await fleet.waitFor((stats) => stats.connected === 24 && stats.counters.acked >= 48, 30_000);

    await fleet.dropConnections();
    await fleet.waitFor((stats) => stats.counters.disconnects >= 24 && stats.connected === 24, 30_000);
    await fleet.stopReporting();
    const final = await fleet.waitFor((stats) => stats.pending === 0, 30_000);
    expect(final.counters.rejected).toBe(0);
    expect(final.counters.protocolErrors).toBe(0);
    expect(final.counters.acked).toBe(final.counters.generated);

    const faultingIds = [...fleet.faulting].map((index) => fleet?.identities[index]?.agentId);
    const stored = await onSecondConnection(test.dataDir, async (sql) => ({
      health: (await sql.get<{ n: number }>("SELECT COUNT(*) AS n FROM processed_messages WHERE type = 'health'"))?.n,
      tickets: await sql.all<{ agent_id: string; status: string }[]>("SELECT agent_id, status FROM tickets WHERE code = 'printer.paper_end' ORDER BY agent_id"),
    }));
    expect(stored.health).toBe(final.counters.generated);
    expect(stored.tickets.map((ticket) => ticket.agent_id).sort()).toEqual([...faultingIds].sort());
    expect(stored.tickets.every((ticket) => ticket.status === 'open')).toBe(true);
  });

  it('silences a whole store (its power cut): one store incident from the offline sweep, and the store back after', async () => {
    test = await startTestConsole({ now: () => new Date(), offlineAfterSec: 1, offlineSweepIntervalMs: 3_600_000 });
    const { token } = await test.server.createEnrollmentToken({ maxUses: 10 });
    fleet = await Fleet.enroll({ server: test.server.url, tokens: [token], count: 8, workers: 2, registersPerStore: 4 });
    await fleet.run({ reportIntervalSec: 1, faultRate: 0, connectRatePerSec: 200, backoff: { baseMs: 100, capMs: 1_000 } });
    await fleet.waitFor((stats) => stats.connected === 8 && stats.counters.acked >= 8, 30_000);

    await fleet.silenceStore('store-00001', true);
    await fleet.waitFor((stats) => stats.connected === 4, 30_000);
    const generated = (await fleet.stats(false)).counters.generated;
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // past the 1 s offline threshold; the other store keeps reporting
    await test.server.sweepOfflineAgents();
    const during = await onSecondConnection(test.dataDir, (sql) => sql.all<{ store_id: string; code: string; scope: string; parent_id: number | null }[]>(
      'SELECT store_id, code, scope, parent_id FROM tickets ORDER BY id',
    ));
    expect(during.filter((t) => t.scope === 'store').map((t) => [t.store_id, t.code])).toEqual([['store-00001', 'store.outage']]);
    expect(during.filter((t) => t.scope === 'register').every((t) => t.store_id === 'store-00001' && t.parent_id !== null)).toBe(true);

    await fleet.silenceStore('store-00001', false);
    await fleet.waitFor((stats) => stats.connected === 8, 30_000);
    await fleet.stopReporting();
    const final = await fleet.waitFor((stats) => stats.pending === 0, 30_000);
    // The powered store kept reporting while the other was dark; nothing was lost.
    expect(final.counters.generated - generated).toBeGreaterThan(0);
    expect(final.counters.acked).toBe(final.counters.generated);
  });

  it('gives a share of its registers a fiscal register whose facts become the console\'s forecast', async () => {
    test = await startTestConsole({ now: () => new Date() });
    const { token } = await test.server.createEnrollmentToken({ maxUses: 10 });
    fleet = await Fleet.enroll({ server: test.server.url, tokens: [token], count: 8, workers: 1, registersPerStore: 4 });
    const started = Date.now();
    await fleet.run({ reportIntervalSec: 1, faultRate: 0, fiscalShare: 0.5, connectRatePerSec: 200 });
    await fleet.waitFor((stats) => stats.connected === 8 && stats.counters.acked >= 16, 30_000);
    await fleet.stopReporting();
    await fleet.waitFor((stats) => stats.pending === 0, 30_000);

    const fiscalIds = fleet.identities.filter((_, index) => index % 2 === 0).map((identity) => identity.agentId).sort();
    const stored = await onSecondConnection(test.dataDir, async (sql) => ({
      states: await sql.all<{ agent_id: string; fn_serial: string }[]>('SELECT agent_id, fn_serial FROM fiscal_states ORDER BY agent_id'),
      agents: await sql.all<{ id: string; fiscal_blocking_at: string | null }[]>('SELECT id, fiscal_blocking_at FROM agents ORDER BY id'),
      identities: await sql.get<{ n: number }>("SELECT COUNT(*) AS n FROM devices WHERE kind = 'fiscal' AND identity_json IS NOT NULL"),
    }));
    expect(stored.states.map((state) => state.agent_id)).toEqual(fiscalIds);
    expect(stored.identities?.n).toBe(4);
    for (const agent of stored.agents) {
      const index = fleet.identities.findIndex((identity) => identity.agentId === agent.id);
      if (index % 2 !== 0) {
        expect(agent.fiscal_blocking_at).toBeNull();
        continue;
      }
      // The profile was laid out when the run started: its blocking date is the earlier of the FN
      // validity and 30 days after the first unsent document (the archive lasts years at these rates).
      const profile = fiscalProfile(index, started);
      const ofdLock = profile.firstUnsentAt ? Date.parse(profile.firstUnsentAt) + 30 * 86_400_000 : Infinity;
      const expected = Math.min(Date.parse(profile.validUntil), ofdLock);
      expect(Math.abs(Date.parse(agent.fiscal_blocking_at!) - expected), agent.id).toBeLessThan(5_000);
    }
  });
});
