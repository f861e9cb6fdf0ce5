// Test support: one register's real agent (fake device driver, fast link backoff) for the cashier page tests.
import type { AgentConfig } from '../config';
import { createAgent, type Agent, type CreateAgentOptions } from '../create-agent';
import { hostProbesOff } from '../host-config';
import { silentLogger } from '../logger';
import { fakeDevice, fakeDriver, fakeReport } from '../probe-loop/fake-driver';

export function createTestAgent(
  dir: string,
  consolePort: number,
  extra: Partial<Pick<AgentConfig, 'reserveBytes' | 'host'>> &
    Pick<CreateAgentOptions, 'outbox' | 'reserveFs' | 'logger' | 'drivers' | 'openTransport' | 'hostProbes' | 'hostOs' | 'hostTiming'> & { cashierPort?: number } = {},
): Agent {
  const { reserveBytes, cashierPort = 0, host = hostProbesOff(), ...options } = extra;
  const config: AgentConfig = {
    server: `http://127.0.0.1:${consolePort}`,
    storeId: 'store-1',
    registerId: 'till-1',
    enrollmentToken: 'enroll-token-1',
    dataDir: dir,
    ...(reserveBytes === undefined ? {} : { reserveBytes }),
    probeIntervalSec: 3600,
    reportIntervalSec: 3600,
    cashierPage: { port: cashierPort, enabled: true },
    devices: [fakeDevice('p1')],
    // off unless a test asks: a real OS's facts would only be noise in these tests
    host,
  };
  return createAgent({
    config,
    drivers: new Map([['escpos', fakeDriver(async (ctx) => fakeReport(ctx.device.id, 'fault', ['printer.paper_end']))]]),
    openTransport: async () => {
      throw new Error('unused');
    },
    logger: silentLogger,
    link: { backoff: { baseMs: 10, capMs: 50 }, initialDelayMs: 0 },
    ...options,
  });
}
