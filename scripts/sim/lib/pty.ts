// A pseudo-terminal pair made by socat, shared by the device simulators: the agent opens one end
// as it would open /dev/ttyUSB0, the simulator holds the other.
import { spawn as nodeSpawn, type ChildProcess } from 'node:child_process';
import { existsSync as nodeExistsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { executableOnPath } from '../../../agent/src/transports/serial/serial-list';

export interface PtyDeps {
  spawn?: typeof nodeSpawn;
  existsSync?: (path: string) => boolean;
  makeTempDir?: () => string;
  removeDir?: (path: string) => void;
  /** opens the simulator's end of the pty pair */
  openSerial?: (path: string) => SerialPort;
}

/** Whether the pty mode can run here: socat makes the pseudo-terminal pair. */
export function ptyModeAvailable(): boolean {
  return executableOnPath('socat');
}

/** Thrown when the pty mode is asked for on a machine without socat. */
export class SocatMissingError extends Error {
  constructor(cause?: unknown) {
    super('socat is not installed: the serial (pty) device simulators need it; install the Debian package `socat` (apt-get install socat)', { cause });
    this.name = 'SocatMissingError';
  }
}

export interface Pty {
  /** the path the AGENT opens */
  agentPath: string;
  /** the simulator's end, open */
  port: SerialPort;
  close: () => Promise<void>;
}

const LINK_WAIT_MS = 5_000;

/**
 * Starts `socat` with two linked ptys in a fresh temporary folder (`<name>-agent`, `<name>-sim`)
 * and opens the simulator's end. Everything is undone by close(), or before the error is thrown
 * when starting fails halfway.
 */
export async function startPty(name: string, deps: PtyDeps = {}): Promise<Pty> {
  const spawn = deps.spawn ?? nodeSpawn;
  const existsSync = deps.existsSync ?? nodeExistsSync;
  const dir = (deps.makeTempDir ?? (() => mkdtempSync(join(tmpdir(), `tillscope-${name}-`))))();
  const removeDir = deps.removeDir ?? ((path: string) => rmSync(path, { recursive: true, force: true }));
  const agentPath = join(dir, `${name}-agent`);
  const simPath = join(dir, `${name}-sim`);

  const child: ChildProcess = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${agentPath}`, `pty,raw,echo=0,link=${simPath}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-2000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));
  const killSocat = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2_000))]);
    removeDir(dir);
  };

  const spawnError = await new Promise<Error | undefined>((resolve) => {
    child.once('error', resolve);
    child.once('spawn', () => resolve(undefined));
  });
  if (spawnError) {
    removeDir(dir);
    throw (spawnError as NodeJS.ErrnoException).code === 'ENOENT' ? new SocatMissingError(spawnError) : spawnError;
  }

  const deadline = Date.now() + LINK_WAIT_MS;
  while (!(existsSync(agentPath) && existsSync(simPath))) {
    if (exitedEarly || Date.now() > deadline) {
      await killSocat();
      throw new Error(`socat did not create the pty links in ${dir}${exitedEarly ? ' (it exited)' : ''}: ${stderr.trim() || 'no output'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }

  const openSerial = deps.openSerial ?? ((path: string) => new SerialPort({ path, baudRate: 9600, autoOpen: false }));
  const port = openSerial(simPath);
  try {
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  } catch (error) {
    await killSocat();
    throw error;
  }
  port.on('error', () => undefined);
  return {
    agentPath,
    port,
    close: async () => {
      if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
      await killSocat();
    },
  };
}
