import { accessSync, constants as fsConstants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { SerialPort } from 'serialport';

export type SerialPortInfo = Awaited<ReturnType<typeof SerialPort.list>>[number];

export interface SerialListResult {
  ports: SerialPortInfo[];
  /** Why the list is empty or incomplete, when the machine could not list ports. */
  reason?: string;
}

export interface SerialListDeps {
  list?: () => Promise<SerialPortInfo[]>;
  platform?: NodeJS.Platform;
  /** true when an executable of that name is on PATH */
  hasExecutable?: (name: string) => boolean;
}

/**
 * Lists serial ports; never rejects. On Linux serialport shells out to `udevadm`, which is
 * missing in slim containers and on some POS images: then the answer is no ports plus a reason
 * the console can show, instead of an ENOENT from deep inside the binding.
 */
export async function listSerialPorts(deps: SerialListDeps = {}): Promise<SerialListResult> {
  const platform = deps.platform ?? process.platform;
  const hasExecutable = deps.hasExecutable ?? executableOnPath;
  // serialport loads only when ports are really listed: executableOnPath users do not pay for it.
  const list = deps.list ?? (async () => (await import('serialport')).SerialPort.list());
  if (platform === 'linux' && !hasExecutable('udevadm')) {
    return { ports: [], reason: 'udevadm not found: cannot list serial ports (install the udev package)' };
  }
  try {
    return { ports: await list() };
  } catch (error) {
    return { ports: [], reason: `listing serial ports failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

export function executableOnPath(name: string, pathEnv = process.env.PATH ?? '', access: (path: string, mode: number) => void = accessSync): boolean {
  for (const dir of pathEnv.split(delimiter)) {
    if (!dir) continue;
    try {
      access(join(dir, name), fsConstants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}
