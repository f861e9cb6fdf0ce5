import { startAtolSimulator, type AtolSimulator } from '../sim/atol/simulator';
import type { AtolStatePatch } from '../sim/atol/register-state';
import type { RegisterStatePatch } from '../sim/shtrih-m/register-state';
import { startShtrihSimulator, type ShtrihSimulator } from '../sim/shtrih-m/simulator';

/** A simulated fiscal register (ККТ) beside a demo register's printer. */
export type DemoFiscal =
  | { driver: 'shtrih-m'; model: string; link: 'tcp' | 'pty'; state?: RegisterStatePatch }
  | { driver: 'atol'; model: string; state?: AtolStatePatch };

/** The running simulator, by driver, so the timeline and tests can set its state. */
export type StackFiscal =
  | { driver: 'shtrih-m'; link: 'tcp' | 'pty'; simulator: ShtrihSimulator }
  | { driver: 'atol'; simulator: AtolSimulator };

/** The device id every demo register's fiscal register has in its agent config. */
export const FISCAL_DEVICE_ID = 'kkt';

export interface StartedFiscal {
  fiscal: StackFiscal;
  /** the `devices[]` entry of the agent config */
  device: Record<string, unknown>;
  close: () => Promise<void>;
}

/**
 * Starts the fiscal simulator a demo register asks for and returns the agent's device config for it.
 * A Shtrih-M register on a pseudo-terminal falls back to TCP (port 7778 style) when socat is missing.
 */
export async function startDemoFiscal(spec: DemoFiscal, options: { ptyAvailable: boolean; control: boolean }): Promise<StartedFiscal> {
  const control = options.control ? { control: { port: 0 } } : {};
  if (spec.driver === 'atol') {
    const simulator = await startAtolSimulator({ host: '127.0.0.1', port: 0, ...control, ...(spec.state ? { state: spec.state } : {}) });
    return {
      fiscal: { driver: 'atol', simulator },
      device: { id: FISCAL_DEVICE_ID, driver: 'atol', model: spec.model, options: { url: simulator.baseUrl } },
      close: () => simulator.close(),
    };
  }
  const usePty = spec.link === 'pty' && options.ptyAvailable;
  const simulator = await startShtrihSimulator({
    ...(usePty ? { pty: true } : { tcp: { host: '127.0.0.1', port: 0 } }),
    ...control,
    ...(spec.state ? { state: spec.state } : {}),
  });
  const transport =
    usePty && simulator.ptyPath
      ? { kind: 'serial', path: simulator.ptyPath, baudRate: 115200 }
      : { kind: 'tcp', host: '127.0.0.1', port: simulator.tcpPort, connectTimeoutMs: 1000 };
  return {
    fiscal: { driver: 'shtrih-m', link: usePty ? 'pty' : 'tcp', simulator },
    device: { id: FISCAL_DEVICE_ID, driver: 'shtrih-m', model: spec.model, transport },
    close: () => simulator.close(),
  };
}

/** The device id of a demo register's printer entry that points, by mistake, at a fiscal register's port. */
export const MISPLACED_PRINTER_ID = 'printer-2';

/**
 * Issue 9's misconfiguration: an ESC/POS printer entry whose serial port is really a Shtrih-M
 * register's. Starts that register's simulator on a pty and returns the agent's (wrong) printer
 * entry: the agent must find the register with Shtrih-M's own ENQ, report printer.wrong_device and
 * never send it a printer byte. Undefined without socat (the check is for serial ports).
 */
export async function startPrinterOnFiscalPort(options: { ptyAvailable: boolean }): Promise<{ device: Record<string, unknown>; simulator: ShtrihSimulator; close: () => Promise<void> } | undefined> {
  if (!options.ptyAvailable) return undefined;
  const simulator = await startShtrihSimulator({ pty: true });
  if (!simulator.ptyPath) {
    await simulator.close();
    return undefined;
  }
  return {
    device: { id: MISPLACED_PRINTER_ID, driver: 'escpos', model: 'Принтер чеков (порт указан неверно)', transport: { kind: 'serial', path: simulator.ptyPath, baudRate: 9600 } },
    simulator,
    close: () => simulator.close(),
  };
}
