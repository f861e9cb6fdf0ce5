// Runs a small Tillscope stack for tests that drive it from another process (Playwright):
// prints one line `STACK <json>` with the URLs, then runs until SIGTERM/SIGINT.
//   tsx scripts/lib/stack-cli.ts --data-dir DIR [--registers 2] [--agents in-process|process] [--host-probes]
import { parseArgs } from 'node:util';
import { demoRegisters } from '../demo/timeline';
import { NO_HOLDS } from '../../console/server/src/noise/noise-settings';
import { DEMO_USERS, startStack } from './stack';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    registers: { type: 'string', default: '2' },
    agents: { type: 'string', default: 'in-process' },
    verbose: { type: 'boolean', default: false },
    'host-probes': { type: 'boolean', default: false },
  },
});
if (!values['data-dir']) {
  process.stderr.write('usage: tsx scripts/lib/stack-cli.ts --data-dir DIR [--registers N] [--agents in-process|process]\n');
  process.exit(2);
}

const stack = await startStack({
  dataDir: values['data-dir'],
  registers: demoRegisters(new Date()).slice(0, Number(values.registers)),
  agentMode: values.agents === 'process' ? 'process' : 'in-process',
  probeIntervalSec: 1,
  simulatorControl: true,
  hostProbes: values['host-probes'],
  // The end-to-end specs drive faults and wait for their tickets: no hold (noise control has its own tests).
  noise: NO_HOLDS,
  log: values.verbose ? (line) => process.stderr.write(`${line}\n`) : undefined,
});
const description = {
  consoleUrl: stack.consoleUrl(),
  users: DEMO_USERS,
  registers: [...stack.registers.values()].map((r) => ({
    key: r.key,
    storeId: r.spec.storeId,
    registerId: r.spec.registerId,
    cashierUrl: r.cashierUrl,
    controlUrl: `http://127.0.0.1:${r.simulator.controlPort}`,
    printerTransport: r.printerTransport,
    ...(r.host ? { hostControlUrl: r.host.url } : {}),
  })),
};
process.stdout.write(`STACK ${JSON.stringify(description)}\n`);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void stack.stop().finally(() => process.exit(0));
  });
}
