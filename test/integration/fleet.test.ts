import { afterEach, describe, expect, it } from 'vitest';
import { onSecondConnection, startTestConsole, type TestConsole } from '../../console/server/src/test-support/console-harness';
import { Fleet } from '../../scripts/fleet/fleet';

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
});
