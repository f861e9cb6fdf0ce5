import type { StarFaultsPatch } from '../sim/star/printer-state';
import { startStarSimulator, type StarSimulator } from '../sim/star/simulator';

/** A simulated Star printer (line mode) beside a demo register's ESC/POS printer. */
export interface DemoStarPrinter {
  model: string;
  link: 'tcp' | 'pty';
  faults?: StarFaultsPatch;
}

/** The device id a demo register's Star printer has in its agent config. */
export const STAR_DEVICE_ID = 'star-printer';

export interface StartedStar {
  simulator: StarSimulator;
  /** how the agent actually reaches it (pty falls back to tcp without socat) */
  link: 'tcp' | 'pty';
  /** the `devices[]` entry of the agent config */
  device: Record<string, unknown>;
  close: () => Promise<void>;
}

/** Starts the Star simulator a demo register asks for and returns the agent's device config for it. */
export async function startDemoStar(spec: DemoStarPrinter, options: { ptyAvailable: boolean; control: boolean }): Promise<StartedStar> {
  const usePty = spec.link === 'pty' && options.ptyAvailable;
  const simulator = await startStarSimulator({
    ...(usePty ? { pty: true } : { tcp: { host: '127.0.0.1', port: 0 } }),
    ...(options.control ? { control: { port: 0 } } : {}),
    ...(spec.faults ? { faults: spec.faults } : {}),
  });
  const transport =
    usePty && simulator.ptyPath
      ? { kind: 'serial', path: simulator.ptyPath, baudRate: 9600 }
      : { kind: 'tcp', host: '127.0.0.1', port: simulator.tcpPort, connectTimeoutMs: 1000 };
  return {
    simulator,
    link: usePty ? 'pty' : 'tcp',
    device: { id: STAR_DEVICE_ID, driver: 'star-line', model: spec.model, transport },
    close: () => simulator.close(),
  };
}
